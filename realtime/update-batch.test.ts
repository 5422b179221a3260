import { describe, expect, it } from 'vitest';
import { createBatchBuilder, createRetention, readBatch, type PackedUpdates } from './update-batch';

const bytes = (...values: number[]) => new Uint8Array(values);

function batchOf(start: number, items: Array<[doc: string, author: string, at: number]>) {
  const builder = createBatchBuilder(start);
  items.forEach(([doc, author, at], i) => builder.push(doc, bytes(i, i + 1), author, at));
  return builder.finish();
}

function unpack(batch: PackedUpdates) {
  const out: Array<[string, number[], string, number]> = [];
  readBatch(batch.bytes, (doc, update, author, at) => out.push([doc, [...update], author, at]));
  return out;
}

describe('update batches', () => {
  it('read back every update with its document, author and time, in order', () => {
    const builder = createBatchBuilder(1000);
    builder.push('iv1/code', bytes(1, 2, 3), 'alice', 1000);
    builder.push('iv2/notes', bytes(), 'bob', 1250);
    builder.push('iv1/code', bytes(9), 'bob', 1300);
    expect(builder.size()).toBe(3);
    const batch = builder.finish();
    expect(batch.docs).toEqual(['iv1/code', 'iv2/notes']);
    expect(batch.counts).toEqual([2, 1]);
    expect(unpack(batch)).toEqual([
      ['iv1/code', [1, 2, 3], 'alice', 1000],
      ['iv2/notes', [], 'bob', 1250],
      ['iv1/code', [9], 'bob', 1300]
    ]);
  });

  it('a batch cut short is refused, not read as something else', () => {
    const batch = batchOf(0, [['a', 'x', 0]]);
    // The same items after tables that name no document.
    const tableless = new Uint8Array([0, 0, ...batch.bytes.subarray(6)]);
    expect(() => readBatch(tableless, () => undefined)).toThrow('malformed update batch');
    expect(() => readBatch(batch.bytes.subarray(0, batch.bytes.length - 1), () => {})).toThrow();
  });
});

describe('retention of batches sent to the worker', () => {
  it('lets a batch go once every update in it is written, per document in order', () => {
    const retention = createRetention();
    const first = batchOf(0, [
      ['a', 'x', 0],
      ['b', 'x', 1],
      ['a', 'x', 2]
    ]);
    const second = batchOf(5, [['a', 'x', 5]]);
    retention.keep(first);
    retention.keep(second);
    expect(retention.pending()).toBe(4);
    expect(retention.pending('a')).toBe(3);

    retention.written('a', 2);
    expect(retention.batches()).toEqual([first, second]);
    retention.written('b', 1);
    expect(retention.batches()).toEqual([second]);
    expect(retention.pending('a')).toBe(1);
    retention.written('a', 1);
    expect(retention.batches()).toEqual([]);
    expect(retention.pending()).toBe(0);
  });

  it('after a rewind, counts what the new worker will write again: whole batches, its documents only', () => {
    const retention = createRetention();
    const first = batchOf(0, [
      ['a', 'x', 0],
      ['a', 'x', 1],
      ['gone', 'x', 2]
    ]);
    const second = batchOf(5, [['a', 'x', 5]]);
    retention.keep(first);
    retention.keep(second);
    retention.written('a', 1);
    retention.written('gone', 1);
    expect(retention.pending('a')).toBe(2);

    // 'gone' was closed and written: the new worker skips it. 'a' is written again in full.
    retention.rewind(new Set(['a']));
    expect(retention.pending('a')).toBe(3);
    expect(retention.pending('gone')).toBe(0);
    retention.written('a', 2);
    expect(retention.batches()).toEqual([second]);
    retention.written('a', 1);
    expect(retention.pending()).toBe(0);
    expect(retention.batches()).toEqual([]);
  });
});

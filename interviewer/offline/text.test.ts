import { describe, expect, it } from 'vitest';
import { contentWords, sentences, stem, tokenize, words } from './text';

describe('stem', () => {
  it('maps inflections of one word to one stem', () => {
    expect(new Set(['cache', 'caches', 'caching', 'cached'].map(stem)).size).toBe(1);
    expect(new Set(['retry', 'retries', 'retrying', 'retried'].map(stem)).size).toBe(1);
    expect(new Set(['queue', 'queues', 'queued', 'queueing'].map(stem)).size).toBe(1);
    expect(new Set(['shard', 'shards', 'sharding', 'sharded'].map(stem)).size).toBe(1);
    expect(new Set(['stop', 'stopped', 'stopping'].map(stem)).size).toBe(1);
  });

  it('leaves short words, numbers and -ss/-us/-is endings alone', () => {
    expect(stem('429')).toBe('429');
    expect(stem('p99')).toBe('p99');
    expect(stem('redis')).toBe('redis');
    expect(stem('status')).toBe('status');
    expect(stem('pass')).toBe('pass');
    expect(stem('use')).toBe('use');
  });
});

describe('tokenize', () => {
  it('lower-cases, drops apostrophes, splits hyphens and keeps clause boundaries', () => {
    const tokens = tokenize("We didn't use a Dead-Letter queue, we retried.");
    expect(tokens.map((t) => t.stem)).toEqual([
      'we',
      'didnt',
      'use',
      'a',
      'dead',
      'letter',
      'queu',
      '|',
      'we',
      'retry',
      '|'
    ]);
  });

  it('does not split numbers, dotted names or O(1) into clauses', () => {
    expect(words('p99 of 3.5 ms on node.js is O(1)')).toEqual([
      'p99',
      'of',
      '3',
      '5',
      'ms',
      'on',
      'nod',
      'js',
      'is',
      'o',
      '1'
    ]);
    expect(tokenize('3.5 seconds').some((t) => t.boundary)).toBe(false);
  });

  it('drops stop words for content words', () => {
    expect(contentWords('I think we would just use a bounded queue')).toEqual(['bound', 'queu']);
  });
});

describe('sentences', () => {
  it('returns verbatim, trimmed sentences', () => {
    const text = 'First we lock the row.  Then we commit! Is 3.5 s enough?\nYes';
    expect(sentences(text)).toEqual([
      'First we lock the row.',
      'Then we commit!',
      'Is 3.5 s enough?',
      'Yes'
    ]);
    for (const s of sentences(text)) expect(text).toContain(s);
  });

  it('skips fragments without letters or digits', () => {
    expect(sentences('... !!! ok.')).toEqual(['ok.']);
  });
});

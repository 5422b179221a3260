import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutputCoalescer } from './coalesce';
import type { OutputChunk } from './types';

afterEach(() => {
  vi.useRealTimers();
});

describe('OutputCoalescer', () => {
  it('merges writes within one interval into one chunk per stream', () => {
    vi.useFakeTimers();
    const chunks: OutputChunk[] = [];
    const c = new OutputCoalescer((chunk) => chunks.push(chunk), 30);
    c.push('stdout', Buffer.from('a'));
    c.push('stdout', Buffer.from('b'));
    c.push('stderr', Buffer.from('e'));
    expect(chunks).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(chunks).toEqual([
      { stream: 'stdout', data: 'ab' },
      { stream: 'stderr', data: 'e' }
    ]);
  });

  it('keeps a multi-byte character split across reads intact', () => {
    const chunks: OutputChunk[] = [];
    const c = new OutputCoalescer((chunk) => chunks.push(chunk));
    const euro = Buffer.from('€');
    c.push('stdout', euro.subarray(0, 1));
    c.flush();
    c.push('stdout', euro.subarray(1));
    c.end();
    expect(chunks.map((x) => x.data).join('')).toBe('€');
  });
});

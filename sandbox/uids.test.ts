import { describe, expect, it } from 'vitest';
import { slotUids, uidsInUse } from './uids';

describe('slotUids', () => {
  it('gives consecutive non-root uids', () => {
    expect(slotUids(60001, 3).map((s) => s.uid)).toEqual([60001, 60002, 60003]);
  });

  it('refuses root and ranges past nobody', () => {
    expect(() => slotUids(0, 1)).toThrow();
    expect(() => slotUids(65530, 10)).toThrow();
  });

  it('reports uids that belong to accounts', () => {
    expect(uidsInUse(slotUids(60001, 2), 'x:x:60002:60002::/:/bin/sh\n')).toEqual([60002]);
  });
});

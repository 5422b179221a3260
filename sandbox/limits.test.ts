import { describe, expect, it } from 'vitest';
import { buildLimitTable, DEFAULT_LIMITS, resolveLimits } from './limits';
import { SandboxError } from './errors';

describe('resolveLimits', () => {
  const table = buildLimitTable();

  it('uses language defaults over global defaults', () => {
    expect(resolveLimits(table, { memoryMb: 512 }, undefined).memoryMb).toBe(512);
    expect(resolveLimits(table, {}, undefined).wallMs).toBe(DEFAULT_LIMITS.wallMs);
  });

  it('lets a request lower a limit', () => {
    expect(resolveLimits(table, { memoryMb: 512 }, { memoryMb: 64 }).memoryMb).toBe(64);
  });

  it('rejects a request above the maximum instead of clamping', () => {
    expect(() => resolveLimits(table, {}, { wallMs: 10_000_000 })).toThrow(SandboxError);
    try {
      resolveLimits(table, {}, { memoryMb: 99_999 });
    } catch (error) {
      expect(error instanceof SandboxError && error.code).toBe('limit_exceeded');
    }
  });

  it('caps a language default at an operator-lowered maximum', () => {
    const low = buildLimitTable({ maxima: { memoryMb: 128 }, defaults: { memoryMb: 64 } });
    expect(resolveLimits(low, { memoryMb: 512 }, undefined).memoryMb).toBe(128);
  });

  it('refuses defaults above maxima', () => {
    expect(() => buildLimitTable({ defaults: { wallMs: 50_000 } })).toThrow(/exceeds/);
  });
});

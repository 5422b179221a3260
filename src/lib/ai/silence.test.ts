import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSilenceWatch } from './silence';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watch() {
  const log: string[] = [];
  const w = createSilenceWatch({
    promptAfterMs: 1000,
    silenceAfterMs: 3000,
    onPrompt: (shown) => log.push(shown ? 'prompt' : 'hide'),
    onSilence: () => log.push('silence')
  });
  return { w, log };
}

describe('the silence watch', () => {
  it('prompts, then sends one silence, then waits to be armed again', () => {
    const { w, log } = watch();
    w.arm();
    vi.advanceTimersByTime(999);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['prompt']);
    vi.advanceTimersByTime(2000);
    expect(log).toEqual(['prompt', 'hide', 'silence']);
    expect(w.armed).toBe(false);
    vi.advanceTimersByTime(60_000);
    w.activity();
    vi.advanceTimersByTime(60_000);
    expect(log).toEqual(['prompt', 'hide', 'silence']);
  });

  it('starts over on activity and hides the prompt', () => {
    const { w, log } = watch();
    w.arm();
    vi.advanceTimersByTime(2500);
    w.activity();
    expect(log).toEqual(['prompt', 'hide']);
    vi.advanceTimersByTime(2999);
    expect(log).toEqual(['prompt', 'hide', 'prompt']);
    vi.advanceTimersByTime(1);
    expect(log.at(-1)).toBe('silence');
  });

  it('does nothing once disarmed', () => {
    const { w, log } = watch();
    w.arm();
    w.disarm();
    w.activity();
    vi.advanceTimersByTime(10_000);
    expect(log).toEqual([]);
  });
});

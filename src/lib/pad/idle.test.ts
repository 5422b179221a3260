import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTracker } from './idle';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('idle tracker', () => {
  it('goes idle after a quiet minute, and active again on input', () => {
    const changes: string[] = [];
    const tracker = createIdleTracker({ onChange: (s) => changes.push(s), idleAfterMs: 60_000 });
    vi.advanceTimersByTime(30_000);
    tracker.activity();
    vi.advanceTimersByTime(59_000);
    expect(changes).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(changes).toEqual(['idle']);
    tracker.activity();
    tracker.activity();
    expect(changes).toEqual(['idle', 'active']);
    tracker.destroy();
  });

  it('is idle while the tab is hidden, whatever the input', () => {
    const changes: string[] = [];
    const tracker = createIdleTracker({ onChange: (s) => changes.push(s) });
    tracker.hidden(true);
    tracker.activity();
    expect(changes).toEqual(['idle']);
    tracker.hidden(false);
    expect(changes).toEqual(['idle', 'active']);
    tracker.destroy();
  });
});

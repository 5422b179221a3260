import { describe, expect, it } from 'vitest';
import { formatCountdown, formatMinutes, secondsUntil, urgency } from './time';

describe('countdowns', () => {
  it('counts whole seconds down to a time', () => {
    const now = Date.parse('2025-01-06T09:00:00.000Z');
    expect(secondsUntil('2025-01-06T09:01:05.000Z', now)).toBe(65);
    expect(secondsUntil('2025-01-06T09:00:00.400Z', now)).toBe(1);
    expect(secondsUntil('2025-01-06T08:59:00.000Z', now)).toBe(-60);
  });

  it('formats clocks and budgets', () => {
    expect(formatCountdown(65)).toBe('1:05');
    expect(formatCountdown(3725)).toBe('1:02:05');
    expect(formatCountdown(-30)).toBe('0:00');
    expect(formatMinutes(29)).toBe('29 min');
    expect(formatMinutes(60)).toBe('1 h');
    expect(formatMinutes(75)).toBe('1 h 15 min');
  });

  it('says when time is short', () => {
    expect(urgency(600)).toBe('calm');
    expect(urgency(120)).toBe('soon');
    expect(urgency(0)).toBe('over');
  });
});

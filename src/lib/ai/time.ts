/** Countdowns and budgets for the AI interview's header. */

/** Whole seconds from `now` until `iso` (negative once past). */
export function secondsUntil(iso: string, now: number): number {
  return Math.ceil((Date.parse(iso) - now) / 1000);
}

/** 65 → "1:05", 3725 → "1:02:05"; never below "0:00". */
export function formatCountdown(seconds: number): string {
  const left = Math.max(0, seconds);
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** 29 → "29 min", 60 → "1 h", 75 → "1 h 15 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** How a countdown should look: calm, soon (under 2 minutes), or over. */
export function urgency(seconds: number): 'calm' | 'soon' | 'over' {
  if (seconds <= 0) return 'over';
  return seconds <= 120 ? 'soon' : 'calm';
}

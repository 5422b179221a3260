/** The pad's per-browser preferences: theme and editor font size. */
export type PadTheme = 'light' | 'dark';
export type PadPrefs = { theme: PadTheme; fontSize: number };

export const FONT_SIZES = [12, 13, 14, 15, 16, 18, 20, 22] as const;
export const DEFAULT_FONT_SIZE = 14;
const KEY = 'tandem:pad-prefs';

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

function closestFontSize(value: number): number {
  return FONT_SIZES.reduce((best, size) =>
    Math.abs(size - value) < Math.abs(best - value) ? size : best
  );
}

/** Saved preferences, else the system's colour scheme and the default size. */
export function loadPrefs(storage: StorageLike | null, prefersDark: boolean): PadPrefs {
  const fallback: PadPrefs = {
    theme: prefersDark ? 'dark' : 'light',
    fontSize: DEFAULT_FONT_SIZE
  };
  try {
    const raw: unknown = JSON.parse(storage?.getItem(KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return fallback;
    const theme =
      'theme' in raw && (raw.theme === 'light' || raw.theme === 'dark')
        ? raw.theme
        : fallback.theme;
    const size = 'fontSize' in raw && typeof raw.fontSize === 'number' ? raw.fontSize : NaN;
    return { theme, fontSize: Number.isFinite(size) ? closestFontSize(size) : fallback.fontSize };
  } catch {
    return fallback;
  }
}

export function savePrefs(storage: StorageLike | null, prefs: PadPrefs): void {
  try {
    storage?.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Private mode or a full quota: preferences are a nicety.
  }
}

import { describe, expect, it } from 'vitest';
import { loadPrefs, savePrefs } from './prefs';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value)
  };
}

describe('pad preferences', () => {
  it('follows the system theme until the user chooses, and keeps sizes sensible', () => {
    const storage = memoryStorage();
    expect(loadPrefs(storage, true)).toEqual({ theme: 'dark', fontSize: 14 });
    savePrefs(storage, { theme: 'light', fontSize: 17 });
    expect(loadPrefs(storage, true)).toEqual({ theme: 'light', fontSize: 16 });
    storage.setItem('tandem:pad-prefs', '{not json');
    expect(loadPrefs(storage, false)).toEqual({ theme: 'light', fontSize: 14 });
    expect(loadPrefs(null, false).theme).toBe('light');
  });
});

import { describe, expect, it } from 'vitest';
import { createStore } from './store';

describe('createStore', () => {
  it('gives listeners the value at once and on every change until they unsubscribe', () => {
    const store = createStore(1);
    const seen: number[] = [];
    const stop = store.subscribe((value) => seen.push(value));
    store.set(2);
    store.update((n) => n + 1);
    stop();
    store.set(10);
    expect(seen).toEqual([1, 2, 3]);
    expect(store.get()).toBe(10);
  });
});

/**
 * Active or idle, for the presence list: idle after a while without input,
 * or at once while the tab is hidden. Calls `onChange` only on a change.
 */
export type IdleTracker = {
  /** Keyboard, pointer or scroll input. */
  activity(): void;
  hidden(isHidden: boolean): void;
  destroy(): void;
};

export const DEFAULT_IDLE_AFTER_MS = 60_000;

export function createIdleTracker(options: {
  onChange: (state: 'active' | 'idle') => void;
  idleAfterMs?: number;
}): IdleTracker {
  const idleAfterMs = options.idleAfterMs ?? DEFAULT_IDLE_AFTER_MS;
  let state: 'active' | 'idle' = 'active';
  let isHidden = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const set = (next: 'active' | 'idle') => {
    if (next === state) return;
    state = next;
    options.onChange(next);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => set('idle'), idleAfterMs);
  };
  arm();

  return {
    activity() {
      if (isHidden) return;
      set('active');
      arm();
    },
    hidden(hidden) {
      isHidden = hidden;
      if (hidden) {
        clearTimeout(timer);
        set('idle');
      } else {
        set('active');
        arm();
      }
    },
    destroy() {
      clearTimeout(timer);
    }
  };
}

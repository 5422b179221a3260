/**
 * "Still there?": after an interviewer message, a quiet prompt when the
 * candidate has done nothing for a while, then one `silence` answer so an
 * abandoned interview moves on instead of stalling (the engine nudges, then
 * moves on). Any activity starts the wait again.
 */

/** When the prompt appears. */
export const PROMPT_AFTER_MS = 120_000;
/** When the silence is sent: once per interviewer message. */
export const SILENCE_AFTER_MS = 180_000;

export type SilenceWatchOptions = {
  onPrompt: (shown: boolean) => void;
  onSilence: () => void;
  promptAfterMs?: number;
  silenceAfterMs?: number;
};

export type SilenceWatch = {
  /** Starts waiting (a new interviewer message is on screen). */
  arm(): void;
  /** The candidate did something: wait from now. Ignored while not armed. */
  activity(): void;
  /** Stop waiting (sending, streaming, finished). */
  disarm(): void;
  readonly armed: boolean;
};

export function createSilenceWatch(options: SilenceWatchOptions): SilenceWatch {
  const promptAfter = options.promptAfterMs ?? PROMPT_AFTER_MS;
  const silenceAfter = options.silenceAfterMs ?? SILENCE_AFTER_MS;
  let prompt: ReturnType<typeof setTimeout> | undefined;
  let silence: ReturnType<typeof setTimeout> | undefined;
  let armed = false;
  let prompted = false;

  function clear(): void {
    clearTimeout(prompt);
    clearTimeout(silence);
    if (prompted) {
      prompted = false;
      options.onPrompt(false);
    }
  }

  function start(): void {
    clear();
    prompt = setTimeout(() => {
      prompted = true;
      options.onPrompt(true);
    }, promptAfter);
    silence = setTimeout(() => {
      armed = false;
      clear();
      options.onSilence();
    }, silenceAfter);
  }

  return {
    arm() {
      armed = true;
      start();
    },
    activity() {
      if (armed) start();
    },
    disarm() {
      armed = false;
      clear();
    },
    get armed() {
      return armed;
    }
  };
}

/**
 * Optional voice for the AI interview, only where the browser offers it:
 * dictation through the Web Speech API's recognition (`SpeechRecognition`,
 * `webkitSpeechRecognition` in Chromium and Safari) and questions read aloud
 * by `speechSynthesis`. Typing always works; the page hides what is missing.
 */

/** The parts of the (untyped in lib.dom) recognition API that dictation uses. */
export type Recognition = {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((event: RecognitionResultEvent) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
};
export type RecognitionResultEvent = {
  resultIndex: number;
  results: ArrayLike<{ isFinal: boolean; 0?: { transcript: string } }>;
};
export type RecognitionConstructor = new () => Recognition;

/** Where the APIs live: `window` in the page, a fake in tests. */
export type VoiceHost = {
  SpeechRecognition?: unknown;
  webkitSpeechRecognition?: unknown;
  speechSynthesis?: unknown;
  SpeechSynthesisUtterance?: unknown;
};

const isConstructor = (value: unknown): value is RecognitionConstructor =>
  typeof value === 'function';

export function recognitionOf(host: VoiceHost): RecognitionConstructor | null {
  const found = host.SpeechRecognition ?? host.webkitSpeechRecognition;
  return isConstructor(found) ? found : null;
}

export type Speaker = { speak(text: string): void; cancel(): void };

/** Reads text aloud, one message at a time (a new one interrupts the last); null when unsupported. */
export function speakerOf(host: VoiceHost, lang: string): Speaker | null {
  const synth = host.speechSynthesis;
  const Utterance = host.SpeechSynthesisUtterance;
  if (
    typeof synth !== 'object' ||
    synth === null ||
    !('speak' in synth) ||
    !('cancel' in synth) ||
    typeof synth.speak !== 'function' ||
    typeof synth.cancel !== 'function' ||
    typeof Utterance !== 'function'
  ) {
    return null;
  }
  const speak = synth.speak.bind(synth);
  const cancel = synth.cancel.bind(synth);
  return {
    speak(text) {
      cancel();
      const utterance: unknown = Reflect.construct(Utterance, [spokenText(text)]);
      if (typeof utterance === 'object' && utterance !== null && 'lang' in utterance) {
        utterance.lang = lang;
      }
      speak(utterance);
    },
    cancel
  };
}

/** What a voice should say: no backticks or markdown emphasis, em dashes as pauses. */
export function spokenText(text: string): string {
  return text
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\s+—\s+/g, ', ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Appends dictated words to what is already typed, with one space between. */
export function appendDictation(draft: string, words: string): string {
  const spoken = words.trim();
  if (!spoken) return draft;
  if (!draft.trim()) return spoken.charAt(0).toUpperCase() + spoken.slice(1);
  return /\s$/.test(draft) ? draft + spoken : `${draft} ${spoken}`;
}

/** A sentence for a recognition error code; null for the ones not worth showing. */
export function dictationProblem(code: string): string | null {
  switch (code) {
    case 'no-speech':
    case 'aborted':
      return null;
    case 'not-allowed':
    case 'service-not-allowed':
      return 'The browser blocked the microphone. Allow it for this site to dictate, or type your answer.';
    case 'audio-capture':
      return 'No microphone was found. You can type your answer.';
    case 'network':
      return "Dictation needs the browser's speech service, which cannot be reached right now.";
    default:
      return `Dictation stopped (${code}). You can type your answer.`;
  }
}

export type DictationOptions = {
  Recognition: RecognitionConstructor;
  lang: string;
  /** Words the recognizer is sure of, to append to the answer. */
  onFinal: (text: string) => void;
  /** What it hears so far, to preview; '' when nothing is pending. */
  onInterim: (text: string) => void;
  onListening: (listening: boolean) => void;
  onProblem: (message: string) => void;
};

export type Dictation = { start(): void; stop(): void };

export function createDictation(options: DictationOptions): Dictation {
  let recognition: Recognition | null = null;

  function stop(): void {
    recognition?.stop();
  }

  function start(): void {
    if (recognition) return;
    const current = new options.Recognition();
    current.lang = options.lang;
    current.continuous = true;
    current.interimResults = true;
    current.onresult = (event) => {
      let interim = '';
      for (let i = event.resultIndex; i < event.results.length; i++) {
        const result = event.results[i];
        const text = result?.[0]?.transcript ?? '';
        if (result?.isFinal) options.onFinal(text);
        else interim += text;
      }
      options.onInterim(interim.trim());
    };
    current.onerror = (event) => {
      const problem = dictationProblem(event.error);
      if (problem) options.onProblem(problem);
    };
    current.onend = () => {
      if (recognition !== current) return;
      recognition = null;
      options.onInterim('');
      options.onListening(false);
    };
    recognition = current;
    try {
      current.start();
      options.onListening(true);
    } catch {
      recognition = null;
      options.onProblem('Dictation could not start. You can type your answer.');
    }
  }

  return { start, stop };
}

import { describe, expect, it } from 'vitest';
import {
  appendDictation,
  createDictation,
  dictationProblem,
  recognitionOf,
  speakerOf,
  spokenText,
  type Recognition,
  type RecognitionResultEvent
} from './voice';

class FakeRecognition implements Recognition {
  static last: FakeRecognition | null = null;
  lang = '';
  continuous = false;
  interimResults = false;
  onresult: ((event: RecognitionResultEvent) => void) | null = null;
  onerror: ((event: { error: string }) => void) | null = null;
  onend: (() => void) | null = null;
  started = false;
  constructor() {
    FakeRecognition.last = this;
  }
  start() {
    this.started = true;
  }
  stop() {
    this.onend?.();
  }
  abort() {
    this.onend?.();
  }
}

describe('voice support', () => {
  it('finds the recognizer under either name, and nothing when absent', () => {
    expect(recognitionOf({ webkitSpeechRecognition: FakeRecognition })).toBe(FakeRecognition);
    expect(recognitionOf({ SpeechRecognition: FakeRecognition })).toBe(FakeRecognition);
    expect(recognitionOf({})).toBeNull();
    expect(recognitionOf({ SpeechRecognition: 'nope' })).toBeNull();
  });

  it('speaks one message at a time, in the page language, without markup', () => {
    const spoken: { text: string; lang: string }[] = [];
    let cancels = 0;
    class Utterance {
      lang = '';
      constructor(readonly text: string) {}
    }
    const speaker = speakerOf(
      {
        speechSynthesis: {
          speak: (u: Utterance) => spoken.push({ text: u.text, lang: u.lang }),
          cancel: () => (cancels += 1)
        },
        SpeechSynthesisUtterance: Utterance
      },
      'en-GB'
    );
    speaker?.speak('Walk me through `refill` — its **cost**.');
    expect(spoken).toEqual([{ text: 'Walk me through refill, its cost.', lang: 'en-GB' }]);
    expect(cancels).toBe(1);
    expect(speakerOf({ speechSynthesis: {} }, 'en')).toBeNull();
    expect(speakerOf({}, 'en')).toBeNull();
  });

  it('appends dictated words to the typed answer', () => {
    expect(appendDictation('', 'we use a queue')).toBe('We use a queue');
    expect(appendDictation('First,', ' we use a queue ')).toBe('First, we use a queue');
    expect(appendDictation('Line\n', 'next')).toBe('Line\nnext');
    expect(appendDictation('Kept', '  ')).toBe('Kept');
  });

  it('says why dictation stopped, and stays quiet when nothing is wrong', () => {
    expect(dictationProblem('no-speech')).toBeNull();
    expect(dictationProblem('not-allowed')).toMatch(/microphone/);
    expect(dictationProblem('weird')).toMatch(/weird/);
    expect(spokenText('  a\n\nb ')).toBe('a b');
  });

  it('dictates: final words go to the answer, interim words to the preview', () => {
    const log: string[] = [];
    const dictation = createDictation({
      Recognition: FakeRecognition,
      lang: 'en-US',
      onFinal: (t) => log.push(`final:${t}`),
      onInterim: (t) => log.push(`interim:${t}`),
      onListening: (l) => log.push(`listening:${l}`),
      onProblem: (p) => log.push(`problem:${p}`)
    });
    dictation.start();
    const rec = FakeRecognition.last;
    expect(rec).toMatchObject({
      lang: 'en-US',
      continuous: true,
      interimResults: true,
      started: true
    });
    rec?.onresult?.({
      resultIndex: 0,
      results: [
        { isFinal: true, 0: { transcript: 'we shard' } },
        { isFinal: false, 0: { transcript: 'by tenant' } }
      ]
    });
    rec?.onerror?.({ error: 'no-speech' });
    dictation.stop();
    expect(log).toEqual([
      'listening:true',
      'final:we shard',
      'interim:by tenant',
      'interim:',
      'listening:false'
    ]);
  });
});

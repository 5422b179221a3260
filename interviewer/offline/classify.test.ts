import { describe, expect, it } from 'vitest';
import { classifyAnswer, vocabularyOf } from './classify';

const vocab = vocabularyOf([
  'A client retries POST /payments after a timeout. How do you make sure the customer is never charged twice?',
  'idempotency key',
  'unique constraint'
]);
const kind = (answer: string, hits = 0) => classifyAnswer(answer, vocab, hits).kind;

describe('classifyAnswer', () => {
  it('treats empty text, punctuation and fillers as silence', () => {
    expect(kind('')).toBe('silence');
    expect(kind('   ')).toBe('silence');
    expect(kind('...')).toBe('silence');
    expect(kind('hmm, um')).toBe('silence');
  });

  it('recognises requests to repeat', () => {
    expect(kind('Can you repeat that?')).toBe('repeat');
    expect(kind('Sorry, could you say that again please')).toBe('repeat');
    expect(kind('What was the question?')).toBe('repeat');
    expect(kind("I didn't catch that")).toBe('repeat');
    expect(kind('Pardon?')).toBe('repeat');
  });

  it('recognises "I don\'t know" in its usual forms', () => {
    expect(kind("I don't know.")).toBe('dont_know');
    expect(kind('I don’t know')).toBe('dont_know');
    expect(kind('No idea, sorry.')).toBe('dont_know');
    expect(kind("I'm not sure about this one")).toBe('dont_know');
    expect(kind('idk')).toBe('dont_know');
    expect(kind('pass')).toBe('dont_know');
  });

  it('does not call a real answer with a hedge "I don\'t know"', () => {
    expect(
      kind("I'm not sure, but an idempotency key with a unique constraint would do it", 2)
    ).toBe('answer');
  });

  it('calls an answer with no overlap with the question off-topic', () => {
    expect(kind('My favourite football team won the match yesterday at the stadium.')).toBe(
      'off_topic'
    );
  });

  it('calls short or hedging answers without specifics vague', () => {
    expect(kind('Just retry it.')).toBe('vague');
    expect(kind('Maybe do some kind of check on the client, it depends on things I guess.')).toBe(
      'vague'
    );
  });

  it('accepts a specific answer', () => {
    expect(
      kind(
        'The client sends a key; the server charges the customer once and stores the payment row.'
      )
    ).toBe('answer');
    expect(kind('Short but on the rubric: idempotency key.', 1)).toBe('answer');
  });

  it('reports its counts', () => {
    const c = classifyAnswer('Maybe retry 3 times after a timeout', vocab, 0);
    expect(c).toMatchObject({ numbers: 1, hedges: 1 });
    expect(c.overlap).toBeGreaterThan(0);
  });
});

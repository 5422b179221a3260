import { describe, expect, it } from 'vitest';
import { isInterviewerError } from './engine/errors';
import { payments } from './engine/test-fixtures';
import { parseTranscriptFile, planForTranscript } from './transcript-file';

const message = { speaker: 'candidate', text: 'An idempotency key.', at: '2025-01-06T09:01:00Z' };
const parse = (value: unknown) => parseTranscriptFile(JSON.stringify(value), 't.json');
const noLibrary = {
  question: () => undefined,
  template: (): never => {
    throw new Error('no library');
  }
};

describe('parseTranscriptFile', () => {
  it('reads inline questions (version optional) and numbers messages without ids', () => {
    const file = parse({
      version: 1,
      plan: { questions: [payments], title: 'Audit' },
      messages: [message, { ...message, id: 'x' }]
    });
    expect(file.messages.map((m) => m.id)).toEqual(['m1', 'x']);
    const plan = planForTranscript(file, noLibrary);
    expect(plan.title).toBe('Audit');
    expect(plan.sections[0]!.questions[0]).toEqual(payments);
    expect(plan.sections[0]!.minutes).toBe(payments.minutes);
  });

  it('validates inline questions with the content rules', () => {
    expect(() =>
      parse({ version: 1, plan: { questions: [{ ...payments, rubric: [] }] }, messages: [] })
    ).toThrow(/t\.json: not a transcript file/);
  });

  it('resolves question ids and templates through the library', () => {
    const library = {
      question: (id: string) => (id === payments.id ? payments : undefined),
      template: (): never => {
        throw new Error('unused');
      }
    };
    const plan = planForTranscript(
      parse({ version: 1, plan: { questionIds: [payments.id] }, messages: [] }),
      library
    );
    expect(plan.sections[0]!.questions).toEqual([payments]);
    try {
      planForTranscript(
        parse({ version: 1, plan: { questionIds: ['nope'] }, messages: [] }),
        library
      );
      expect.unreachable();
    } catch (error) {
      expect(isInterviewerError(error) && error.code).toBe('unknown_question');
    }
  });

  it.each([
    ['not JSON', '{', /t\.json: not valid JSON/],
    [
      'a wrong version',
      JSON.stringify({ version: 2, plan: { templateId: 'x' }, messages: [] }),
      /version/
    ],
    [
      'an unknown speaker',
      JSON.stringify({
        version: 1,
        plan: { templateId: 'x' },
        messages: [{ ...message, speaker: 'bot' }]
      }),
      /messages\[0\]\.speaker/
    ],
    [
      'an unknown field',
      JSON.stringify({ version: 1, plan: { templateId: 'x' }, messages: [], extra: 1 }),
      /extra/
    ],
    [
      'a plan of no known shape',
      JSON.stringify({ version: 1, plan: { template: 'x' }, messages: [] }),
      /plan/
    ],
    [
      'an oversized message',
      JSON.stringify({
        version: 1,
        plan: { templateId: 'x' },
        messages: [{ ...message, text: 'x'.repeat(20_001) }]
      }),
      /messages\[0\]\.text/
    ]
  ])('refuses %s with invalid_transcript', (_name, text, pattern) => {
    try {
      parseTranscriptFile(text, 't.json');
      expect.unreachable();
    } catch (error) {
      expect(isInterviewerError(error) && error.code).toBe('invalid_transcript');
      expect((error as Error).message).toMatch(pattern);
    }
  });
});

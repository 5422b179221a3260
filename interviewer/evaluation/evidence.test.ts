import { describe, expect, it } from 'vitest';
import type { Evaluation, TranscriptMessage } from '../types';
import { verifyEvidence } from './evidence';

const transcript: TranscriptMessage[] = [
  {
    id: '1',
    speaker: 'interviewer',
    text: 'How do you avoid double charges?',
    at: '2025-01-06T09:00:00Z'
  },
  {
    id: '2',
    speaker: 'candidate',
    text: 'We use an idempotency key.\n  It has a   unique constraint.',
    at: '2025-01-06T09:01:00Z'
  }
];

const evaluation = (evidence: string[]): Evaluation => ({
  source: 'llm',
  scores: [{ questionId: 'q', dimensionId: 'd', score: 3, rationale: 'r', evidence }],
  summary: 's',
  strengths: [],
  concerns: [],
  followUpTopics: [],
  injectionAttempts: [],
  droppedEvidence: 1
});

describe('verifyEvidence', () => {
  it('keeps verbatim quotes, white space aside', () => {
    const out = verifyEvidence(
      evaluation(['We use an idempotency key.', 'key. It has a unique constraint.']),
      transcript
    );
    expect(out.scores[0]!.evidence).toEqual([
      'We use an idempotency key.',
      'key. It has a unique constraint.'
    ]);
    expect(out.droppedEvidence).toBe(1);
  });

  it('drops altered, paraphrased, case-changed and interviewer quotes, and counts them', () => {
    const out = verifyEvidence(
      evaluation([
        'We use an idempotency token.',
        'we use an idempotency key.',
        'They use a unique constraint',
        'How do you avoid double charges?',
        '   '
      ]),
      transcript
    );
    expect(out.scores[0]!.evidence).toEqual([]);
    expect(out.droppedEvidence).toBe(1 + 5);
  });

  it('removes repeated quotes without counting them as false', () => {
    const out = verifyEvidence(
      evaluation(['We use an idempotency key.', 'We use an idempotency key.']),
      transcript
    );
    expect(out.scores[0]!.evidence).toEqual(['We use an idempotency key.']);
    expect(out.droppedEvidence).toBe(1);
  });
});

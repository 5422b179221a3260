import { describe, expect, it } from 'vitest';
import type { InterviewPlan, TranscriptMessage } from '$interviewer/types';
import {
  averageScore,
  dimensionName,
  groupTranscript,
  outlineOf,
  scoresByQuestion,
  staffAiView
} from './staff';

const rubric = (id: string, name: string) => ({
  id,
  name,
  description: '',
  concepts: [],
  probes: [],
  strong: '',
  weak: ''
});

const plan: InterviewPlan = {
  templateId: 't',
  title: 'T',
  sections: [
    {
      id: 's1',
      title: 'Design',
      minutes: 20,
      questions: [
        {
          id: 'cache',
          kind: 'discussion',
          title: 'Caching',
          prompt: 'How?',
          tags: [],
          minutes: 10,
          rubric: [rubric('invalidation', 'Invalidation'), rubric('stampede', 'Stampedes')]
        }
      ]
    },
    {
      id: 's2',
      title: 'Coding',
      minutes: 15,
      questions: [
        {
          id: 'retry',
          kind: 'coding',
          title: 'Retry',
          prompt: 'Code it',
          minutes: 15,
          starter: { python: 'print(1)' },
          followUps: [],
          rubric: [rubric('backoff', 'Backoff and jitter')]
        }
      ]
    }
  ]
};

let n = 0;
const msg = (
  speaker: TranscriptMessage['speaker'],
  text: string,
  extra: Partial<TranscriptMessage> = {}
): TranscriptMessage => ({ id: `m${++n}`, speaker, text, at: '2025-01-06T09:00:00Z', ...extra });

describe('the staff view of an AI interview', () => {
  it('outlines the plan with names only', () => {
    const outline = outlineOf(plan);
    expect(outline.sections[1]?.questions[0]).toEqual({
      id: 'retry',
      title: 'Retry',
      kind: 'coding',
      dimensions: [{ id: 'backoff', name: 'Backoff and jitter' }]
    });
    expect(JSON.stringify(outline)).not.toContain('print(1)');
    expect(
      staffAiView({ plan: null, messages: [], evaluation: null, startedAt: null, finishedAt: null })
        .outline
    ).toBeNull();
  });

  it('groups messages by the question they served, with the dimension named', () => {
    const outline = outlineOf(plan);
    const groups = groupTranscript(outline, [
      msg('interviewer', 'Hi. Question 1 of 2 — Caching', { questionId: 'cache', action: 'ask' }),
      msg('candidate', 'TTL and events'),
      msg('interviewer', 'What about stampedes?', {
        questionId: 'cache',
        dimensionId: 'stampede',
        action: 'probe'
      }),
      msg('system', '(no answer)'),
      msg('interviewer', 'Question 2 of 2 — Retry', { questionId: 'retry', action: 'move_on' }),
      msg('candidate', 'Done'),
      msg('interviewer', 'Thanks, that is all.', { questionId: 'retry', action: 'wrap_up' })
    ]);
    expect(groups.map((g) => [g.label, g.title, g.entries.length])).toEqual([
      ['Question 1 of 2 · Design', 'Caching', 4],
      ['Question 2 of 2 · Coding', 'Retry', 2],
      [null, 'Closing', 1]
    ]);
    expect(groups[0]?.entries[2]?.dimension).toBe('Stampedes');
    expect(groups[0]?.entries[1]?.dimension).toBeNull();
    expect(new Set(groups.map((g) => g.key)).size).toBe(groups.length);
  });

  it('names an unknown dimension by its id rather than hiding it', () => {
    expect(dimensionName(outlineOf(plan), 'cache', 'nope')).toBe('nope');
    expect(dimensionName(null, 'cache', undefined)).toBeNull();
  });

  it('orders scores by the plan and averages them', () => {
    const scored = scoresByQuestion(outlineOf(plan), [
      { questionId: 'retry', dimensionId: 'backoff', score: 4, rationale: '', evidence: [] },
      { questionId: 'cache', dimensionId: 'invalidation', score: 2, rationale: '', evidence: [] },
      { questionId: 'cache', dimensionId: 'stampede', score: 1, rationale: '', evidence: [] }
    ]);
    expect(scored.map((q) => [q.title, q.scores.map((s) => s.name)])).toEqual([
      ['Caching', ['Invalidation', 'Stampedes']],
      ['Retry', ['Backoff and jitter']]
    ]);
    expect(averageScore(scored.flatMap((q) => q.scores))).toBe(2.3);
    expect(averageScore([])).toBeNull();
  });
});

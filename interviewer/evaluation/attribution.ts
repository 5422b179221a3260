/**
 * Which question each candidate message answered. A message's own
 * `questionId` wins; otherwise it belongs to the question of the nearest
 * message before it that has one. In a transcript without any ids, an
 * interviewer message that quotes a question's prompt, title, probes or
 * follow-ups switches to that question. Messages before any of these belong to
 * the first question.
 */
import type { InterviewPlan, Question, TranscriptMessage } from '../types';
import { allQuestions } from '../engine/plan';
import { sameTextKey } from '../engine/state';

export type Attributed = {
  /** Candidate messages per question id, transcript order. */
  answers: Map<string, TranscriptMessage[]>;
  /** Question ids the interviewer asked or the candidate answered. */
  reached: Set<string>;
};

function quotedQuestion(questions: Question[], text: string): Question | undefined {
  const key = sameTextKey(text);
  const quotes = (q: Question) =>
    [q.prompt, ...q.rubric.flatMap((d) => d.probes), ...(q.kind === 'coding' ? q.followUps : [])]
      .map(sameTextKey)
      .some((t) => t.length > 0 && key.includes(t));
  return questions.find(quotes);
}

export function attribute(
  plan: InterviewPlan,
  transcript: readonly TranscriptMessage[]
): Attributed {
  const questions = allQuestions(plan);
  const ids = new Set(questions.map((q) => q.id));
  const answers = new Map<string, TranscriptMessage[]>(questions.map((q) => [q.id, []]));
  const reached = new Set<string>();
  let current = questions[0]?.id;
  for (const message of transcript) {
    if (message.questionId !== undefined && ids.has(message.questionId))
      current = message.questionId;
    else if (message.speaker === 'interviewer')
      current = quotedQuestion(questions, message.text)?.id ?? current;
    if (current === undefined) continue;
    if (message.speaker === 'interviewer') reached.add(current);
    if (message.speaker === 'candidate') {
      reached.add(current);
      answers.get(current)?.push(message);
    }
  }
  return { answers, reached };
}

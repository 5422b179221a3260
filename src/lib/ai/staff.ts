/**
 * What staff read about an AI interview: the transcript grouped by the
 * question each exchange served, messages labelled with their rubric
 * dimension, and the evaluation's scores in plan order with names instead
 * of ids. Pure functions over the engine's types (`$interviewer/types`).
 */
import type {
  DimensionScore,
  Evaluation,
  InterviewPlan,
  TranscriptMessage,
  TurnAction
} from '$interviewer/types';

/** The plan without its rubric texts and starter code: names only. */
export type PlanOutline = {
  sections: {
    title: string;
    minutes: number;
    questions: {
      id: string;
      title: string;
      kind: 'discussion' | 'coding';
      dimensions: { id: string; name: string }[];
    }[];
  }[];
};

export type StaffEvaluation = Evaluation & { createdAt: string; author: string };

/** What the interview page shows for an async interview. */
export type StaffAiView = {
  outline: PlanOutline | null;
  messages: TranscriptMessage[];
  evaluation: StaffEvaluation | null;
  startedAt: string | null;
  finishedAt: string | null;
};

export function outlineOf(plan: InterviewPlan): PlanOutline {
  return {
    sections: plan.sections.map((section) => ({
      title: section.title,
      minutes: section.minutes,
      questions: section.questions.map((q) => ({
        id: q.id,
        title: q.title,
        kind: q.kind,
        dimensions: q.rubric.map((d) => ({ id: d.id, name: d.name }))
      }))
    }))
  };
}

/** The server's staff transcript, trimmed to what the page renders. */
export function staffAiView(transcript: {
  plan: InterviewPlan | null;
  messages: TranscriptMessage[];
  evaluation: StaffEvaluation | null;
  startedAt: string | null;
  finishedAt: string | null;
}): StaffAiView {
  return {
    outline: transcript.plan ? outlineOf(transcript.plan) : null,
    messages: transcript.messages,
    evaluation: transcript.evaluation,
    startedAt: transcript.startedAt,
    finishedAt: transcript.finishedAt
  };
}

type QuestionRef = { number: number; title: string; section: string; kind: string };

function questionIndex(outline: PlanOutline | null): Map<string, QuestionRef> {
  const index = new Map<string, QuestionRef>();
  let number = 0;
  for (const section of outline?.sections ?? []) {
    for (const q of section.questions) {
      number += 1;
      index.set(q.id, { number, title: q.title, section: section.title, kind: q.kind });
    }
  }
  return index;
}

export function dimensionName(
  outline: PlanOutline | null,
  questionId: string | undefined,
  dimensionId: string | undefined
): string | null {
  if (!dimensionId) return null;
  for (const section of outline?.sections ?? []) {
    for (const q of section.questions) {
      if (questionId && q.id !== questionId) continue;
      const found = q.dimensions.find((d) => d.id === dimensionId);
      if (found) return found.name;
    }
  }
  return dimensionId;
}

/** What the interview page's load declares with `depends()`, so the report can refresh alone. */
export const AI_REPORT_DEPENDENCY = 'app:ai-report';

export const actionLabels: Record<TurnAction, string> = {
  ask: 'Question',
  probe: 'Probe',
  follow_up: 'Follow-up',
  clarify: 'Asked for specifics',
  repeat: 'Repeated',
  redirect: 'Redirected',
  nudge: 'Nudge',
  move_on: 'Next question',
  wrap_up: 'Closing'
};

export type TranscriptEntry = { message: TranscriptMessage; dimension: string | null };

export type TranscriptGroup = {
  /** `q:<id>`, or `closing` for the wrap-up. */
  key: string;
  questionId: string | null;
  /** "Question 3 of 7 · Production incidents"; null for the closing. */
  label: string | null;
  title: string;
  kind: string | null;
  entries: TranscriptEntry[];
};

/**
 * Groups the transcript by question. Candidate messages carry no question:
 * they belong to the one the interviewer last asked about. The wrap-up goes
 * to its own closing group.
 */
export function groupTranscript(
  outline: PlanOutline | null,
  messages: TranscriptMessage[]
): TranscriptGroup[] {
  const index = questionIndex(outline);
  const total = index.size;
  const groups: TranscriptGroup[] = [];
  let current: TranscriptGroup | null = null;
  let currentKey = '';
  for (const message of messages) {
    const closing = message.speaker === 'interviewer' && message.action === 'wrap_up';
    const key: string = closing
      ? 'closing'
      : message.speaker === 'interviewer' && message.questionId
        ? `q:${message.questionId}`
        : current
          ? currentKey
          : 'opening';
    if (!current || currentKey !== key) {
      currentKey = key;
      const questionId = key.startsWith('q:') ? key.slice(2) : null;
      const ref = questionId ? index.get(questionId) : undefined;
      current = {
        key: groups.some((g) => g.key === key) ? `${key}:${groups.length}` : key,
        questionId,
        label: ref ? `Question ${ref.number} of ${total} · ${ref.section}` : null,
        title: ref?.title ?? (closing ? 'Closing' : (questionId ?? 'Opening')),
        kind: ref?.kind ?? null,
        entries: []
      };
      groups.push(current);
    }
    current.entries.push({
      message,
      dimension: dimensionName(outline, message.questionId, message.dimensionId)
    });
  }
  return groups;
}

export type ScoredQuestion = {
  questionId: string;
  title: string;
  scores: (DimensionScore & { name: string })[];
};

/** Scores grouped by question, in the plan's order (unknown ids last). */
export function scoresByQuestion(
  outline: PlanOutline | null,
  scores: DimensionScore[]
): ScoredQuestion[] {
  const index = questionIndex(outline);
  const byQuestion = new Map<string, ScoredQuestion>();
  for (const score of scores) {
    let entry = byQuestion.get(score.questionId);
    if (!entry) {
      entry = {
        questionId: score.questionId,
        title: index.get(score.questionId)?.title ?? score.questionId,
        scores: []
      };
      byQuestion.set(score.questionId, entry);
    }
    entry.scores.push({
      ...score,
      name: dimensionName(outline, score.questionId, score.dimensionId) ?? score.dimensionId
    });
  }
  const order = (id: string) => index.get(id)?.number ?? Number.MAX_SAFE_INTEGER;
  return [...byQuestion.values()].sort((a, b) => order(a.questionId) - order(b.questionId));
}

/** The mean score, one decimal; null without scores. */
export function averageScore(scores: readonly { score: number }[]): number | null {
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((sum, s) => sum + s.score, 0) / scores.length) * 10) / 10;
}

export const scoreLabels: Record<1 | 2 | 3 | 4, string> = {
  1: 'Weak',
  2: 'Partial',
  3: 'Good',
  4: 'Strong'
};

/** Where an interview stands in its plan, and how much of its time budgets it has used. */
import type { EngineState, InterviewPlan, Question } from '../types';
import { InterviewerError } from './errors';

export type Position = { sectionIndex: number; questionIndex: number };

export type Located = Position & {
  section: InterviewPlan['sections'][number];
  question: Question;
  /** 1-based number of the question across the whole plan. */
  number: number;
};

export function locate(plan: InterviewPlan, position: Position): Located | undefined {
  const section = plan.sections[position.sectionIndex];
  const question = section?.questions[position.questionIndex];
  if (!section || !question) return undefined;
  let number = position.questionIndex + 1;
  for (let s = 0; s < position.sectionIndex; s++) number += plan.sections[s]?.questions.length ?? 0;
  return { ...position, section, question, number };
}

/** The first question of the plan, skipping empty sections. */
export function first(plan: InterviewPlan): Located | undefined {
  return nextSection(plan, -1);
}

/** The question after `position`, in this section or the next non-empty one. */
export function next(plan: InterviewPlan, position: Position): Located | undefined {
  return (
    locate(plan, { ...position, questionIndex: position.questionIndex + 1 }) ??
    nextSection(plan, position.sectionIndex)
  );
}

/** The first question of the first non-empty section after `sectionIndex`. */
export function nextSection(plan: InterviewPlan, sectionIndex: number): Located | undefined {
  for (let s = sectionIndex + 1; s < plan.sections.length; s++) {
    const found = locate(plan, { sectionIndex: s, questionIndex: 0 });
    if (found) return found;
  }
  return undefined;
}

export function questionCount(plan: InterviewPlan): number {
  return plan.sections.reduce((n, s) => n + s.questions.length, 0);
}

export function totalMinutes(plan: InterviewPlan): number {
  return plan.sections.reduce((n, s) => n + s.minutes, 0);
}

export function allQuestions(plan: InterviewPlan): Question[] {
  return plan.sections.flatMap((s) => s.questions);
}

/** -1, 0 or 1 as `a` comes before, at or after `b` in plan order. */
export function compare(a: Position, b: Position): number {
  if (a.sectionIndex !== b.sectionIndex) return Math.sign(a.sectionIndex - b.sectionIndex);
  return Math.sign(a.questionIndex - b.questionIndex);
}

export function minutesSince(iso: string, now: Date): number {
  return (now.getTime() - Date.parse(iso)) / 60_000;
}

/** Which budget, if any, is spent: the engine moves on or wraps up without asking the provider. */
export type Overrun = 'total' | 'section' | 'question' | 'turns';

export function overrun(
  plan: InterviewPlan,
  state: EngineState,
  now: Date,
  maxTurnsPerQuestion: number
): Overrun | undefined {
  const here = locate(plan, state);
  if (!here) return 'total';
  if (minutesSince(state.startedAt, now) >= totalMinutes(plan)) return 'total';
  if (minutesSince(state.sectionStartedAt, now) >= here.section.minutes) return 'section';
  if (minutesSince(state.questionStartedAt, now) >= here.question.minutes) return 'question';
  if (state.turnsOnQuestion >= maxTurnsPerQuestion) return 'turns';
  return undefined;
}

const checked = new WeakSet<InterviewPlan>();

/**
 * Refuses plans the engine cannot follow: no questions, duplicate question ids
 * (coverage is kept per question id), or budgets that are not positive.
 * Plans are shared read-only objects, so each is checked once.
 */
export function checkPlan(plan: InterviewPlan): void {
  if (checked.has(plan)) return;
  const problem = planProblem(plan);
  if (problem) throw new InterviewerError('invalid_plan', `Invalid interview plan: ${problem}`);
  checked.add(plan);
}

function planProblem(plan: InterviewPlan): string | undefined {
  if (!Array.isArray(plan.sections) || questionCount(plan) === 0) return 'it has no questions';
  const ids = new Set<string>();
  for (const section of plan.sections) {
    if (!(section.minutes > 0)) return `section "${section.id}" has no positive time budget`;
    for (const question of section.questions) {
      if (ids.has(question.id)) return `question "${question.id}" appears twice`;
      ids.add(question.id);
      if (!(question.minutes > 0)) return `question "${question.id}" has no positive time budget`;
    }
  }
  return undefined;
}

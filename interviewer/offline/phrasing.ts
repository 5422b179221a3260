/**
 * Everything the offline engine says, in one place. Messages are built from
 * the plan's own texts (prompts, probes) with a short lead-in; every lead-in
 * has variants so that a second nudge or a second repeat is never the same
 * message as the first (issue 5: "never asks the same thing twice").
 */
import type { InterviewPlan } from '../types';
import { questionCount, totalMinutes, type Located } from '../engine/plan';

/** Why the engine leaves a question. */
export type MoveReason =
  | 'covered' // every rubric concept is covered
  | 'exhausted' // nothing left to ask about it
  | 'stuck' // two non-answers in a row
  | 'time' // a time budget ran out
  | 'turns'; // the per-question turn cap

const MOVE_LEAD: Record<MoveReason, string> = {
  covered: 'Thanks, that covers what I wanted to ask here.',
  exhausted: 'Thanks.',
  stuck: "No problem, let's move on.",
  time: "We're at the time for this one, so let's move on.",
  turns: "Thanks, let's move on."
};

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

/** "Question 2 of 5 — Title: prompt" (+ a coding hint), with the section named when it changes. */
export function introduce(plan: InterviewPlan, at: Located, newSection: boolean): string {
  const total = questionCount(plan);
  const section = newSection && plan.sections.length > 1 ? `Next part: ${at.section.title}. ` : '';
  const coding =
    at.question.kind === 'coding'
      ? ' Write your code in the editor and run it when you are ready, then tell me about your approach.'
      : '';
  return `${section}Question ${at.number} of ${total} — ${at.question.title}: ${at.question.prompt}${coding}`;
}

export function greeting(plan: InterviewPlan, at: Located): string {
  const total = questionCount(plan);
  const questions = total === 1 ? '1 question' : `${total} questions`;
  return (
    `Hi, and thanks for taking this interview. I'm Tandem's interviewer. ` +
    `We have ${questions} and about ${minutes(totalMinutes(plan))}. ` +
    `Answer in your own words and as concretely as you can; you can ask me to repeat a question at any time. ` +
    introduce(plan, at, false)
  );
}

export function moveOn(
  plan: InterviewPlan,
  to: Located,
  from: Located,
  reason: MoveReason
): string {
  return `${MOVE_LEAD[reason]} ${introduce(plan, to, to.sectionIndex !== from.sectionIndex)}`;
}

export function wrapUp(reason: MoveReason): string {
  const lead =
    reason === 'time'
      ? "We've reached the end of the time for this interview."
      : reason === 'stuck'
        ? "No problem, that's where we'll stop."
        : 'That was the last question.';
  return `${lead} Thank you for your time: your answers are recorded and the team will review them.`;
}

/** Lead-ins for hearing the last question again. */
export const REPEAT_LEADS = [
  'Sure, here it is again:',
  'Of course. Once more:',
  "No problem, I'll say it again:"
];

/** Lead-ins after an answer about something else. */
export const REDIRECT_LEADS = [
  "That seems to be about something else. Let's stay with this one:",
  "Let's bring it back to the question:"
];

/** Lead-ins for a narrower angle after silence or "I don't know". */
export const NUDGE_LEADS = {
  silence: ['Take your time. A narrower angle, if it helps:', 'Whenever you are ready:'],
  dont_know: ["That's fine. Let's try a different angle:", 'No problem. Another way in:']
} as const;

/** Coding tasks before there is code to talk about. */
export const CODING_NUDGES = [
  'Take your time with the code. When you have run it, walk me through your approach.',
  'Whenever you are ready, tell me how you are approaching the task, even before the code runs.'
];

/** Requests for specifics after a vague answer, about one rubric dimension. */
export function clarifyVariants(dimensionName: string): string[] {
  const topic = dimensionName.toLowerCase();
  return [
    `Could you be more specific about ${topic}? What exactly would you do, with which components, limits or numbers?`,
    `Can you make that concrete with an example of ${topic}, ideally one you have seen in practice?`
  ];
}

export const ALL_LEADS: readonly string[] = [
  ...REPEAT_LEADS,
  ...REDIRECT_LEADS,
  ...NUDGE_LEADS.silence,
  ...NUDGE_LEADS.dont_know
];

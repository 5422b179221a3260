/**
 * The prose around the offline scores, generated from rubric names and
 * uncovered concepts only, so the same transcript always reads the same
 * (issue 5, 6: "a summary, strengths, concerns, and follow-up topics for a
 * human round").
 */
import type { InterviewPlan } from '../types';
import type { DimensionResult } from './score';

export const MAX_LIST_ITEMS = 10;
export const MAX_FOLLOW_UP_TOPICS = 8;

export type Scored = DimensionResult & {
  questionTitle: string;
  dimensionName: string;
  reached: boolean;
};

export type Report = {
  summary: string;
  strengths: string[];
  concerns: string[];
  followUpTopics: string[];
};

function names(items: Scored[]): string {
  return items.map((s) => `${s.dimensionName} (${s.questionTitle})`).join('; ');
}

export function buildReport(
  plan: InterviewPlan,
  scored: Scored[],
  facts: { questions: number; reached: number; nonAnswers: number; injections: number }
): Report {
  const reached = scored.filter((s) => s.reached);
  const mean = reached.length ? reached.reduce((n, s) => n + s.score, 0) / reached.length : 1;
  const best = reached.filter((s) => s.score >= 3);
  const worst = reached.filter((s) => s.score <= 2);
  const summary = [
    `Offline evaluation of "${plan.title}": ${facts.reached} of ${facts.questions} questions reached, ` +
      `an average of ${mean.toFixed(1)} of 4 over ${reached.length} rubric dimensions.`,
    best.length ? `Strongest: ${names(best.slice(0, 3))}.` : 'No dimension reached a 3.',
    worst.length ? `Weakest: ${names(worst.slice(0, 3))}.` : '',
    facts.injections
      ? 'The candidate tried to instruct the interviewer; those messages were ignored for scoring.'
      : ''
  ]
    .filter(Boolean)
    .join(' ');

  const strengths = best.map(
    (s) => `${s.dimensionName} (${s.questionTitle}): covered ${s.covered.join(', ')}.`
  );
  const concerns = worst.map((s) =>
    s.covered.length
      ? `${s.dimensionName} (${s.questionTitle}): did not cover ${s.missing.join(', ')}.`
      : `${s.dimensionName} (${s.questionTitle}): covered none of ${s.missing.join(', ')}.`
  );
  const unreached = [...new Set(scored.filter((s) => !s.reached).map((s) => s.questionTitle))];
  for (const title of unreached) concerns.push(`Not reached: ${title}.`);
  if (facts.nonAnswers >= 2)
    concerns.push(`Answered "I don't know" or nothing ${facts.nonAnswers} times.`);
  if (facts.injections)
    concerns.push(
      `Tried to instruct the interviewer in ${facts.injections} message${facts.injections === 1 ? '' : 's'}; ignored for scoring.`
    );

  const topics: string[] = [];
  const open = [...reached].filter((s) => s.score <= 3 && s.missing.length > 0);
  // Stable: lowest scores first, plan order within a score (Array.prototype.sort is stable).
  open.sort((a, b) => a.score - b.score);
  for (const s of open)
    for (const label of s.missing) {
      const topic = `${label} (${s.questionTitle})`;
      if (!topics.includes(topic)) topics.push(topic);
    }
  for (const title of unreached) topics.push(`${title} (not reached)`);

  return {
    summary,
    strengths: strengths.slice(0, MAX_LIST_ITEMS),
    concerns: concerns.slice(0, MAX_LIST_ITEMS),
    followUpTopics: topics.slice(0, MAX_FOLLOW_UP_TOPICS)
  };
}

/**
 * The offline engine's turn: classify the answer, record the concepts it
 * covers, then choose the next move (issue 5, 1 and 2b):
 *
 * - silence / "I don't know": a narrower angle (the next unasked probe); a
 *   second non-answer in a row moves on. On a coding task with code, silence
 *   is time spent coding: ask about the code instead.
 * - "repeat that": the last question again, with a lead-in it has not used.
 * - off-topic: back to the last question; after every lead-in is used, move on.
 * - vague: ask for specifics on the dimension in focus (once per variant).
 * - an answer: probe deeper on the dimension in focus while it has uncovered
 *   concepts and unasked probes; else follow up on the least covered other
 *   dimension; coding tasks first ask about the candidate's code; when
 *   nothing is left, or everything is covered, move on (or wrap up after the
 *   last question).
 *
 * Time budgets and the per-question turn cap are the engine's job
 * (engine/engine.ts), so they hold whatever the provider.
 */
import type {
  Decision,
  EngineState,
  Question,
  RubricDimension,
  TurnInput,
  TurnResult
} from '../types';
import { locate, next } from '../engine/plan';
import { advance, sameTextKey, withCovered } from '../engine/state';
import { classifyAnswer, vocabularyOf, type AnswerKind } from './classify';
import { codeQuestions, codeVocabulary, hasCode } from './coding';
import { coveredConcepts, dimensionCoverage, uncovered, withoutInstructions } from './coverage';
import {
  CODING_NUDGES,
  NUDGE_LEADS,
  REDIRECT_LEADS,
  REPEAT_LEADS,
  clarifyVariants,
  type MoveReason
} from './phrasing';
import { transition } from './transition';

type Step =
  | { kind: 'say'; action: Decision['action']; message: string; dimensionId?: string }
  | { kind: 'leave'; reason: MoveReason };

/** What the interviewer last asked about the current question, and which dimension it served. */
type Focus = { core: string; dimensionId?: string };

const vocabularies = new WeakMap<Question, Set<string>>();

function vocabulary(question: Question): Set<string> {
  let vocab = vocabularies.get(question);
  if (!vocab) {
    vocab = vocabularyOf([
      question.title,
      question.prompt,
      ...(question.kind === 'discussion' ? question.tags : question.followUps),
      ...question.rubric.flatMap((d) => [
        d.name,
        d.description,
        ...d.probes,
        ...d.concepts.flatMap((c) => [c.label, ...c.phrases])
      ])
    ]);
    vocabularies.set(question, vocab);
  }
  return vocab;
}

type Core = { text: string; key: string; dimensionId?: string };
const cores = new WeakMap<Question, Core[]>();

/** Texts a message may be built around, most specific first: probes, clarifications, follow-ups, the prompt. */
function knownCores(question: Question): Core[] {
  let list = cores.get(question);
  if (!list) {
    list = [
      ...question.rubric.flatMap((d) => d.probes.map((text) => ({ text, dimensionId: d.id }))),
      ...question.rubric.flatMap((d) =>
        clarifyVariants(d.name).map((text) => ({ text, dimensionId: d.id }))
      ),
      ...(question.kind === 'coding' ? question.followUps.map((text) => ({ text })) : []),
      { text: question.prompt }
    ].map((core) => ({ ...core, key: sameTextKey(core.text) }));
    cores.set(question, list);
  }
  return list;
}

/** The last interviewer message, reduced to the question it asked. */
function focusOf(question: Question, state: EngineState): Focus {
  const last = state.asked.at(-1) ?? question.prompt;
  const key = sameTextKey(last);
  for (const known of knownCores(question))
    if (key.includes(known.key)) return { core: known.text, dimensionId: known.dimensionId };
  // An LLM's own wording, or a question about the candidate's code: repeat it as it was.
  return { core: last };
}

/**
 * What the interviewer said so far. A text counts as asked when any message
 * contained it, with whatever lead-in: a probe used in a nudge is not asked
 * again as a probe.
 */
type Asked = { keys: readonly string[]; exact: ReadonlySet<string> };

function askedOf(state: EngineState): Asked {
  const keys = state.asked.map(sameTextKey);
  return { keys, exact: new Set(keys) };
}

function wasAsked(text: string, asked: Asked): boolean {
  const key = sameTextKey(text);
  return asked.exact.has(key) || asked.keys.some((k) => k.includes(key));
}

function firstUnasked(texts: readonly string[], asked: Asked): string | undefined {
  return texts.find((t) => !wasAsked(t, asked));
}

function unaskedProbe(dimension: RubricDimension, asked: Asked) {
  return firstUnasked(dimension.probes, asked);
}

/** Dimensions with uncovered concepts and a probe left, least covered first (rubric order on ties). */
function openDimensions(question: Question, covered: readonly string[], asked: Asked) {
  return question.rubric
    .map((dimension, index) => ({
      dimension,
      index,
      fraction: dimensionCoverage(dimension, covered)
    }))
    .filter(
      ({ dimension }) =>
        uncovered(dimension, covered).length > 0 && unaskedProbe(dimension, asked) !== undefined
    )
    .sort((a, b) => a.fraction - b.fraction || a.index - b.index)
    .map(({ dimension }) => dimension);
}

function wasNudge(state: EngineState): boolean {
  const last = state.asked.at(-1) ?? '';
  return [...NUDGE_LEADS.silence, ...NUDGE_LEADS.dont_know, ...CODING_NUDGES].some((lead) =>
    last.startsWith(lead)
  );
}

/** `core` behind the first lead-in not used with it yet (a repeat re-asks on purpose). */
function withLead(leads: readonly string[], core: string, asked: Asked): string | undefined {
  return leads.map((lead) => `${lead} ${core}`).find((m) => !asked.exact.has(sameTextKey(m)));
}

/** The next thing to ask about the question after a real answer, or undefined when nothing is left. */
function nextQuestion(
  question: Question,
  input: TurnInput,
  covered: readonly string[],
  focus: Focus,
  asked: Asked
): Step | undefined {
  if (question.kind === 'coding') {
    const fromCode = firstUnasked(codeQuestions(question, input.code), asked);
    if (fromCode) return { kind: 'say', action: 'follow_up', message: fromCode };
  }
  const current = question.rubric.find((d) => d.id === focus.dimensionId);
  if (current && uncovered(current, covered).length > 0) {
    const probe = unaskedProbe(current, asked);
    if (probe) return { kind: 'say', action: 'probe', message: probe, dimensionId: current.id };
  }
  const other = openDimensions(question, covered, asked)[0];
  if (other) {
    const probe = unaskedProbe(other, asked);
    if (probe) return { kind: 'say', action: 'follow_up', message: probe, dimensionId: other.id };
  }
  if (question.kind === 'coding' && !hasCode(input.code)) {
    const message = firstUnasked(CODING_NUDGES, asked);
    if (message) return { kind: 'say', action: 'nudge', message };
  }
  return undefined;
}

function nudge(
  kind: 'silence' | 'dont_know',
  question: Question,
  input: TurnInput,
  covered: readonly string[],
  state: EngineState,
  asked: Asked
): Step {
  if (question.kind === 'coding') {
    // Silence while coding is work, not a non-answer: ask about the code once there is some.
    if (hasCode(input.code)) {
      const fromCode = firstUnasked(codeQuestions(question, input.code), asked);
      if (fromCode) return { kind: 'say', action: 'follow_up', message: fromCode };
    } else if (kind === 'silence') {
      const message = firstUnasked(CODING_NUDGES, asked);
      if (message) return { kind: 'say', action: 'nudge', message };
    }
  }
  if (wasNudge(state)) return { kind: 'leave', reason: 'stuck' };
  for (const dimension of openDimensions(question, covered, asked)) {
    const probe = unaskedProbe(dimension, asked);
    const message = probe && withLead(NUDGE_LEADS[kind], probe, asked);
    if (message) return { kind: 'say', action: 'nudge', message, dimensionId: dimension.id };
  }
  return { kind: 'leave', reason: 'stuck' };
}

function choose(
  kind: AnswerKind,
  question: Question,
  input: TurnInput,
  covered: readonly string[],
  asked: Asked
): Step {
  const focus = focusOf(question, input.state);
  switch (kind) {
    case 'silence':
    case 'dont_know':
      return nudge(kind, question, input, covered, input.state, asked);
    case 'repeat': {
      const message = withLead(REPEAT_LEADS, focus.core, asked);
      return message
        ? { kind: 'say', action: 'repeat', message, dimensionId: focus.dimensionId }
        : { kind: 'leave', reason: 'exhausted' };
    }
    case 'off_topic': {
      const message = withLead(REDIRECT_LEADS, focus.core, asked);
      return message
        ? { kind: 'say', action: 'redirect', message, dimensionId: focus.dimensionId }
        : { kind: 'leave', reason: 'exhausted' };
    }
    case 'vague': {
      // Specifics about something still uncovered; with everything covered, a vague line is just an answer.
      const inFocus = question.rubric.find((d) => d.id === focus.dimensionId);
      const dimension =
        inFocus && uncovered(inFocus, covered).length > 0
          ? inFocus
          : question.rubric.find((d) => uncovered(d, covered).length > 0);
      const message = dimension && firstUnasked(clarifyVariants(dimension.name), asked);
      if (message && dimension)
        return { kind: 'say', action: 'clarify', message, dimensionId: dimension.id };
      break; // every variant used: treat it as an answer
    }
    case 'answer':
      break;
  }
  const all = question.rubric.flatMap((d) => d.concepts.map((c) => c.id));
  if (question.kind === 'discussion' && all.every((id) => covered.includes(id)))
    return { kind: 'leave', reason: 'covered' };
  return (
    nextQuestion(question, input, covered, focus, asked) ?? {
      kind: 'leave',
      reason: all.every((id) => covered.includes(id)) ? 'covered' : 'exhausted'
    }
  );
}

export function decideOffline(input: TurnInput): TurnResult {
  const here = locate(input.plan, input.state);
  if (!here) throw new Error('Engine state points outside the plan');
  const question = here.question;
  // Sentences that instruct the interviewer are data, never answers: they cover nothing.
  const said = withoutInstructions(input.answer);
  const hits = coveredConcepts(said, question.rubric);
  const state = {
    ...input.state,
    covered: withCovered(input.state.covered, question.id, hits)
  };
  const covered = state.covered[question.id] ?? [];
  const vocab =
    question.kind === 'coding' && hasCode(input.code)
      ? new Set([...vocabulary(question), ...vocabularyOf(codeVocabulary(input.code))])
      : vocabulary(question);
  const kind =
    said.length === 0 && input.answer.trim().length > 0
      ? 'off_topic'
      : classifyAnswer(said, vocab, hits.length).kind;
  const asked = askedOf(state);
  const step = choose(kind, question, { ...input, state }, covered, asked);
  if (step.kind === 'leave')
    return transition(input.plan, state, here, next(input.plan, here), step.reason, input.now);
  return {
    decision: {
      action: step.action,
      message: step.message,
      questionId: question.id,
      ...(step.dimensionId ? { dimensionId: step.dimensionId } : {})
    },
    state: advance(state, 'stay', step.message, input.now)
  };
}

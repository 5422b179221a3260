/**
 * EngineState: plain JSON the app persists after every turn and hands back on
 * the next one, so a refresh resumes exactly. It comes back from storage, so
 * it is parsed like any other input.
 */
import { z } from 'zod';
import type { EngineState, InterviewPlan } from '../types';
import { InterviewerError } from './errors';
import { locate, type Located } from './plan';

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'not an ISO time' });

export const engineStateSchema = z.object({
  sectionIndex: z.number().int().min(0),
  questionIndex: z.number().int().min(0),
  covered: z.record(z.string(), z.array(z.string())),
  asked: z.array(z.string()),
  turnsOnQuestion: z.number().int().min(0),
  questionStartedAt: iso,
  sectionStartedAt: iso,
  startedAt: iso,
  finished: z.boolean()
});

/** The state, checked against the plan; throws `invalid_state`. */
export function parseState(plan: InterviewPlan, value: unknown): EngineState {
  const result = engineStateSchema.safeParse(value);
  if (!result.success)
    throw new InterviewerError(
      'invalid_state',
      `Invalid engine state: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? ''}`.trim(),
      { cause: result.error }
    );
  if (!locate(plan, result.data))
    throw new InterviewerError('invalid_state', 'Engine state points outside the plan');
  return result.data;
}

/** The state right after the first question was asked. */
export function initialState(at: Located, now: Date, message: string): EngineState {
  const time = now.toISOString();
  return {
    sectionIndex: at.sectionIndex,
    questionIndex: at.questionIndex,
    covered: {},
    asked: [message],
    turnsOnQuestion: 1,
    questionStartedAt: time,
    sectionStartedAt: time,
    startedAt: time,
    finished: false
  };
}

/**
 * The state after the interviewer said `message`: at `target` (a new question
 * restarts the question clock, a new section the section clock), or finished
 * when `target` is 'end'.
 */
export function advance(
  state: EngineState,
  target: Located | 'stay' | 'end',
  message: string,
  now: Date
): EngineState {
  const asked = [...state.asked, message];
  if (target === 'end')
    return { ...state, asked, turnsOnQuestion: state.turnsOnQuestion + 1, finished: true };
  if (target === 'stay') return { ...state, asked, turnsOnQuestion: state.turnsOnQuestion + 1 };
  const time = now.toISOString();
  return {
    ...state,
    asked,
    sectionIndex: target.sectionIndex,
    questionIndex: target.questionIndex,
    turnsOnQuestion: 1,
    questionStartedAt: time,
    sectionStartedAt: target.sectionIndex === state.sectionIndex ? state.sectionStartedAt : time
  };
}

/** `state.covered` with `ids` added for `questionId`, first-seen order kept. */
export function withCovered(
  covered: EngineState['covered'],
  questionId: string,
  ids: readonly string[]
): EngineState['covered'] {
  const before = covered[questionId] ?? [];
  const added = ids.filter((id, i) => !before.includes(id) && ids.indexOf(id) === i);
  if (added.length === 0) return covered;
  return { ...covered, [questionId]: [...before, ...added] };
}

/** Keys of texts seen recently: the same probes and messages recur on every turn of every interview. */
const keyCache = new Map<string, string>();
const KEY_CACHE_SIZE = 20_000;

/**
 * The form in which two interviewer messages count as the same: case, spacing
 * and punctuation do not make a message new.
 */
export function sameTextKey(text: string): string {
  let key = keyCache.get(text);
  if (key === undefined) {
    key = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.clear();
    keyCache.set(text, key);
  }
  return key;
}

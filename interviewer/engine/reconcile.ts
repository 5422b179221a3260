/**
 * What the engine accepts from a provider's turn. A provider (an LLM above
 * all) may be wrong in many ways; any of these makes the engine use the
 * fallback instead (issue 5, 2b):
 *
 * - a decision or state that fails the schema, or a message over the cap;
 * - a message the interviewer already said (case, spacing, punctuation aside);
 * - a position outside the plan, backwards, or past the next question;
 * - `ask`/`move_on` without moving to the next question (bar `ask` on a question
 *   nothing was asked on yet), or moving without them;
 * - `wrap_up` before the last question while more than 10% of the time is left.
 *
 * From an accepted turn the engine keeps the action, the message, the
 * position and the concepts the provider saw covered on the current question;
 * the bookkeeping (asked, turn count, clocks, finished) is recomputed here so
 * every provider leaves the same kind of state.
 */
import { z } from 'zod';
import {
  TURN_ACTIONS,
  type EngineState,
  type InterviewPlan,
  type TurnAction,
  type TurnResult
} from '../types';
import { compare, locate, minutesSince, next, totalMinutes, type Located } from './plan';
import { advance, engineStateSchema, sameTextKey, withCovered } from './state';
import { describeIssues } from './transcript';

/** Why a provider's turn or evaluation was not used; logged, never shown to the candidate. */
export class RejectedOutput extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RejectedOutput';
  }
}

/** Share of the total time that must have passed before a provider may wrap up early. */
export const EARLY_WRAP_UP_SHARE = 0.9;

const MOVING: readonly TurnAction[] = ['ask', 'move_on'];

// zod compiles a schema on first use: build one per cap, not one per turn.
const schemas = new Map<number, ReturnType<typeof buildSchema>>();

function resultSchema(maxChars: number) {
  let schema = schemas.get(maxChars);
  if (!schema) {
    schema = buildSchema(maxChars);
    schemas.set(maxChars, schema);
  }
  return schema;
}

function buildSchema(maxChars: number) {
  return z.object({
    decision: z.object({
      action: z.enum(TURN_ACTIONS),
      message: z.string().trim().min(1).max(maxChars),
      questionId: z.string().optional(),
      dimensionId: z.string().optional()
    }),
    state: engineStateSchema
  });
}

export function reconcile(args: {
  plan: InterviewPlan;
  /** The state before the turn, with the engine's own coverage of the answer merged in. */
  state: EngineState;
  here: Located;
  result: unknown;
  seen: ReadonlySet<string>;
  now: Date;
  maxInterviewerChars: number;
}): TurnResult {
  const { plan, state, here, now } = args;
  const parsed = resultSchema(args.maxInterviewerChars).safeParse(args.result);
  if (!parsed.success) throw new RejectedOutput(`schema: ${describeIssues(parsed.error)}`);
  const { decision, state: proposed } = parsed.data;
  if (args.seen.has(sameTextKey(decision.message)))
    throw new RejectedOutput('the message repeats one already said');

  const to = locate(plan, proposed);
  if (!to) throw new RejectedOutput('the state points outside the plan');
  const order = compare(to, here);
  if (order < 0) throw new RejectedOutput('the state goes back in the plan');
  const following = next(plan, here);
  if (order > 0 && (!following || compare(to, following) !== 0))
    throw new RejectedOutput('the state skips a question');
  const moving = MOVING.includes(decision.action);
  // `ask` may also put the current question when nothing was asked on it yet.
  const askingHere = decision.action === 'ask' && order === 0 && state.turnsOnQuestion === 0;
  if (moving !== order > 0 && !askingHere)
    throw new RejectedOutput(`${decision.action} does not match the position`);
  if (
    decision.action === 'wrap_up' &&
    following &&
    minutesSince(state.startedAt, now) < EARLY_WRAP_UP_SHARE * totalMinutes(plan)
  )
    throw new RejectedOutput('wrap_up before the last question');

  const knownConcepts = new Set(here.question.rubric.flatMap((d) => d.concepts.map((c) => c.id)));
  const providerCovered = (proposed.covered[here.question.id] ?? []).filter((id) =>
    knownConcepts.has(id)
  );
  const base = { ...state, covered: withCovered(state.covered, here.question.id, providerCovered) };
  const target = decision.action === 'wrap_up' ? 'end' : order > 0 ? to : 'stay';
  const dimension = to.question.rubric.find((d) => d.id === decision.dimensionId);
  return {
    decision: {
      action: decision.action,
      message: decision.message,
      questionId: to.question.id,
      ...(dimension ? { dimensionId: dimension.id } : {})
    },
    state: advance(base, target, decision.message, now)
  };
}

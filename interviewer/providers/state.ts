/**
 * The state after a validated LLM decision, computed here and never taken from the model, with
 * the engine's own bookkeeping (engine/state.ts), so the state is exactly the one the engine
 * keeps after reconciling the turn and the offline engine can resume from it mid-interview
 * (issue 5: the fallback).
 *
 * From the decision it takes the concepts the model saw covered on the current question, and
 * where to go: stay, the next question (`move_on`), or the end (`wrap_up`). The turn count,
 * `asked` and the clocks follow from `advance`.
 */
import { locate, next } from '../engine/plan';
import { advance, withCovered } from '../engine/state';
import type { EngineState, InterviewPlan } from '../types';
import type { DecisionHead } from './turn-schema';

export function nextState(
  plan: InterviewPlan,
  state: EngineState,
  head: DecisionHead,
  message: string,
  now: Date
): EngineState {
  const current = locate(plan, state);
  if (!current) throw new Error('Engine state points outside the plan');
  const base = {
    ...state,
    covered: withCovered(state.covered, current.question.id, head.coveredConceptIds)
  };
  if (head.action === 'wrap_up') return advance(base, 'end', message, now);
  if (head.action !== 'move_on') return advance(base, 'stay', message, now);
  const target = next(plan, state);
  if (!target) throw new Error('move_on on the last question'); // turn-schema rules it out
  return advance(base, target, message, now);
}

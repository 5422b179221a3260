/** Leaving a question: to `to` with a move-on message, or, with no question left, wrapping up. */
import type { EngineState, InterviewPlan, TurnResult } from '../types';
import type { Located } from '../engine/plan';
import { advance } from '../engine/state';
import { moveOn, wrapUp, type MoveReason } from './phrasing';

export function transition(
  plan: InterviewPlan,
  state: EngineState,
  here: Located,
  to: Located | undefined,
  reason: MoveReason,
  now: Date
): TurnResult {
  if (!to) {
    const message = wrapUp(reason);
    return {
      decision: { action: 'wrap_up', message, questionId: here.question.id },
      state: advance(state, 'end', message, now)
    };
  }
  const message = moveOn(plan, to, here, reason);
  return {
    decision: { action: 'move_on', message, questionId: to.question.id },
    state: advance(state, to, message, now)
  };
}

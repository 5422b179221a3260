/**
 * What the model may decide this turn, as a JSON Schema sent with the request (strict
 * structured output) and as the zod check applied to whatever comes back (issue 5: "decisions
 * as structured output validated with zod"). The choices are computed from the plan and the
 * state on our side, so a decision can only ever name the current question, or the next one
 * when it moves on; anything else is malformed output, never a state we act on.
 */
import { z } from 'zod';
import { locate, minutesSince, next, totalMinutes, type Located } from '../engine/plan';
import { EARLY_WRAP_UP_SHARE } from '../engine/reconcile';
import {
  TURN_ACTIONS,
  type EngineState,
  type InterviewPlan,
  type Question,
  type TurnAction
} from '../types';
import { ProviderError } from './errors';

export type TurnChoices = {
  actions: TurnAction[];
  current: Located;
  /** The question a `move_on` goes to; absent on the last question. */
  next: Located | undefined;
};

/** Actions that stay on the current question. */
const STAYING: TurnAction[] = ['probe', 'follow_up', 'clarify', 'repeat', 'redirect', 'nudge'];

/**
 * The actions the engine would accept now (engine/reconcile.ts): `move_on` only when there is
 * a next question, `wrap_up` only on the last question or in the last 10% of the time.
 * `ask` is never offered: the engine asks the first question itself (`start`), and moving to
 * the next one is `move_on`.
 */
export function turnChoices(plan: InterviewPlan, state: EngineState, now: Date): TurnChoices {
  if (state.finished) throw new Error('The interview is finished: there is no next turn');
  const current = locate(plan, state);
  if (!current) throw new Error('Engine state points outside the plan');
  const following = next(plan, state);
  const late = minutesSince(state.startedAt, now) >= EARLY_WRAP_UP_SHARE * totalMinutes(plan);
  const actions = [...STAYING];
  if (following) actions.push('move_on');
  if (!following || late) actions.push('wrap_up');
  return { actions, current, next: following };
}

/** The question a decision must name: the next one for `move_on`, else the current one. */
export function targetOf(action: TurnAction, choices: TurnChoices): Located | undefined {
  return action === 'move_on' ? choices.next : choices.current;
}

export function conceptIdsOf(question: Question): string[] {
  return [...new Set(question.rubric.flatMap((d) => d.concepts.map((c) => c.id)))];
}

function dimensionIdsOf(question: Question): string[] {
  return question.rubric.map((d) => d.id);
}

/** Keys in the order the model must write them: `message` last, so it can stream. */
export const DECISION_KEYS = [
  'action',
  'questionId',
  'dimensionId',
  'coveredConceptIds',
  'message'
] as const;

type JsonSchema = Record<string, unknown>;

/** A strict-mode JSON Schema: every property required, no others, optional as `null`. */
export function decisionJsonSchema(choices: TurnChoices): JsonSchema {
  const questionIds = [choices.current.question.id];
  if (choices.next) questionIds.push(choices.next.question.id);
  const dimensionIds = [
    ...new Set([
      ...dimensionIdsOf(choices.current.question),
      ...(choices.next ? dimensionIdsOf(choices.next.question) : [])
    ])
  ];
  const conceptIds = conceptIdsOf(choices.current.question);
  return {
    type: 'object',
    additionalProperties: false,
    required: [...DECISION_KEYS],
    properties: {
      action: { type: 'string', enum: choices.actions },
      questionId: { type: 'string', enum: questionIds },
      dimensionId:
        dimensionIds.length > 0
          ? { anyOf: [{ type: 'string', enum: dimensionIds }, { type: 'null' }] }
          : { type: 'null' },
      coveredConceptIds: {
        type: 'array',
        items: conceptIds.length > 0 ? { type: 'string', enum: conceptIds } : { type: 'string' }
      },
      message: { type: 'string' }
    }
  };
}

/** Everything but the message: checkable as soon as the model starts writing the message. */
export type DecisionHead = {
  action: TurnAction;
  questionId: string;
  dimensionId: string | undefined;
  coveredConceptIds: string[];
};

/**
 * The shape, checked by one zod schema built once (zod compiles a schema on first use, and a
 * turn-specific schema would cost that on every turn: issue 5's 30 ms budget); what this turn
 * allows is checked against `choices` after it.
 */
const headShape = z.object({
  action: z.enum(TURN_ACTIONS),
  questionId: z.string(),
  // json_object mode cannot force these two, so absent means none.
  dimensionId: z.string().nullish(),
  coveredConceptIds: z.array(z.string()).max(100).nullish()
});

function malformed(what: string, problems: string[], cause?: unknown): ProviderError {
  return new ProviderError('malformed_output', `Invalid ${what}: ${problems.join('; ')}`, {
    cause
  });
}

export function parseDecisionHead(value: unknown, choices: TurnChoices): DecisionHead {
  const result = headShape.safeParse(value);
  if (!result.success) throw malformed('decision', [summarize(result.error)], result.error);
  const head = result.data;
  const problems: string[] = [];
  if (!choices.actions.includes(head.action)) {
    problems.push(`action: ${head.action} is not allowed now`);
  }
  const target = targetOf(head.action, choices);
  if (head.questionId !== target?.question.id) {
    problems.push(`questionId: must be ${target?.question.id ?? 'absent'} for ${head.action}`);
  }
  if (head.dimensionId != null && !target?.question.rubric.some((d) => d.id === head.dimensionId)) {
    problems.push(`dimensionId: unknown ${head.dimensionId}`);
  }
  const concepts = conceptIdsOf(choices.current.question);
  const unknown = (head.coveredConceptIds ?? []).filter((id) => !concepts.includes(id));
  if (unknown.length > 0) problems.push(`coveredConceptIds: unknown ${unknown.join(', ')}`);
  if (problems.length > 0) throw malformed('decision', problems);
  return {
    action: head.action,
    questionId: head.questionId,
    dimensionId: head.dimensionId ?? undefined,
    coveredConceptIds: [...new Set(head.coveredConceptIds ?? [])]
  };
}

export function parseMessage(value: unknown, maxChars: number): string {
  if (typeof value !== 'string') throw malformed('message', ['not a string']);
  const message = value.trim();
  if (message === '') throw malformed('message', ['empty']);
  if (message.length > maxChars) throw malformed('message', [`over ${maxChars} characters`]);
  return message;
}

export function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

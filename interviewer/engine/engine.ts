/**
 * The interview engine: a plan drives a state machine, a provider decides each
 * turn, and the engine holds the invariants whatever the provider does
 * (issue 5, 1 and 2b; docs/interviewer.md):
 *
 * - time budgets: a question over its minutes moves on, a section over its
 *   minutes goes to the next section, the whole plan over its minutes wraps
 *   up — checked before the provider is asked, so no provider can overrun;
 * - at most `maxTurnsPerQuestion` interviewer messages per question;
 * - never the same interviewer message twice;
 * - a finished interview refuses turns (`interview_finished`), a candidate
 *   message over `maxMessageChars` is refused (`message_too_long`);
 * - any provider failure (error, timeout, a turn `reconcile` rejects) is
 *   logged and the fallback (the offline engine) answers instead, silently.
 *   If even that fails, the engine moves on by itself: never a stuck interview.
 */
import type {
  Evaluation,
  InterviewPlan,
  InterviewerProvider,
  TranscriptMessage,
  TurnInput,
  TurnResult
} from '../types';
import { coveredConcepts, withoutInstructions } from '../offline/coverage';
import { greeting } from '../offline/phrasing';
import { createOfflineProvider } from '../offline/provider';
import { transition } from '../offline/transition';
import { withDeadline } from './deadline';
import { InterviewerError } from './errors';
import { finishEvaluation } from './evaluate';
import { resolveLimits, type EngineLimits } from './limits';
import { silentLogger, type InterviewerLogger } from './logger';
import {
  checkPlan,
  first,
  locate,
  next,
  nextSection,
  overrun,
  type Located,
  type Overrun
} from './plan';
import { reconcile } from './reconcile';
import { initialState, parseState, sameTextKey, withCovered } from './state';
import { parseTranscript } from './transcript';

export type InterviewEngineOptions = {
  /** Decides turns and evaluates; default the offline engine. */
  provider?: InterviewerProvider;
  /** Answers when `provider` fails; default the offline engine. */
  fallback?: InterviewerProvider;
  logger?: InterviewerLogger;
  /** Shorthand for `limits.turnTimeoutMs`. */
  turnTimeoutMs?: number;
  limits?: Partial<EngineLimits>;
};

export type TurnOptions = {
  /** The caller's own cancellation (the candidate left); aborts with `aborted`, nothing decided. */
  signal?: AbortSignal;
  /** Receives the next message as it streams. */
  onToken?: (text: string) => void;
  /**
   * Called when text already streamed through `onToken` is void because the
   * provider failed or its turn was rejected; the app clears the half-shown
   * message, and the fallback's message streams next.
   */
  onDiscard?: () => void;
};

export type EngineTurnResult = TurnResult & {
  /** True when the configured provider did not decide this turn (for metrics; never shown). */
  usedFallback: boolean;
};

export interface InterviewEngine {
  readonly limits: EngineLimits;
  /** The greeting and the first question. */
  start(plan: InterviewPlan, now: Date): TurnResult;
  /** Decides the interviewer's reply to the candidate's latest message (`input.answer`). */
  turn(input: TurnInput, options?: TurnOptions): Promise<EngineTurnResult>;
  /** Scores a transcript; evidence verified verbatim, injection attempts flagged. */
  evaluate(
    plan: InterviewPlan,
    transcript: readonly TranscriptMessage[],
    options?: { signal?: AbortSignal }
  ): Promise<Evaluation>;
}

/** Control characters other than tab and newline say nothing and break displays. */
function clean(answer: string): string {
  // eslint-disable-next-line no-control-regex
  return answer.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    return `${error.name}${code}: ${error.message}`;
  }
  return String(error);
}

/** Appends a counter in the one case a forced message could repeat an earlier one (a provider said it first). */
function unique(result: TurnResult, seen: ReadonlySet<string>): TurnResult {
  if (!seen.has(sameTextKey(result.decision.message))) return result;
  const message = `${result.decision.message} (${result.state.asked.length})`;
  return {
    decision: { ...result.decision, message },
    state: { ...result.state, asked: [...result.state.asked.slice(0, -1), message] }
  };
}

export function createInterviewEngine(options: InterviewEngineOptions = {}): InterviewEngine {
  const offline = createOfflineProvider();
  const provider = options.provider ?? offline;
  const fallback = options.fallback ?? offline;
  const chain = provider === fallback ? [provider] : [provider, fallback];
  const logger = options.logger ?? silentLogger;
  const limits = resolveLimits({
    ...options.limits,
    ...(options.turnTimeoutMs !== undefined ? { turnTimeoutMs: options.turnTimeoutMs } : {})
  });

  /** The engine's own move when a budget is spent or every provider failed. */
  function forced(
    plan: InterviewPlan,
    state: TurnInput['state'],
    here: Located,
    why: Overrun | 'failed',
    now: Date
  ): TurnResult {
    const to =
      why === 'total'
        ? undefined
        : why === 'section'
          ? nextSection(plan, here.sectionIndex)
          : next(plan, here);
    const reason = why === 'turns' ? 'turns' : why === 'failed' ? 'exhausted' : 'time';
    return transition(plan, state, here, to, reason, now);
  }

  return {
    limits,

    start(plan, now) {
      checkPlan(plan);
      const at = first(plan);
      if (!at)
        throw new InterviewerError('invalid_plan', 'Invalid interview plan: it has no questions');
      const message = greeting(plan, at);
      return {
        decision: { action: 'ask', message, questionId: at.question.id },
        state: initialState(at, now, message)
      };
    },

    async turn(input, turnOptions = {}) {
      const { plan, now } = input;
      checkPlan(plan);
      const state = parseState(plan, input.state);
      if (state.finished)
        throw new InterviewerError(
          'interview_finished',
          'The interview has ended: no more answers are taken'
        );
      if (input.answer.length > limits.maxMessageChars)
        throw new InterviewerError(
          'message_too_long',
          `The message is ${input.answer.length} characters; the limit is ${limits.maxMessageChars}`
        );
      const answer = clean(input.answer);
      const here = locate(plan, state);
      if (!here)
        throw new InterviewerError('invalid_state', 'Engine state points outside the plan');

      // The engine's own coverage of the answer, whatever the provider reports.
      const merged = {
        ...state,
        covered: withCovered(
          state.covered,
          here.question.id,
          coveredConcepts(withoutInstructions(answer), here.question.rubric)
        )
      };
      const seen = new Set(state.asked.map(sameTextKey));
      for (const m of input.transcript)
        if (m.speaker === 'interviewer') seen.add(sameTextKey(m.text));

      const over = overrun(plan, merged, now, limits.maxTurnsPerQuestion);
      if (over) {
        const result = unique(forced(plan, merged, here, over, now), seen);
        turnOptions.onToken?.(result.decision.message);
        return { ...result, usedFallback: false };
      }

      const request: TurnInput = { ...input, state, answer };
      for (const [index, candidate] of chain.entries()) {
        let streamed = false;
        try {
          const result = await withDeadline(
            (signal) =>
              candidate.turn(request, {
                signal,
                onToken: (text) => {
                  streamed = true;
                  turnOptions.onToken?.(text);
                }
              }),
            limits.turnTimeoutMs,
            turnOptions.signal
          );
          const accepted = reconcile({
            plan,
            state: merged,
            here,
            result,
            seen,
            now,
            maxInterviewerChars: limits.maxInterviewerChars
          });
          return { ...accepted, usedFallback: index > 0 };
        } catch (error) {
          if (turnOptions.signal?.aborted)
            throw new InterviewerError('aborted', 'The turn was aborted', { cause: error });
          logger.warn(
            {
              provider: candidate.name,
              reason: describe(error),
              fallback: index + 1 < chain.length
            },
            'interviewer provider turn failed'
          );
          if (streamed) turnOptions.onDiscard?.();
        }
      }
      logger.error({ provider: provider.name }, 'every interviewer provider failed; moving on');
      const result = unique(forced(plan, merged, here, 'failed', now), seen);
      turnOptions.onToken?.(result.decision.message);
      return { ...result, usedFallback: true };
    },

    async evaluate(plan, transcript, evaluateOptions = {}) {
      checkPlan(plan);
      const messages = parseTranscript(transcript);
      for (const candidate of chain) {
        try {
          const raw = await withDeadline(
            (signal) => candidate.evaluate(plan, messages, { signal }),
            limits.evaluateTimeoutMs,
            evaluateOptions.signal
          );
          return finishEvaluation(plan, messages, raw);
        } catch (error) {
          if (evaluateOptions.signal?.aborted)
            throw new InterviewerError('aborted', 'The evaluation was aborted', { cause: error });
          logger.warn(
            { provider: candidate.name, reason: describe(error) },
            'interviewer evaluation failed'
          );
        }
      }
      return finishEvaluation(plan, messages, await offline.evaluate(plan, messages));
    }
  };
}

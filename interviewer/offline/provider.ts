/**
 * The offline interviewer: the default when no LLM is configured, and the
 * fallback when one fails mid-interview (issue 5, 2b). Deterministic: its only
 * clock is `input.now`, it draws no random numbers, and the same input always
 * gives the same turn and the same evaluation.
 */
import type { InterviewerProvider } from '../types';
import { InterviewerError } from '../engine/errors';
import { evaluateOffline } from '../evaluation/offline';
import { decideOffline } from './decide';

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterviewerError('aborted', 'The turn was aborted');
}

export function createOfflineProvider(): InterviewerProvider {
  return {
    name: 'offline',
    async turn(input, options) {
      checkSignal(options?.signal);
      const result = decideOffline(input);
      options?.onToken?.(result.decision.message);
      return result;
    },
    async evaluate(plan, transcript, options) {
      checkSignal(options?.signal);
      return evaluateOffline(plan, transcript);
    }
  };
}

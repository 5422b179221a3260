/** The transcript as the engine accepts it for evaluation: the TranscriptMessage contract, checked. */
import { z } from 'zod';
import { TURN_ACTIONS, type TranscriptMessage } from '../types';
import { InterviewerError } from './errors';

/** Longest message of any speaker in a transcript; candidate turns are capped lower (limits.ts). */
export const MAX_TRANSCRIPT_MESSAGE_CHARS = 20_000;
/** Most messages in one transcript: hours of conversation, and a bound on evaluation time. */
export const MAX_TRANSCRIPT_MESSAGES = 5_000;

export const transcriptMessageSchema = z.object({
  id: z.string().min(1).max(200),
  speaker: z.enum(['interviewer', 'candidate', 'system']),
  text: z.string().max(MAX_TRANSCRIPT_MESSAGE_CHARS),
  at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'not an ISO 8601 time' }),
  questionId: z.string().max(200).optional(),
  dimensionId: z.string().max(200).optional(),
  action: z.enum(TURN_ACTIONS).optional()
});

export const transcriptSchema = z.array(transcriptMessageSchema).max(MAX_TRANSCRIPT_MESSAGES);

/** `messages[3].text: Too big: ...` for the first few issues. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '');
      return `${prefix}${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

export function parseTranscript(value: unknown): TranscriptMessage[] {
  const result = transcriptSchema.safeParse(value);
  if (!result.success)
    throw new InterviewerError(
      'invalid_transcript',
      `Invalid transcript: ${describeIssues(result.error)}`,
      { cause: result.error }
    );
  return result.data;
}

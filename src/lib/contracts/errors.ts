import { z } from 'zod';

/** Every error code a client can see. Closed: add here, and to the status table. */
export const errorCodes = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unprocessable',
  'rate_limited',
  'link_expired',
  'link_revoked',
  'unknown_language',
  'limit_exceeded',
  'language_unavailable',
  'runner_unavailable',
  'consent_required',
  'internal_error'
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** Present on internal errors: quote it to an operator to find the log line. */
    errorId: z.string().optional(),
    /** Present on validation errors: which field, and what is wrong with it. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional()
  })
});

export type ErrorBody = z.infer<typeof errorBodySchema>;

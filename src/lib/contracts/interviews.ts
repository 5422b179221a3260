import { z } from 'zod';
import { emailSchema, idSchema, nameSchema, pageQuerySchema, plainText } from './common';

export const interviewKinds = ['live', 'async'] as const;
export const interviewStatuses = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export const interviewKindSchema = z.enum(interviewKinds);
export const interviewStatusSchema = z.enum(interviewStatuses);
export type InterviewKind = z.infer<typeof interviewKindSchema>;
export type InterviewStatus = z.infer<typeof interviewStatusSchema>;

export const kindLabels: Record<InterviewKind, string> = {
  live: 'Live pair-coding',
  async: 'AI interview (async)'
};
export const statusLabels: Record<InterviewStatus, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled'
};

export const candidateInputSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema
});

export const createInterviewSchema = z.strictObject({
  kind: interviewKindSchema,
  title: nameSchema,
  candidate: candidateInputSchema,
  scheduledAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .refine((v) => {
      const year = new Date(v).getUTCFullYear();
      return year >= 2000 && year <= 9999;
    }, 'must be between the years 2000 and 9999')
    .nullable()
    .optional()
});
export type CreateInterviewInput = z.infer<typeof createInterviewSchema>;

export const listInterviewsQuerySchema = pageQuerySchema.extend({
  status: interviewStatusSchema.optional(),
  kind: interviewKindSchema.optional(),
  /** A candidate id, or text matched against candidate name and email. */
  candidate: plainText(200)
    .transform((v) => v.trim())
    .optional()
});
export type ListInterviewsQuery = z.infer<typeof listInterviewsQuerySchema>;

export const linkStates = ['active', 'expired', 'revoked'] as const;

export const candidateSchema = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string(),
  createdAt: z.string()
});
export type Candidate = z.infer<typeof candidateSchema>;

export const interviewSchema = z.object({
  id: idSchema,
  kind: interviewKindSchema,
  status: interviewStatusSchema,
  title: z.string(),
  scheduledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  consentAt: z.string().nullable(),
  candidate: candidateSchema,
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  link: z.object({
    state: z.enum(linkStates),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable()
  })
});
export type Interview = z.infer<typeof interviewSchema>;

export const interviewWithLinkSchema = z.object({
  interview: interviewSchema,
  /** The candidate's invite link. Shown once: only its hash is stored. */
  candidateLink: z.url()
});
export type InterviewWithLink = z.infer<typeof interviewWithLinkSchema>;

export const createCandidateSchema = candidateInputSchema;

export const listCandidatesQuerySchema = pageQuerySchema.extend({
  q: plainText(200)
    .transform((v) => v.trim())
    .optional()
});

/**
 * The AI interview's answers as the browser parses them: the server's
 * contracts (`$lib/contracts/ai-interview`) as zod schemas, since every
 * answer crosses a boundary. `satisfies` keeps them in step with the types.
 */
import { z } from 'zod';
import type {
  AiInterviewView,
  AiMessage,
  AiSectionView,
  AnswerStreamEvent
} from '$lib/contracts/ai-interview';

const iso = z.string().min(1);

export const aiMessageSchema = z.object({
  id: z.string().min(1),
  speaker: z.enum(['interviewer', 'candidate', 'system']),
  text: z.string(),
  at: iso
}) satisfies z.ZodType<AiMessage>;

export const aiSectionSchema = z.object({
  title: z.string(),
  minutes: z.number(),
  kind: z.enum(['discussion', 'coding']),
  state: z.enum(['done', 'current', 'upcoming'])
}) satisfies z.ZodType<AiSectionView>;

export const aiViewSchema = z.object({
  status: z.enum(['not_started', 'in_progress', 'finished']),
  title: z.string(),
  messages: z.array(aiMessageSchema),
  sections: z.array(aiSectionSchema),
  sectionEndsAt: iso.nullable(),
  deadlineAt: iso.nullable(),
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
  codingTask: z.object({ title: z.string(), prompt: z.string() }).nullable()
}) satisfies z.ZodType<AiInterviewView>;

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() })
});

export const streamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('candidate'), message: aiMessageSchema }),
  z.object({ type: z.literal('token'), text: z.string() }),
  z.object({ type: z.literal('interviewer'), message: aiMessageSchema }),
  z.object({ type: z.literal('view'), view: aiViewSchema }),
  z.object({ type: z.literal('error'), error: apiErrorSchema.shape.error })
]) satisfies z.ZodType<AnswerStreamEvent>;

import { z } from 'zod';
import type { Question } from '../../../../realtime/events/index';
import data from '../../../../content/live-questions.json' with { type: 'json' };

const librarySchema = z.object({
  questions: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9-]{1,64}$/),
        title: z.string().min(1).max(200),
        prompt: z.string().min(1).max(10_000)
      })
    )
    .min(1)
});

/** The shipped questions an interviewer can reveal in a live session (content/live-questions.json). */
export const liveQuestions: Question[] = librarySchema.parse(data).questions;

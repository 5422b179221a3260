import { z } from 'zod';

/** The longest message a candidate may send; the page counts down to it. */
export const MAX_ANSWER_CHARS = 4000;

export const answerSchema = z
  .strictObject({
    /** What the candidate wrote; empty only for `silence`. */
    text: z
      .string()
      .max(MAX_ANSWER_CHARS * 4)
      .transform((s) => s.trim())
      .pipe(z.string().max(MAX_ANSWER_CHARS, `must be at most ${MAX_ANSWER_CHARS} characters`)),
    /** `silence`: the candidate said nothing for a while; the interviewer nudges. */
    kind: z.enum(['answer', 'silence']).default('answer'),
    /** The id of the last message the page has, so a double submit or a stale tab is refused. */
    after: z.uuid().nullable()
  })
  .refine((v) => v.kind === 'silence' || v.text.length > 0, {
    message: 'must not be empty',
    path: ['text']
  });
export type AnswerInput = z.input<typeof answerSchema>;

export type AiMessage = {
  id: string;
  speaker: 'interviewer' | 'candidate' | 'system';
  text: string;
  at: string;
};

export type AiSectionView = {
  title: string;
  minutes: number;
  kind: 'discussion' | 'coding';
  state: 'done' | 'current' | 'upcoming';
};

/** Everything the candidate's page needs to show (and resume) an AI interview. */
export type AiInterviewView = {
  status: 'not_started' | 'in_progress' | 'finished';
  title: string;
  messages: AiMessage[];
  sections: AiSectionView[];
  /** When the current section's time budget runs out. */
  sectionEndsAt: string | null;
  deadlineAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The coding task, while the coding section is current or done. */
  codingTask: { title: string; prompt: string } | null;
};

/** One line of a streamed answer (`Accept: application/x-ndjson`). */
export type AnswerStreamEvent =
  | { type: 'candidate'; message: AiMessage }
  | { type: 'token'; text: string }
  | { type: 'interviewer'; message: AiMessage }
  | { type: 'view'; view: AiInterviewView }
  | { type: 'error'; error: { code: string; message: string } };

/**
 * The transcript file the CLI reads (docs/interviewer.md, "Transcript file"):
 *
 *   { "version": 1,
 *     "plan": { "templateId": "backend-async" }
 *           | { "questionIds": ["idempotent-payments", ...], "title"?: "..." }
 *           | { "questions": [ <question as in content/questions/*.json, "version" optional> ], "title"?: "..." },
 *     "messages": [ { "speaker": "interviewer" | "candidate" | "system", "text": "...",
 *                     "at": "2025-01-01T10:00:00Z", "questionId"?, "dimensionId"?, "id"?, "action"? } ] }
 *
 * Inline questions make a file self-contained, for audits without the library.
 */
import { z } from 'zod';
import type { InterviewPlan, Question, TranscriptMessage } from './types';
import { InterviewerError } from './engine/errors';
import {
  MAX_TRANSCRIPT_MESSAGES,
  describeIssues,
  transcriptMessageSchema
} from './engine/transcript';
import { CONTENT_FORMAT_VERSION, questionFileSchema } from './content/schema';

export const TRANSCRIPT_FORMAT_VERSION = 1;
/** Largest transcript file the CLI reads, bytes. */
export const MAX_TRANSCRIPT_FILE_BYTES = 20 * 1024 * 1024;

const id = z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'must be a question or template id' });

// A question inline is a question file whose "version" may be left out.
const inlineQuestion = z.preprocess(
  (value) =>
    value !== null && typeof value === 'object' && !('version' in value)
      ? { version: CONTENT_FORMAT_VERSION, ...value }
      : value,
  questionFileSchema
);

const planSchema = z.union(
  [
    z.strictObject({ templateId: id }),
    z.strictObject({
      questionIds: z.array(id).min(1).max(50),
      title: z.string().min(1).max(200).optional()
    }),
    z.strictObject({
      questions: z.array(inlineQuestion).min(1).max(50),
      title: z.string().min(1).max(200).optional()
    })
  ],
  { error: 'plan must be { templateId }, { questionIds: [...] } or { questions: [...] }' }
);

const fileSchema = z.strictObject({
  version: z.literal(TRANSCRIPT_FORMAT_VERSION, {
    error: `"version" must be ${TRANSCRIPT_FORMAT_VERSION}`
  }),
  plan: planSchema,
  messages: z
    .array(transcriptMessageSchema.extend({ id: transcriptMessageSchema.shape.id.optional() }))
    .max(MAX_TRANSCRIPT_MESSAGES)
});

export type TranscriptFilePlan =
  | { templateId: string }
  | { questionIds: string[]; title?: string }
  | { questions: Question[]; title?: string };

export type TranscriptFile = {
  version: 1;
  plan: TranscriptFilePlan;
  messages: TranscriptMessage[];
};

/** Parses a transcript file's text; `name` appears in the error message. Throws `invalid_transcript`. */
export function parseTranscriptFile(text: string, name: string): TranscriptFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InterviewerError('invalid_transcript', `${name}: not valid JSON: ${reason}`, {
      cause: error
    });
  }
  const result = fileSchema.safeParse(json);
  if (!result.success)
    throw new InterviewerError(
      'invalid_transcript',
      `${name}: not a transcript file (docs/interviewer.md): ${describeIssues(result.error)}`,
      { cause: result.error }
    );
  const { plan, messages } = result.data;
  return {
    version: TRANSCRIPT_FORMAT_VERSION,
    plan:
      'questions' in plan
        ? { ...plan, questions: plan.questions.map(({ version: _version, ...q }) => q) }
        : plan,
    messages: messages.map((m, i) => ({ ...m, id: m.id ?? `m${i + 1}` }))
  };
}

/** One section holding `questions`, its budget their minutes. */
export function singleSectionPlan(questions: Question[], title: string): InterviewPlan {
  return {
    templateId: 'adhoc',
    title,
    sections: [
      {
        id: 'questions',
        title: 'Questions',
        minutes: questions.reduce((n, q) => n + q.minutes, 0),
        questions
      }
    ]
  };
}

/**
 * The plan a transcript file names. `library` resolves ids (called only when
 * the file names them); inline questions need none.
 */
export function planForTranscript(
  file: TranscriptFile,
  library: {
    question(id: string): Question | undefined;
    template(id: string): InterviewPlan;
  }
): InterviewPlan {
  const plan = file.plan;
  if ('templateId' in plan) return library.template(plan.templateId);
  if ('questions' in plan) return singleSectionPlan(plan.questions, plan.title ?? 'Transcript');
  const questions = plan.questionIds.map((qid) => {
    const q = library.question(qid);
    if (!q) throw new InterviewerError('unknown_question', `Unknown question "${qid}"`);
    return q;
  });
  return singleSectionPlan(questions, plan.title ?? 'Transcript');
}

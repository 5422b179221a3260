/**
 * zod schemas for the question and template files under content/ (docs/content-format.md).
 * A file is the contract type from interviewer/types.ts plus a top-level `"version": 1`, so
 * the format can change later without guessing what an old file meant.
 */
import { z } from 'zod';
import type { CodingTask, DiscussionQuestion, InterviewTemplate, RubricDimension } from '../types';

export const CONTENT_FORMAT_VERSION = 1;

/** Limits of the file format. Shipped content holds itself to a stricter bar (shipped.test.ts). */
export const CONTENT_LIMITS = {
  idLength: 64,
  titleLength: 120,
  promptLength: 4_000,
  descriptionLength: 600,
  labelLength: 80,
  phraseLength: 80,
  probeLength: 400,
  verdictLength: 800,
  tags: { min: 1, max: 8, length: 32 },
  minutes: { min: 1, max: 60 },
  dimensions: { min: 3, max: 5 },
  concepts: { min: 2, max: 8 },
  phrases: { min: 1, max: 12 },
  probes: { min: 1, max: 6 },
  followUps: { min: 1, max: 8 },
  starters: { min: 1, max: 12, length: 20_000 },
  sections: { min: 1, max: 10, minutes: 180 },
  questionsPerSection: 20
} as const;

const ID = /^[a-z0-9-]{1,64}$/;
const TAG = /^[a-z0-9-]{1,32}$/;
const LANGUAGE_ID = /^[a-z0-9+#-]{1,32}$/;

export const idSchema = z
  .string()
  .regex(ID, { error: 'must be 1 to 64 lower-case letters, digits or dashes' });

/** Text shown to people: trimmed, not empty, at most `max` characters. */
function text(max: number) {
  return z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => s === s.trim(), { error: 'must not start or end with spaces' });
}

/** Lower case, trimmed, single spaces: the form the offline engine matches against. */
export const phraseSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(CONTENT_LIMITS.phraseLength, {
    error: `must be at most ${CONTENT_LIMITS.phraseLength} characters`
  })
  .refine((s) => s === s.toLowerCase(), { error: 'phrases must be lower case' })
  .refine((s) => s === s.trim() && !/\s{2}|[\n\t\r]/.test(s), {
    error: 'phrases must be trimmed, with single spaces between words'
  });

/** Adds an issue at `path` for every value seen before in `values`. */
function refuseDuplicates(
  ctx: z.RefinementCtx,
  values: { value: string; path: PropertyKey[] }[],
  what: string,
  normalize: (s: string) => string = (s) => s
): void {
  const seen = new Map<string, PropertyKey[]>();
  for (const { value, path } of values) {
    const key = normalize(value);
    const first = seen.get(key);
    if (first) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `duplicate ${what} "${value}" (first at ${formatPath(first)})`
      });
    } else seen.set(key, path);
  }
}

/** `rubric[0].concepts[2].phrases[1]`: how paths appear in error messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(file)' : out;
}

/** How the engine compares asked texts: case and spacing do not make a question new. */
export function normalizeText(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

export const conceptSchema = z.strictObject({
  id: idSchema,
  label: text(CONTENT_LIMITS.labelLength),
  phrases: z
    .array(phraseSchema)
    .min(CONTENT_LIMITS.phrases.min, { error: 'a concept needs at least one phrase' })
    .max(CONTENT_LIMITS.phrases.max, {
      error: `a concept has at most ${CONTENT_LIMITS.phrases.max} phrases`
    })
});

export const rubricDimensionSchema = z.strictObject({
  id: idSchema,
  name: text(CONTENT_LIMITS.labelLength),
  description: text(CONTENT_LIMITS.descriptionLength),
  concepts: z
    .array(conceptSchema)
    .min(CONTENT_LIMITS.concepts.min, {
      error: `a dimension needs at least ${CONTENT_LIMITS.concepts.min} concepts`
    })
    .max(CONTENT_LIMITS.concepts.max, {
      error: `a dimension has at most ${CONTENT_LIMITS.concepts.max} concepts`
    }),
  probes: z
    .array(text(CONTENT_LIMITS.probeLength))
    .min(CONTENT_LIMITS.probes.min, { error: 'a dimension needs at least one probe' })
    .max(CONTENT_LIMITS.probes.max, {
      error: `a dimension has at most ${CONTENT_LIMITS.probes.max} probes`
    }),
  strong: text(CONTENT_LIMITS.verdictLength),
  weak: text(CONTENT_LIMITS.verdictLength)
});

const rubricSchema = z
  .array(rubricDimensionSchema)
  .min(CONTENT_LIMITS.dimensions.min, {
    error: `a rubric needs ${CONTENT_LIMITS.dimensions.min} to ${CONTENT_LIMITS.dimensions.max} dimensions`
  })
  .max(CONTENT_LIMITS.dimensions.max, {
    error: `a rubric needs ${CONTENT_LIMITS.dimensions.min} to ${CONTENT_LIMITS.dimensions.max} dimensions`
  });

const minutesSchema = z
  .number()
  .int({ error: 'minutes must be a whole number' })
  .min(CONTENT_LIMITS.minutes.min)
  .max(CONTENT_LIMITS.minutes.max);

const versionSchema = z.literal(CONTENT_FORMAT_VERSION, {
  error: `"version" must be ${CONTENT_FORMAT_VERSION}`
});

/**
 * Rules across a rubric: the engine records covered concepts per question and never asks the
 * same text twice, so ids must be unique within the question, a phrase must point at one
 * concept, and probes (and a coding task's follow-ups) must differ.
 */
function checkRubric(
  question: { rubric: RubricDimension[]; followUps?: string[] },
  ctx: z.RefinementCtx
): void {
  const dimensions = question.rubric.map((d, i) => ({ value: d.id, path: ['rubric', i, 'id'] }));
  refuseDuplicates(ctx, dimensions, 'dimension id');
  const concepts = question.rubric.flatMap((d, i) =>
    d.concepts.map((c, j) => ({ value: c.id, path: ['rubric', i, 'concepts', j, 'id'] }))
  );
  refuseDuplicates(ctx, concepts, 'concept id');
  const phrases = question.rubric.flatMap((d, i) =>
    d.concepts.flatMap((c, j) =>
      c.phrases.map((p, k) => ({ value: p, path: ['rubric', i, 'concepts', j, 'phrases', k] }))
    )
  );
  refuseDuplicates(ctx, phrases, 'phrase');
  const asked = [
    ...question.rubric.flatMap((d, i) =>
      d.probes.map((p, j) => ({ value: p, path: ['rubric', i, 'probes', j] }))
    ),
    ...(question.followUps ?? []).map((f, i) => ({ value: f, path: ['followUps', i] }))
  ];
  refuseDuplicates(ctx, asked, 'probe', normalizeText);
}

const questionBase = {
  version: versionSchema,
  id: idSchema,
  title: text(CONTENT_LIMITS.titleLength),
  prompt: text(CONTENT_LIMITS.promptLength),
  minutes: minutesSchema,
  rubric: rubricSchema
};

export const discussionQuestionFileSchema = z
  .strictObject({
    ...questionBase,
    kind: z.literal('discussion'),
    tags: z
      .array(
        z.string().regex(TAG, { error: 'tags are 1 to 32 lower-case letters, digits or dashes' })
      )
      .min(CONTENT_LIMITS.tags.min, { error: 'a question needs at least one tag' })
      .max(CONTENT_LIMITS.tags.max, { error: `at most ${CONTENT_LIMITS.tags.max} tags` })
  })
  .superRefine((question, ctx) => {
    refuseDuplicates(
      ctx,
      question.tags.map((t, i) => ({ value: t, path: ['tags', i] })),
      'tag'
    );
    checkRubric(question, ctx);
  });

export const codingTaskFileSchema = z
  .strictObject({
    ...questionBase,
    kind: z.literal('coding'),
    starter: z
      .record(
        z.string().regex(LANGUAGE_ID, { error: 'language ids are the sandbox ids, e.g. "python"' }),
        z.string().max(CONTENT_LIMITS.starters.length)
      )
      .refine((s) => Object.keys(s).length >= CONTENT_LIMITS.starters.min, {
        error: 'a coding task needs starter code for at least one language'
      })
      .refine((s) => Object.keys(s).length <= CONTENT_LIMITS.starters.max, {
        error: `at most ${CONTENT_LIMITS.starters.max} starter languages`
      }),
    followUps: z
      .array(text(CONTENT_LIMITS.probeLength))
      .min(CONTENT_LIMITS.followUps.min, { error: 'a coding task needs at least one follow-up' })
      .max(CONTENT_LIMITS.followUps.max, {
        error: `at most ${CONTENT_LIMITS.followUps.max} follow-ups`
      })
  })
  .superRefine(checkRubric);

export const questionFileSchema = z.discriminatedUnion(
  'kind',
  [discussionQuestionFileSchema, codingTaskFileSchema],
  { error: '"kind" must be "discussion" or "coding"' }
);

export const templateSectionSchema = z.strictObject({
  id: idSchema,
  title: text(CONTENT_LIMITS.titleLength),
  minutes: z
    .number()
    .int({ error: 'minutes must be a whole number' })
    .min(1)
    .max(CONTENT_LIMITS.sections.minutes),
  questionIds: z
    .array(idSchema)
    .min(1, { error: 'a section needs at least one question' })
    .max(CONTENT_LIMITS.questionsPerSection, {
      error: `a section has at most ${CONTENT_LIMITS.questionsPerSection} questions`
    })
});

export const templateFileSchema = z
  .strictObject({
    version: versionSchema,
    id: idSchema,
    title: text(CONTENT_LIMITS.titleLength),
    description: text(CONTENT_LIMITS.descriptionLength),
    sections: z
      .array(templateSectionSchema)
      .min(CONTENT_LIMITS.sections.min, { error: 'a template needs at least one section' })
      .max(CONTENT_LIMITS.sections.max, {
        error: `a template has at most ${CONTENT_LIMITS.sections.max} sections`
      })
  })
  .superRefine((template, ctx) => {
    refuseDuplicates(
      ctx,
      template.sections.map((s, i) => ({ value: s.id, path: ['sections', i, 'id'] })),
      'section id'
    );
    refuseDuplicates(
      ctx,
      template.sections.flatMap((s, i) =>
        s.questionIds.map((q, j) => ({ value: q, path: ['sections', i, 'questionIds', j] }))
      ),
      'question'
    );
  });

export type QuestionFile = z.infer<typeof questionFileSchema>;
export type TemplateFile = z.infer<typeof templateFileSchema>;

// The files must carry exactly the contract types (plus `version`): a field added to
// interviewer/types.ts and not here, or the other way round, fails the type check.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _discussion: Same<
  Omit<z.infer<typeof discussionQuestionFileSchema>, 'version'>,
  DiscussionQuestion
> = true;
const _coding: Same<Omit<z.infer<typeof codingTaskFileSchema>, 'version'>, CodingTask> = true;
const _template: Same<Omit<TemplateFile, 'version'>, InterviewTemplate> = true;

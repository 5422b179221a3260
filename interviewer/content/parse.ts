import { basename } from 'node:path';
import type { InterviewTemplate, Question } from '../types';
import { ContentError, problemsFromZod } from './errors';
import { questionFileSchema, templateFileSchema } from './schema';

/** zod's default for a missing field reads "expected string, received undefined". */
const parseOptions = {
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined
};

/**
 * Parses the text of one question file. `fileName` names the file in errors, and its base
 * name must be `<id>.json`, so a library never holds two files claiming one id.
 */
export function parseQuestionFile(text: string, fileName: string): Question {
  const result = questionFileSchema.safeParse(parseJson(text, fileName), parseOptions);
  if (!result.success) throw new ContentError(problemsFromZod(fileName, result.error));
  checkFileName(result.data.id, fileName);
  const { version: _version, ...question } = result.data;
  return question;
}

/** Parses the text of one template file; the same rules as `parseQuestionFile`. */
export function parseTemplateFile(text: string, fileName: string): InterviewTemplate {
  const result = templateFileSchema.safeParse(parseJson(text, fileName), parseOptions);
  if (!result.success) throw new ContentError(problemsFromZod(fileName, result.error));
  checkFileName(result.data.id, fileName);
  const { version: _version, ...template } = result.data;
  return template;
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ContentError(
      [{ file: fileName, path: '(file)', message: `not valid JSON: ${reason}` }],
      {
        cause: error
      }
    );
  }
}

function checkFileName(id: string, fileName: string): void {
  const expected = `${id}.json`;
  if (basename(fileName) !== expected) {
    throw new ContentError([
      { file: fileName, path: 'id', message: `id "${id}" must match the file name: ${expected}` }
    ]);
  }
}

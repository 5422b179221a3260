import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InterviewPlan, InterviewTemplate, Question } from '../types';
import { defaultContentDir } from './content-dir';
import { ContentError, type ContentProblem } from './errors';
import { parseQuestionFile, parseTemplateFile } from './parse';

export type Library = {
  questions: Map<string, Question>;
  templates: Map<string, InterviewTemplate>;
};

/**
 * Reads every `questions/*.json` and `templates/*.json` under `dir` (other files are ignored)
 * and checks that templates name only questions that exist. Throws one `ContentError`
 * listing every problem in every file.
 */
export function loadLibrary(dir: string = defaultContentDir()): Library {
  const problems: ContentProblem[] = [];
  const questionsDir = join(dir, 'questions');
  const templatesDir = join(dir, 'templates');
  if (!existsSync(questionsDir) && !existsSync(templatesDir)) {
    throw new ContentError([
      { file: dir, path: '(folder)', message: 'has neither a questions/ nor a templates/ folder' }
    ]);
  }

  const questions = new Map<string, Question>();
  const questionFiles = jsonFiles(questionsDir);
  for (const file of questionFiles) {
    const question = collect(problems, () => parseQuestionFile(readFileSync(file, 'utf8'), file));
    if (question) questions.set(question.id, question);
  }
  const templates = new Map<string, InterviewTemplate>();
  const templateFiles = new Map<string, string>();
  for (const file of jsonFiles(templatesDir)) {
    const template = collect(problems, () => parseTemplateFile(readFileSync(file, 'utf8'), file));
    if (template) {
      templates.set(template.id, template);
      templateFiles.set(template.id, file);
    }
  }
  // A question whose file exists but failed to parse is reported once, against its own file.
  const present = new Set(questionFiles.map((file) => basename(file, '.json')));
  for (const [id, template] of templates) {
    const file = templateFiles.get(id) ?? id;
    problems.push(...unknownQuestions(template, (q) => questions.has(q) || present.has(q), file));
  }
  if (problems.length > 0) throw new ContentError(problems);
  return { questions, templates };
}

/** Resolves a template against the library into the plan the engine follows. */
export function resolvePlan(library: Library, templateId: string): InterviewPlan {
  const file = `templates/${templateId}.json`;
  const template = library.templates.get(templateId);
  if (!template) throw new ContentError([{ file, path: '(file)', message: 'no such template' }]);
  const problems = unknownQuestions(template, (q) => library.questions.has(q), file);
  if (problems.length > 0) throw new ContentError(problems);
  return {
    templateId: template.id,
    title: template.title,
    sections: template.sections.map((section) => ({
      id: section.id,
      title: section.title,
      minutes: section.minutes,
      questions: section.questionIds.flatMap((id) => library.questions.get(id) ?? [])
    }))
  };
}

function unknownQuestions(
  template: InterviewTemplate,
  isKnown: (id: string) => boolean,
  file: string
): ContentProblem[] {
  return template.sections.flatMap((section, i) =>
    section.questionIds.flatMap((id, j) =>
      isKnown(id)
        ? []
        : [
            {
              file,
              path: `sections[${i}].questionIds[${j}]`,
              message: `unknown question "${id}" (no questions/${id}.json)`
            }
          ]
    )
  );
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.')
    )
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** Runs `parse`, turning a ContentError into collected problems so one bad file hides no other. */
function collect<T>(problems: ContentProblem[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ContentError) {
      problems.push(...error.problems);
      return undefined;
    }
    throw error;
  }
}

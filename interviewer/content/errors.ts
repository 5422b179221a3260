import type { z } from 'zod';
import { formatPath } from './schema';

/** One thing wrong with one content file. */
export type ContentProblem = {
  /** The file as it was named to the loader, e.g. `content/questions/caching.json`. */
  file: string;
  /** Where in the file, e.g. `rubric[0].concepts[2].phrases[1]`; `(file)` for the whole file. */
  path: string;
  message: string;
};

/**
 * Thrown when content does not load. The message lists every problem, one a line, as
 * `file: path: message`, so an organization adding a file sees all of them at once.
 */
export class ContentError extends Error {
  readonly problems: ContentProblem[];

  constructor(problems: ContentProblem[], options?: { cause?: unknown }) {
    super(
      problems.length === 1
        ? `Invalid content: ${formatProblem(problems[0]!)}`
        : `Invalid content (${problems.length} problems):\n${problems.map(formatProblem).join('\n')}`,
      options
    );
    this.name = 'ContentError';
    this.problems = problems;
  }
}

export function formatProblem(problem: ContentProblem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

export function problemsFromZod(file: string, error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => ({
    file,
    path: formatPath(issue.path),
    message: issue.message
  }));
}

import { z } from 'zod';
import { SandboxError } from './errors';
import { httpTestsSchema } from './http-schema';
import { LIMIT_NAMES, type Limits } from './limits';

/** Request-shape caps. Not operator-tunable: they bound host memory, not the sandbox. */
export const REQUEST_CAPS = Object.freeze({
  /** Bytes per source file. */
  fileBytes: 256 * 1024,
  /** Bytes over all source files. */
  totalFileBytes: 1024 * 1024,
  files: 64,
  /** Bytes of stdin (per run and per test case). */
  stdinBytes: 1024 * 1024,
  tests: 64,
  pathLength: 200
});

// Paths become bwrap destinations under /box: only plain relative segments, so
// nothing can point outside the work dir or at a dot-dir the driver uses.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > REQUEST_CAPS.pathLength) return false;
  return path
    .split('/')
    .every((segment) => SEGMENT.test(segment) && segment !== '..' && segment !== '.');
}

// With the u flag a surrogate range matches only unpaired halves, which have no UTF-8 encoding.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const isWellFormed = (text: string) => !LONE_SURROGATE.test(text);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isValidText(value: string | Uint8Array): boolean {
  if (typeof value === 'string') return isWellFormed(value);
  try {
    utf8.decode(value);
    return true;
  } catch {
    return false;
  }
}

function byteLength(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
}

const stdinSchema = z
  .union([z.string(), z.instanceof(Uint8Array)])
  .refine(isValidText, 'stdin must be valid UTF-8')
  .refine(
    (v) => byteLength(v) <= REQUEST_CAPS.stdinBytes,
    `stdin is larger than ${REQUEST_CAPS.stdinBytes} bytes`
  );

const limitFields = Object.fromEntries(
  LIMIT_NAMES.map((name) => [name, z.number().int().positive().optional()])
) as Record<keyof Limits, z.ZodOptional<z.ZodNumber>>;

const whitespaceSchema = z.enum(['exact', 'trim', 'ignore_trailing', 'collapse']);

export const stdinTestSchema = z.strictObject({
  id: z.string().min(1).max(100),
  stdin: stdinSchema.default(''),
  expectedStdout: z.string().max(REQUEST_CAPS.stdinBytes),
  hidden: z.boolean().default(false),
  whitespace: whitespaceSchema.default('ignore_trailing')
});

const sqlRow = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const sqlTestSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** Seed data for this case; defaults to the request's `sql.data`. */
  data: z.string().max(REQUEST_CAPS.totalFileBytes).optional(),
  expectedRows: z.array(sqlRow).max(10_000),
  ordered: z.boolean().default(false),
  hidden: z.boolean().default(false)
});

export const runRequestSchema = z
  .strictObject({
    language: z.string().min(1).max(32),
    files: z
      .record(z.string(), z.string())
      .refine((files) => Object.keys(files).length > 0, 'files must not be empty')
      .refine(
        (files) => Object.keys(files).length <= REQUEST_CAPS.files,
        `at most ${REQUEST_CAPS.files} files`
      )
      .refine(
        (files) => Object.keys(files).every(isSafeRelativePath),
        'file paths must be relative, without "..", "." or leading dots'
      )
      .refine(
        (files) =>
          Object.values(files).every((c) => Buffer.byteLength(c) <= REQUEST_CAPS.fileBytes),
        `a file is larger than ${REQUEST_CAPS.fileBytes} bytes`
      )
      .refine(
        (files) =>
          Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0) <=
          REQUEST_CAPS.totalFileBytes,
        `files are larger than ${REQUEST_CAPS.totalFileBytes} bytes in total`
      )
      .refine(
        (files) => Object.values(files).every(isWellFormed),
        'file contents must be valid UTF-8'
      ),
    /** Entry point; defaults to the language's conventional name or the only file. */
    entry: z.string().optional(),
    stdin: stdinSchema.optional(),
    limits: z.strictObject(limitFields).optional(),
    /** Interactive runs (a candidate pressing Run) go before grading runs. */
    priority: z.enum(['interactive', 'grading']).default('interactive'),
    tests: z.array(stdinTestSchema).max(REQUEST_CAPS.tests).optional(),
    sql: z
      .strictObject({
        schema: z.string().max(REQUEST_CAPS.totalFileBytes),
        data: z.string().max(REQUEST_CAPS.totalFileBytes).default('')
      })
      .optional(),
    sqlTests: z.array(sqlTestSchema).max(REQUEST_CAPS.tests).optional(),
    /** HTTP-service task: the program serves on a port, a harness sends the cases. */
    httpTests: httpTestsSchema.optional()
  })
  .refine((r) => !r.httpTests || (!r.tests && !r.sqlTests), {
    message: 'httpTests cannot be combined with tests or sqlTests',
    path: ['httpTests']
  })
  .refine((r) => r.entry === undefined || Object.hasOwn(r.files, r.entry), {
    message: 'entry must name one of the files',
    path: ['entry']
  });

/** What callers pass (defaults optional). */
export type RunRequestInput = z.input<typeof runRequestSchema>;
/** What the sandbox works with after validation. */
export type RunRequest = z.output<typeof runRequestSchema>;
export type StdinTest = z.output<typeof stdinTestSchema>;
export type SqlTest = z.output<typeof sqlTestSchema>;
export type Whitespace = z.output<typeof whitespaceSchema>;

export function parseRequest(input: unknown): RunRequest {
  const parsed = runRequestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
    .join('; ');
  throw new SandboxError('invalid_request', message, { cause: parsed.error });
}

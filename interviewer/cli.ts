/**
 * Command-line front end of the interviewer, for offline use and audits
 * (issue 5, 7; docs/interviewer.md, "CLI"):
 *
 *   npm run -s interviewer -- evaluate <transcript.json> [--json] [--content DIR]
 *   npm run -s interviewer -- simulate --question <id> --answers <file> [--code FILE] [--step-seconds N] [--json] [--content DIR]
 *   npm run -s interviewer -- validate <dir>
 *
 * The provider is the configured one (OPENAI_* variables, read here and
 * nowhere else in the CLI), the offline engine when none is set.
 * Exit status: 0 done, 1 a bad file or content, 2 bad arguments.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type {
  Evaluation,
  InterviewPlan,
  InterviewerProvider,
  TranscriptMessage,
  TurnInput
} from './types';
import { ContentError, loadLibrary, resolvePlan, type Library } from './content/index';
import { createOpenAIProvider, providerConfigFromEnv, type OpenAIEnv } from './providers/index';
import { createInterviewEngine, isInterviewerError } from './index';
import {
  MAX_TRANSCRIPT_FILE_BYTES,
  parseTranscriptFile,
  planForTranscript,
  singleSectionPlan
} from './transcript-file';

const USAGE = `usage:
  interviewer evaluate <transcript.json> [--json] [--content DIR]
  interviewer simulate --question <id> --answers <file> [--code FILE] [--step-seconds N] [--json] [--content DIR]
  interviewer validate <dir>`;

/** Where the CLI writes, and what it reads from the environment: injectable for tests. */
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
  env: OpenAIEnv;
};

class UsageError extends Error {}
/** A file or content problem: exit 1 with this message. */
class InputError extends Error {}

/** Simulated interviews start here, so the same answers print the same exchange. */
const SIMULATION_START = new Date('2025-01-06T09:00:00.000Z');

async function readText(
  path: string,
  what: string,
  maxBytes = MAX_TRANSCRIPT_FILE_BYTES
): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new InputError(`cannot read ${what} ${path} (${reason})`);
  }
  if (data.byteLength > maxBytes) throw new InputError(`${path}: larger than ${maxBytes} bytes`);
  return data.toString('utf8');
}

function library(dir: string | undefined): () => Library {
  let loaded: Library | undefined;
  return () => (loaded ??= loadLibrary(dir));
}

function provider(env: OpenAIEnv): InterviewerProvider | undefined {
  let config;
  try {
    config = providerConfigFromEnv(env);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  return config ? createOpenAIProvider(config) : undefined;
}

/** One answer a line (an empty line is silence), or a JSON array of strings. */
export function parseAnswers(text: string, name: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new InputError(
        `${name}: starts with [ but is not valid JSON (${error instanceof Error ? error.message : ''})`
      );
    }
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
      throw new InputError(`${name}: a JSON answers file must be an array of strings`);
    return parsed;
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop(); // the file's final newline ends the last answer
  return lines;
}

function formatEvaluation(plan: InterviewPlan, evaluation: Evaluation): string {
  const names = new Map(
    plan.sections.flatMap((s) =>
      s.questions.flatMap((q) =>
        q.rubric.map((d) => [`${q.id}/${d.id}`, `${q.title} / ${d.name}`] as const)
      )
    )
  );
  const lines = [`Evaluation (${evaluation.source}) of "${plan.title}"`, '', 'Scores'];
  for (const s of evaluation.scores) {
    lines.push(
      `  ${s.score}/4  ${names.get(`${s.questionId}/${s.dimensionId}`) ?? `${s.questionId}/${s.dimensionId}`}`
    );
    lines.push(`        ${s.rationale}`);
    for (const quote of s.evidence) lines.push(`        “${quote}”`);
  }
  const list = (title: string, items: string[]) => {
    lines.push('', `${title}${items.length ? '' : ': none'}`);
    for (const item of items) lines.push(`  - ${item}`);
  };
  lines.push('', 'Summary', `  ${evaluation.summary}`);
  list('Strengths', evaluation.strengths);
  list('Concerns', evaluation.concerns);
  list('Follow-up topics', evaluation.followUpTopics);
  list('Injection attempts', evaluation.injectionAttempts);
  lines.push('', `Evidence quotes dropped as not verbatim: ${evaluation.droppedEvidence}`);
  return lines.join('\n');
}

async function evaluate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, content: { type: 'string' } }
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('evaluate takes one transcript file');
  const transcriptFile = parseTranscriptFile(await readText(file, 'transcript'), basename(file));
  const lib = library(values.content);
  const plan = planForTranscript(transcriptFile, {
    question: (id) => lib().questions.get(id),
    template: (id) => resolvePlan(lib(), id)
  });
  const engine = createInterviewEngine({ provider: provider(io.env) });
  const evaluation = await engine.evaluate(plan, transcriptFile.messages);
  io.out(values.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(plan, evaluation));
  return 0;
}

async function simulate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      question: { type: 'string' },
      answers: { type: 'string' },
      code: { type: 'string' },
      'step-seconds': { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
      content: { type: 'string' }
    }
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.question || !values.answers)
    throw new UsageError('simulate needs --question and --answers');
  const step = Number(values['step-seconds']);
  if (!Number.isFinite(step) || step < 0 || step > 3_600)
    throw new UsageError('--step-seconds must be a number of seconds from 0 to 3600');
  const answers = parseAnswers(
    await readText(values.answers, 'answers file'),
    basename(values.answers)
  );
  const code: TurnInput['code'] = values.code
    ? {
        language: 'text',
        files: { [basename(values.code)]: await readText(values.code, 'code file') }
      }
    : undefined;
  const question = library(values.content)().questions.get(values.question);
  if (!question)
    throw new InputError(`unknown question "${values.question}" (see content/questions/)`);
  const plan = singleSectionPlan([question], question.title);

  const engine = createInterviewEngine({ provider: provider(io.env) });
  let now = SIMULATION_START;
  let { decision, state } = engine.start(plan, now);
  const transcript: TranscriptMessage[] = [];
  const record = (message: Omit<TranscriptMessage, 'id' | 'at'>) => {
    transcript.push({ id: `m${transcript.length + 1}`, at: now.toISOString(), ...message });
    if (!values.json)
      io.out(
        message.speaker === 'interviewer'
          ? `interviewer [${message.action}]: ${message.text}`
          : `candidate: ${message.text === '' ? '(silence)' : message.text}`
      );
  };
  record({
    speaker: 'interviewer',
    text: decision.message,
    questionId: question.id,
    action: decision.action
  });
  let used = 0;
  for (const answer of answers) {
    if (state.finished) break;
    now = new Date(now.getTime() + step * 1_000);
    record({ speaker: 'candidate', text: answer, questionId: question.id });
    used++;
    ({ decision, state } = await engine.turn({
      plan,
      state,
      transcript,
      answer,
      now,
      ...(code ? { code } : {})
    }));
    record({
      speaker: 'interviewer',
      text: decision.message,
      questionId: question.id,
      action: decision.action,
      ...(decision.dimensionId ? { dimensionId: decision.dimensionId } : {})
    });
  }
  const evaluation = await engine.evaluate(plan, transcript);
  if (values.json) {
    io.out(JSON.stringify({ transcript, state, evaluation }, null, 2));
    return 0;
  }
  io.out(
    state.finished
      ? used < answers.length
        ? `(the interview ended; ${answers.length - used} answer(s) not used)`
        : '(the interview ended)'
      : '(the answers ran out before the interview ended)'
  );
  io.out('');
  io.out(formatEvaluation(plan, evaluation));
  return 0;
}

function validate(args: string[], io: CliIo): number {
  const [dir, ...extra] = args;
  if (!dir || extra.length > 0 || dir.startsWith('--'))
    throw new UsageError('validate takes one content directory');
  const lib = loadLibrary(dir);
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  io.out(
    `ok: ${count(lib.questions.size, 'question')}, ${count(lib.templates.size, 'template')} in ${dir}`
  );
  return 0;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'evaluate') return await evaluate(args, io);
    if (command === 'simulate') return await simulate(args, io);
    if (command === 'validate') return validate(args, io);
    throw new UsageError(command ? `unknown command ${command}` : '');
  } catch (error) {
    // parseArgs throws TypeErrors with codes like ERR_PARSE_ARGS_UNKNOWN_OPTION.
    const argError =
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS');
    if (error instanceof UsageError || argError) {
      if (error.message) io.err(error.message);
      io.err(USAGE);
      return 2;
    }
    if (error instanceof InputError || error instanceof ContentError || isInterviewerError(error)) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const io: CliIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    // The CLI's only read of process.env: the LLM settings (README, "Configuration").
    env: process.env
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
      );
      process.exitCode = 1;
    }
  );
}

import type { CgroupReserve } from './cgroup-reserve';
import type { HostState } from './host';
import type { LanguageSpec, Program } from './languages/types';
import type { Limits } from './limits';
import { OutputCoalescer } from './coalesce';
import { runHttpTask } from './http-task';
import type { RunRequest } from './request';
import { runStep, type StepContext, type StepOutcome } from './step';
import { outputMatches, parseSqliteJson, rowsMatch } from './tests-harness';
import type { Logger, RunOptions, RunResult, RunStatus, TestCaseResult } from './types';
import type { Slot } from './uids';
import type { WarmPool } from './warm';

/** Largest compile artifact (binary or tar of classes) carried to the run step. */
const ARTIFACT_MAX_BYTES = 64 * 1024 * 1024;
const COMPILE_OUTPUT_BYTES = 64 * 1024;
const COMPILE_WORKDIR_BYTES = 256 * 1024 * 1024;

export interface Job {
  request: RunRequest;
  language: LanguageSpec;
  program: Program;
  limits: Limits;
  runId: string;
  logger: Logger;
}

export function statusOf(outcome: StepOutcome): RunStatus {
  switch (outcome.end) {
    case 'wall_timeout':
    case 'cpu_timeout':
    case 'cancelled':
      return 'timeout';
    case 'output_limit':
      return 'output_limit';
    case 'setup_failed':
      return 'internal_error';
    case 'stopped':
      // Still serving when the host was done with it: the expected end of a server.
      return outcome.oomKilled ? 'memory_limit' : 'ok';
    case 'exited':
      break;
  }
  if (outcome.oomKilled) return 'memory_limit';
  return outcome.exitCode === 0 ? 'ok' : 'runtime_error';
}

export function emptyResult(
  status: RunStatus,
  limits: Limits,
  extra: Partial<RunResult> = {}
): RunResult {
  return {
    status,
    exitCode: null,
    signal: null,
    wallMs: 0,
    cpuMs: 0,
    memoryKb: 0,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    compileOutput: '',
    cancelled: false,
    limits,
    ...extra
  };
}

function describeCompileFailure(outcome: StepOutcome): string {
  switch (outcome.end) {
    case 'wall_timeout':
    case 'cpu_timeout':
      return '\n[compilation timed out]';
    case 'output_limit':
      return '\n[compiler output or artifact too large]';
    default:
      return outcome.oomKilled ? '\n[compiler ran out of memory]' : '';
  }
}

export interface SlotState {
  slot: Slot;
  cgroups: CgroupReserve;
  /** Cgroups for the HTTP harness, which runs beside the program. */
  harnessCgroups?: CgroupReserve;
  /** Pre-spawned wrappers for this slot's run steps. */
  warm?: WarmPool;
}

export async function execute(
  host: HostState,
  { slot, cgroups, harnessCgroups, warm }: SlotState,
  job: Job,
  options: RunOptions
): Promise<RunResult> {
  const { language, limits, request } = job;
  const context = (): StepContext => ({
    driver: host.driver,
    cgroups,
    layout: host.layout,
    hostUid: slot.uid,
    logger: job.logger
  });
  // Run steps and test cases take pre-spawned wrappers; compile steps and
  // HTTP servers (different limits, a namespace to share) always start cold.
  const runContext = (): StepContext => ({ ...context(), warm });

  let program = job.program;
  if (language.transform) {
    const transformed = await language.transform(program);
    if (!transformed.ok)
      return emptyResult('compile_error', limits, { compileOutput: transformed.compileOutput });
    program = transformed.program;
  }

  let artifact: Buffer | undefined;
  let compileOutput = '';
  if (language.compile) {
    const compileLimits: Limits = {
      ...limits,
      ...language.compile.limits,
      outputBytes: COMPILE_OUTPUT_BYTES,
      workDirBytes: COMPILE_WORKDIR_BYTES
    };
    const outcome = await runStep(context(), language.compile.plan(program), {
      limits: compileLimits,
      stdin: Buffer.alloc(0),
      stdoutCap: ARTIFACT_MAX_BYTES,
      signal: options.signal
    });
    compileOutput = outcome.stderr.data.toString('utf8');
    const status = statusOf(outcome);
    if (status !== 'ok') {
      job.logger.debug({ end: outcome.end, exitCode: outcome.exitCode }, 'compile step failed');
      const failed =
        status === 'internal_error'
          ? 'internal_error'
          : outcome.end === 'cancelled'
            ? 'timeout'
            : 'compile_error';
      if (failed === 'internal_error')
        job.logger.error({ detail: outcome.detail }, 'compile step setup failed');
      return emptyResult(failed, limits, {
        compileOutput: compileOutput + describeCompileFailure(outcome),
        wallMs: outcome.wallMs,
        cpuMs: outcome.stats.cpuMs,
        memoryKb: outcome.stats.memoryKb,
        cancelled: outcome.end === 'cancelled'
      });
    }
    artifact = outcome.stdout.data;
  }

  if (request.httpTests) {
    if (!harnessCgroups) throw new Error('HTTP tests need harness cgroups');
    return runHttpTask(
      {
        server: context,
        harness: () => ({ ...context(), cgroups: harnessCgroups }),
        serverPlan: language.run(program, artifact),
        limits,
        stdin: toBuffer(request.stdin),
        logger: job.logger,
        options
      },
      request.httpTests,
      statusOf,
      { compileOutput, limits }
    );
  }

  const coalescer = options.onOutput ? new OutputCoalescer(options.onOutput) : undefined;
  const main = await runStep(runContext(), language.run(program, artifact), {
    limits,
    stdin: toBuffer(request.stdin),
    stdoutCap: limits.outputBytes,
    signal: options.signal,
    onData: coalescer ? (stream, data) => coalescer.push(stream, data) : undefined
  });
  coalescer?.end();
  if (main.end === 'setup_failed')
    job.logger.error({ detail: main.detail }, 'run step setup failed');
  const result: RunResult = {
    status: statusOf(main),
    exitCode: main.exitCode,
    signal: main.signal,
    wallMs: main.wallMs,
    cpuMs: main.stats.cpuMs,
    memoryKb: main.stats.memoryKb,
    stdout: main.stdout.data.toString('utf8'),
    stderr: main.stderr.data.toString('utf8'),
    stdoutTruncated: main.stdout.truncated,
    stderrTruncated: main.stderr.truncated,
    compileOutput,
    cancelled: main.end === 'cancelled',
    limits
  };

  if (request.tests || request.sqlTests) {
    result.tests = [];
    const run = async (stdin: Buffer, sqlSeed?: string) => {
      const casedProgram = sqlSeed === undefined ? program : { ...program, sqlSeed };
      return runStep(runContext(), language.run(casedProgram, artifact), {
        limits,
        stdin,
        stdoutCap: limits.outputBytes,
        signal: options.signal
      });
    };
    for (const test of request.tests ?? []) {
      if (options.signal?.aborted) break;
      const outcome = await run(toBuffer(test.stdin));
      const actual = outcome.stdout.data.toString('utf8');
      const status = statusOf(outcome);
      result.tests.push({
        id: test.id,
        hidden: test.hidden,
        status,
        passed: status === 'ok' && outputMatches(test.expectedStdout, actual, test.whitespace),
        wallMs: outcome.wallMs,
        stdin: toBuffer(test.stdin).toString('utf8'),
        expectedStdout: test.expectedStdout,
        actualStdout: actual,
        stderr: outcome.stderr.data.toString('utf8')
      });
    }
    for (const test of request.sqlTests ?? []) {
      if (options.signal?.aborted) break;
      // Cases on the request's own seed reuse the main run instead of re-running it.
      const outcome =
        test.data === undefined
          ? main
          : await run(Buffer.alloc(0), `${request.sql?.schema ?? ''}\n${test.data}`);
      const rows = parseSqliteJson(outcome.stdout.data.toString('utf8'));
      const status = statusOf(outcome);
      const entry: TestCaseResult = {
        id: test.id,
        hidden: test.hidden,
        status,
        passed:
          status === 'ok' && rows !== undefined && rowsMatch(test.expectedRows, rows, test.ordered),
        wallMs: outcome.wallMs,
        expectedRows: test.expectedRows,
        actualRows: rows,
        stderr: outcome.stderr.data.toString('utf8')
      };
      result.tests.push(entry);
    }
    if (options.signal?.aborted) result.cancelled = true;
  }
  return result;
}

function toBuffer(value: string | Uint8Array | undefined): Buffer {
  if (value === undefined) return Buffer.alloc(0);
  return typeof value === 'string' ? Buffer.from(value) : Buffer.from(value);
}

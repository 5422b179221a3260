import { serveCases, serverRun, type ServeContext } from './http-run';
import type { HttpTests } from './http-schema';
import type { StepOutcome } from './step';
import type { RunResult, RunStatus } from './types';

/**
 * Turns an HTTP task into a RunResult. Visible and hidden cases are served
 * by separate instances of the program, visible first: a server's output
 * may echo the requests it received (http.server logs every request line),
 * so only the instance that never saw a hidden request may show its output
 * to the candidate. Each group therefore starts from a fresh server and must
 * not depend on the other's state.
 */
export async function runHttpTask(
  context: ServeContext,
  tests: HttpTests,
  statusOf: (outcome: StepOutcome) => RunStatus,
  base: Pick<RunResult, 'compileOutput' | 'limits'>
): Promise<RunResult> {
  const visibleCases = tests.cases.filter((c) => !c.hidden);
  const hiddenCases = tests.cases.filter((c) => c.hidden);
  const visible =
    visibleCases.length > 0 ? await serveCases(context, tests, visibleCases, true) : undefined;
  const hidden =
    hiddenCases.length > 0 && !context.options.signal?.aborted
      ? await serveCases(context, tests, hiddenCases, false)
      : undefined;

  const first = visible ?? hidden;
  if (!first) throw new Error('httpTests without cases passed validation');
  const main = serverRun(first.server, statusOf(first.server));
  // A hidden-only server that never accepted a connection received no request,
  // so its output (typically the crash) is safe to show.
  const showOutput = visible !== undefined || !first.ready;
  const result: RunResult = {
    ...base,
    status: main.status,
    exitCode: main.exitCode,
    signal: main.signal,
    wallMs: main.wallMs,
    cpuMs: main.cpuMs,
    memoryKb: main.memoryKb,
    stdout: showOutput ? main.stdout : '',
    stderr: showOutput ? main.stderr : '',
    stdoutTruncated: showOutput && first.server.stdout.truncated,
    stderrTruncated: showOutput && first.server.stderr.truncated,
    cancelled: [visible, hidden].some((served) => served?.server.end === 'cancelled'),
    tests: []
  };
  // Cases keep the request's order, whichever instance served them.
  let v = 0;
  let h = 0;
  for (const c of tests.cases) {
    const test = c.hidden ? hidden?.tests[h++] : visible?.tests[v++];
    if (test) result.tests?.push(test);
  }
  if (hidden) result.hiddenServer = serverRun(hidden.server, statusOf(hidden.server));
  return result;
}

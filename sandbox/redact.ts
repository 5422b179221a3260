import type { RunResult, TestCaseResult } from './types';

/**
 * What a candidate may see of a graded run: hidden cases keep only their id,
 * verdict and timing. Inputs, expected and actual outputs of hidden cases
 * would let a candidate hard-code answers. For HTTP tasks that includes the
 * output of the server run that served hidden cases (`hiddenServer`).
 */
export function redactForCandidate(result: RunResult): RunResult {
  // The server that answered hidden HTTP cases may have logged their requests.
  const { hiddenServer: _hiddenServer, ...rest } = result;
  if (!rest.tests) return rest;
  return { ...rest, tests: rest.tests.map(redactCase) };
}

function redactCase(test: TestCaseResult): TestCaseResult {
  if (!test.hidden) return test;
  return {
    id: test.id,
    passed: test.passed,
    hidden: true,
    status: test.status,
    wallMs: test.wallMs
  };
}

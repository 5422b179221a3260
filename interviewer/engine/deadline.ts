/**
 * Runs a provider call under a deadline and the caller's signal. The provider
 * gets a signal that aborts on either; the returned promise settles at the
 * deadline even if the provider ignores its signal, so a hung LLM call can
 * never hold an interview (issue 5: "never a stuck interview").
 */
export class DeadlineError extends Error {
  constructor(ms: number) {
    super(`No answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

export function withDeadline<T>(
  run: (signal: AbortSignal) => Promise<T>,
  ms: number,
  outer?: AbortSignal
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineError(ms)), ms);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const reason: unknown = controller.signal.reason;
      reject(reason instanceof Error ? reason : new Error('Aborted'));
    };
    if (controller.signal.aborted) return onAbort();
    controller.signal.addEventListener('abort', onAbort, { once: true });
    let call: Promise<T>;
    try {
      call = run(controller.signal);
    } catch (error) {
      return reject(error instanceof Error ? error : new Error(String(error)));
    }
    call.then(resolve, (error: unknown) =>
      reject(error instanceof Error ? error : new Error(String(error)))
    );
  }).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  });
}

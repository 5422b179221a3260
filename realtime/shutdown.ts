import type { Logger } from './logger';
import type { YjsServer } from './yjs-server';

type SignalTarget = {
  once(event: NodeJS.Signals, listener: () => void): unknown;
  off(event: NodeJS.Signals, listener: () => void): unknown;
};

export type FlushOnShutdownOptions = {
  server: Pick<YjsServer, 'close'>;
  logger: Logger;
  /** Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /** Default `process`; tests pass an EventEmitter. */
  target?: SignalTarget;
  /** Called with 0 once everything is flushed, 1 if the flush failed. Default process.exit. */
  exit?: (code: number) => void;
};

/**
 * Issue 4: SIGTERM flushes every pending update before the process exits, so a deploy never
 * drops edits the server had received. Returns a function that removes the handlers.
 */
export function flushOnShutdown({
  server,
  logger,
  signals = ['SIGTERM', 'SIGINT'],
  target = process,
  exit = (code) => process.exit(code)
}: FlushOnShutdownOptions): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const remove = (): void => {
    for (const [signal, handler] of handlers) target.off(signal, handler);
    handlers.clear();
  };
  for (const signal of signals) {
    const handler = (): void => {
      remove();
      logger.info({ signal }, 'flushing yjs documents before exit');
      server.close().then(
        () => exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'yjs flush on shutdown failed');
          exit(1);
        }
      );
    };
    handlers.set(signal, handler);
    target.once(signal, handler);
  }
  return remove;
}

import type { DocKey } from './store';

/**
 * Messages between the Yjs server's thread and its document worker (worker-doc-host.ts and
 * doc-worker.ts). Both ends are this module's code in one process, so messages are typed but
 * not parsed: the add path carries every keystroke.
 */

/** Present in a document worker's workerData, so an entry module knows it is one. */
export const DOC_WORKER_MARK = 'tandemDocWorker';

/** Settings the worker's host is built with, beside the store module's own data. */
export type DocWorkerData = {
  [DOC_WORKER_MARK]: true;
  batchMs: number;
  snapshotEvery: number;
  /** Handed to the entry's store factory as given. */
  data: unknown;
};

export type ToWorker =
  | { t: 'open'; req: number; key: DocKey }
  /**
   * Updates of open documents, in the order they were accepted: a batch's bytes (update-batch.ts).
   * `replay`: sent again to a new worker, so updates of documents no longer open were already
   * written and are skipped.
   */
  | { t: 'add'; bytes: Uint8Array; replay?: boolean }
  | { t: 'sv'; req: number; doc: string }
  | { t: 'diff'; req: number; doc: string; sv?: Uint8Array }
  /** doc null: every document. */
  | { t: 'flush'; req: number; doc: string | null }
  | { t: 'close'; doc: string }
  /** Runs the collector twice when the process was started with --expose-gc. */
  | { t: 'gc'; req: number }
  /** Stops the writer and closes the store; the worker then exits. */
  | { t: 'stop'; req: number };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** An error as it crosses threads: enough for a log line and a message. */
export type WireError = { name: string; message: string; stack?: string };

export type FromWorker =
  /** The store is built; requests are served from now on. */
  | { t: 'ready' }
  | { t: 'reply'; req: number; value?: Uint8Array | { empty: boolean }; error?: WireError }
  /** After a write: how many of each document's oldest added updates became durable. */
  | { t: 'written'; counts: Array<[doc: string, count: number]> }
  | {
      t: 'log';
      level: LogLevel;
      bindings: Record<string, unknown>;
      obj: Record<string, unknown>;
      msg?: string;
    };

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: 'Error', message: String(error) };
}

export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}

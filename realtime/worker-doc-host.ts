import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocHost } from './doc-host';
import {
  DOC_WORKER_MARK,
  fromWireError,
  type DocWorkerData,
  type FromWorker,
  type ToWorker
} from './doc-worker-protocol';
import type { Logger } from './logger';
import { docId, type DocKey } from './store';
import { createBatchBuilder, createRetention, type BatchBuilder } from './update-batch';

export type DocWorkerOptions = {
  /**
   * The worker's module, a path or file URL: it calls serveDocuments (doc-worker.ts) with its
   * store factory. A `.ts` module runs through tsx, for development and tests.
   */
  entry: string | URL;
  /** Handed to the module's store factory; must survive structured cloning. */
  data?: unknown;
};

export type WorkerDocHostOptions = DocWorkerOptions & {
  logger: Logger;
  /**
   * Milliseconds an update may wait before it is written. Here, it is how long adds wait to go
   * to the worker together, which writes each batch as it arrives: every message wakes the
   * other thread, and a wake costs the sending thread tens of microseconds, so one a tick rather
   * than one an edit. Requests send what waits first, so nobody reads a stale document.
   */
  batchMs: number;
  snapshotEvery: number;
};

/**
 * How long the worker's writer waits after a batch arrives: none, as the batch already holds a
 * tick of edits. Batches that arrive while a write is in flight go out together after it.
 */
const WORKER_WRITE_DELAY_MS = 0;

/** Pauses before starting another worker after one died, doubling up to the last. */
const RESTART_MS = [0, 1000, 2000, 5000, 10_000, 30_000];
/** Workers that died before serving anything, in a row, before waiting requests are refused. */
const FAILED_STARTS_BEFORE_REFUSING = 3;

type Request = {
  message: Extract<ToWorker, { req: number }>;
  resolve(value: FromWorker & { t: 'reply' }): void;
  reject(error: Error): void;
};

/**
 * Documents in a worker thread (doc-worker.ts). This side keeps every added update until the
 * worker reports it durable, so if the worker dies, a new one reopens the documents and is
 * given those updates and the unanswered requests again: nothing accepted is lost, and callers
 * only see a slower answer. (An update written just before the death may be logged twice;
 * Yjs updates are idempotent, so playback is unchanged.)
 */
export function createWorkerDocHost({
  entry,
  data,
  logger,
  batchMs,
  snapshotEvery
}: WorkerDocHostOptions): DocHost {
  const url = typeof entry === 'string' ? pathToFileURL(entry) : entry;
  const workerData: DocWorkerData = {
    [DOC_WORKER_MARK]: true,
    batchMs: WORKER_WRITE_DELAY_MS,
    snapshotEvery,
    data
  };
  const typescript = url.pathname.endsWith('.ts');

  const opened = new Map<string, DocKey>();
  /** Open documents, and closed ones with updates not yet written: what a new worker reopens. */
  const keys = new Map<string, DocKey>();
  const retention = createRetention();
  const requests = new Map<number, Request>();
  let nextReq = 1;
  let outbox: BatchBuilder | null = null;
  let drainTimer: NodeJS.Timeout | null = null;
  let worker: Worker | null = null;
  let serving = false;
  let failedStarts = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let stopping = false;

  const post = (message: ToWorker): void => worker?.postMessage(message);

  /** Sends the waiting adds; every request calls this first, so it sees them. */
  const drain = (): void => {
    if (drainTimer) clearTimeout(drainTimer);
    drainTimer = null;
    if (!outbox) return;
    const batch = outbox.finish();
    outbox = null;
    retention.keep(batch);
    post({ t: 'add', bytes: batch.bytes });
  };

  const forget = (doc: string): void => {
    if (!opened.has(doc) && retention.pending(doc) === 0) keys.delete(doc);
  };

  const request = (
    message: Extract<ToWorker, { req: number }>
  ): Promise<FromWorker & { t: 'reply' }> => {
    drain();
    return new Promise((resolve, reject) => {
      requests.set(message.req, { message, resolve, reject });
      post(message);
    });
  };

  const answer = async (message: Extract<ToWorker, { req: number }>) => {
    const reply = await request(message);
    if (reply.error) throw fromWireError(reply.error);
    return reply.value;
  };

  const bytes = async (message: Extract<ToWorker, { req: number }>): Promise<Uint8Array> => {
    const value = await answer(message);
    if (!(value instanceof Uint8Array))
      throw new Error(`document worker answered ${message.t} without bytes`);
    return value;
  };

  const onMessage = (message: FromWorker): void => {
    switch (message.t) {
      case 'ready':
        serving = true;
        return;
      case 'reply': {
        const waiting = requests.get(message.req);
        requests.delete(message.req);
        failedStarts = 0;
        waiting?.resolve(message);
        return;
      }
      case 'written':
        for (const [doc, count] of message.counts) {
          retention.written(doc, count);
          forget(doc);
        }
        return;
      case 'log': {
        const obj = { ...message.obj };
        if (obj.err && typeof obj.err === 'object') obj.err = fromWireError(obj.err as never);
        logger.child({ thread: 'documents', ...message.bindings })[message.level](obj, message.msg);
        return;
      }
    }
  };

  const start = (): void => {
    restartTimer = null;
    serving = false;
    const started = typescript
      ? new Worker(throughTsx(url), { eval: true, workerData })
      : new Worker(url, { workerData });
    worker = started;
    // A dead worker's last messages must not count against what its successor was given.
    started.on('message', (message: FromWorker) => {
      if (worker === started) onMessage(message);
    });
    started.on('error', (error) => logger.error({ err: error }, 'document worker failed'));
    started.on('exit', (code) => {
      if (worker !== started) return;
      worker = null;
      if (stopping) {
        const error = new Error('the document worker stopped');
        for (const waiting of requests.values()) waiting.reject(error);
        requests.clear();
        return;
      }
      if (!serving) failedStarts += 1;
      logger.error(
        { code, pending: retention.pending(), requests: requests.size },
        'document worker exited; starting another'
      );
      if (failedStarts >= FAILED_STARTS_BEFORE_REFUSING) {
        const error = new Error('the document worker does not start');
        for (const waiting of requests.values()) waiting.reject(error);
        requests.clear();
      }
      const pause = RESTART_MS[Math.min(failedStarts, RESTART_MS.length - 1)]!;
      restartTimer = setTimeout(start, pause);
    });
    replay();
  };

  /**
   * A new worker gets the documents, every batch not yet all written, then the requests.
   * Documents closed since are opened only for their updates still pending, then closed. The
   * new worker writes the batches whole, so an update already written may be written twice.
   */
  const replay = (): void => {
    let internal = -1;
    retention.rewind(new Set(keys.keys()));
    for (const key of keys.values()) post({ t: 'open', req: internal--, key });
    for (const batch of retention.batches()) post({ t: 'add', bytes: batch.bytes, replay: true });
    for (const doc of keys.keys()) if (!opened.has(doc)) post({ t: 'close', doc });
    for (const waiting of requests.values()) post(waiting.message);
  };

  start();

  return {
    async open(key) {
      const value = await answer({ t: 'open', req: nextReq++, key });
      keys.set(docId(key), key);
      opened.set(docId(key), key);
      return value && 'empty' in value ? value : { empty: false };
    },
    add(key, update, author, at) {
      outbox ??= createBatchBuilder(at);
      outbox.push(docId(key), update, author, at);
      drainTimer ??= setTimeout(drain, batchMs);
    },
    stateVector: (key) => bytes({ t: 'sv', req: nextReq++, doc: docId(key) }),
    diff: (key, sv) => bytes({ t: 'diff', req: nextReq++, doc: docId(key), ...(sv ? { sv } : {}) }),
    async flush(key) {
      await answer({ t: 'flush', req: nextReq++, doc: key ? docId(key) : null });
    },
    pending(key) {
      drain();
      return retention.pending(key ? docId(key) : undefined);
    },
    close(key) {
      const doc = docId(key);
      if (!opened.delete(doc)) return;
      drain();
      post({ t: 'close', doc });
      forget(doc);
    },
    async collectGarbage() {
      await answer({ t: 'gc', req: nextReq++ });
    },
    async dispose() {
      // From here an exit is the end, not a crash to recover from.
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      drain();
      const running = worker;
      if (!running) return;
      try {
        await answer({ t: 'stop', req: nextReq++ });
      } finally {
        await running.terminate();
      }
    }
  };
}

/**
 * A worker's source that loads a TypeScript entry through tsx: loader flags given to a worker
 * do not reach its module loader, so tsx is registered from inside the thread.
 */
function throughTsx(entry: URL): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
  return `import(${JSON.stringify(api)})
    .then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })
    .catch((error) => { console.error(error); process.exit(1); });`;
}

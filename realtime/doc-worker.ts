import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createLocalDocHost, type DocHost } from './doc-host';
import {
  toWireError,
  type DocWorkerData,
  type FromWorker,
  type LogLevel,
  type ToWorker,
  DOC_WORKER_MARK
} from './doc-worker-protocol';
import type { Logger } from './logger';
import { docId, type DocKey, type DocStore } from './store';
import { readBatch } from './update-batch';

/** True in a thread started by worker-doc-host.ts: an entry serves only there. */
export function isDocWorker(): boolean {
  if (isMainThread) return false;
  const data: unknown = workerData;
  return typeof data === 'object' && data !== null && DOC_WORKER_MARK in data;
}

/** What a worker entry's factory builds from its data: the store, and how to let go of it. */
export type WorkerStore = { store: DocStore; close?: () => Promise<void> };

/**
 * The body of a document worker (see worker-doc-host.ts): an entry module calls this with a
 * factory for its store, e.g.
 *
 *   serveDocuments(async (data) => ({ store: createPgDocStore(createDatabase(url)), close }))
 *
 * and the worker then holds the documents of the server that started it: their settling copies,
 * their keyframes and the writer, all off the thread that relays edits.
 */
export function serveDocuments(createStore: (data: unknown) => Promise<WorkerStore>): void {
  const port = parentPort;
  if (!port) throw new Error('serveDocuments runs in a worker thread');
  const settings = workerData as DocWorkerData;
  const post = (message: FromWorker): void => port.postMessage(message);

  const logger = workerLogger(post, {});
  yieldToSockets(logger);
  let written: Array<[string, number]> = [];
  const host = (store: DocStore): DocHost =>
    createLocalDocHost({
      store,
      logger,
      batchMs: settings.batchMs,
      snapshotEvery: settings.snapshotEvery,
      onWritten: (key, count) => {
        // One message per write, however many documents it covered.
        if (written.length === 0) {
          queueMicrotask(() => {
            post({ t: 'written', counts: written });
            written = [];
          });
        }
        written.push([docId(key), count]);
      }
    });

  const keys = new Map<string, DocKey>();
  /** Documents still loading: what arrives for one waits for its load, in order. */
  const loading = new Map<string, Promise<unknown>>();
  let early: ToWorker[] | null = [];
  let docs: DocHost | null = null;

  const reply = (req: number, work: () => Promise<Uint8Array | { empty: boolean } | void>) => {
    let answer: Promise<Uint8Array | { empty: boolean } | void>;
    try {
      answer = work();
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (value) => post(value ? { t: 'reply', req, value } : { t: 'reply', req }),
      (error: unknown) => post({ t: 'reply', req, error: toWireError(error) })
    );
  };

  const track = (doc: string, work: Promise<unknown>): void => {
    loading.set(doc, work);
    void work.finally(() => {
      if (loading.get(doc) === work) loading.delete(doc);
    });
  };

  /** Runs `task` once `doc` is loaded, after whatever else was waiting for it. */
  const after = (doc: string, task: () => void): void => {
    const safe = (): void => {
      try {
        task();
      } catch (error) {
        logger.error({ err: error, doc }, 'document worker task failed');
      }
    };
    const pending = loading.get(doc);
    if (pending) track(doc, pending.then(safe));
    else safe();
  };

  const keyOf = (doc: string): DocKey => {
    const key = keys.get(doc);
    if (!key) throw new Error(`document ${doc} is not open`);
    return key;
  };

  const handle = (message: ToWorker, h: DocHost): void => {
    switch (message.t) {
      case 'open': {
        const { key, req } = message;
        const doc = docId(key);
        const load = (): Promise<unknown> => {
          keys.set(doc, key);
          const opened = h.open(key);
          reply(req, () => opened);
          // A failed load leaves the document closed; the server will ask again.
          return opened.catch(() => keys.delete(doc));
        };
        const pending = loading.get(doc);
        track(doc, pending ? pending.then(load) : load());
        return;
      }
      case 'add': {
        const { replay = false } = message;
        readBatch(message.bytes, (doc, update, author, at) => {
          // Nearly always: the document is loaded, and nothing of it waits.
          if (!loading.has(doc)) add(h, { doc, update, author, at, replay });
          else after(doc, () => add(h, { doc, update, author, at, replay }));
        });
        return;
      }
      case 'sv':
        after(message.doc, () => reply(message.req, () => h.stateVector(keyOf(message.doc))));
        return;
      case 'diff':
        after(message.doc, () => reply(message.req, () => h.diff(keyOf(message.doc), message.sv)));
        return;
      case 'flush': {
        const { doc, req } = message;
        if (doc === null) {
          // Updates waiting on a load are part of "every document".
          const waits = [...loading.values()];
          reply(req, async () => {
            await Promise.allSettled(waits);
            await h.flush();
          });
        } else after(doc, () => reply(req, () => h.flush(keyOf(doc))));
        return;
      }
      case 'close':
        after(message.doc, () => {
          const key = keys.get(message.doc);
          keys.delete(message.doc);
          if (key) h.close(key);
        });
        return;
      case 'gc':
        reply(message.req, async () => {
          globalThis.gc?.();
          globalThis.gc?.();
        });
        return;
      case 'stop':
        reply(message.req, async () => {
          await h.dispose();
          await closeStore?.();
          // Nothing more will arrive: let the thread end.
          setImmediate(() => port.close());
        });
        return;
    }
  };

  type Item = { doc: string; update: Uint8Array; author: string; at: number; replay: boolean };
  const add = (h: DocHost, item: Item): void => {
    const key = keys.get(item.doc);
    if (!key) {
      if (!item.replay) {
        logger.error({ doc: item.doc }, 'update for a document that is not open; dropped');
      }
      return;
    }
    try {
      h.add(key, item.update, item.author, item.at);
    } catch (error) {
      logger.error({ err: error, doc: item.doc }, 'update could not be added');
    }
  };

  let closeStore: (() => Promise<void>) | undefined;
  port.on('message', (message: ToWorker) => {
    if (docs) handle(message, docs);
    else early?.push(message);
  });
  createStore(settings.data).then(
    (built) => {
      closeStore = built.close;
      const h = host(built.store);
      docs = h;
      const waiting = early ?? [];
      early = null;
      post({ t: 'ready' });
      for (const message of waiting) handle(message, h);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'document worker could not build its store');
      // Exiting tells the server, which starts another worker after a pause.
      process.exit(1);
    }
  );
}

/** A Logger whose lines are written by the server's own logger. */
function workerLogger(post: (m: FromWorker) => void, bindings: Record<string, unknown>): Logger {
  const line =
    (level: LogLevel) =>
    (obj: object, msg?: string): void => {
      const fields: Record<string, unknown> = { ...obj };
      if ('err' in fields) fields.err = toWireError(fields.err);
      post({ t: 'log', level, bindings, obj: fields, ...(msg === undefined ? {} : { msg }) });
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more) => workerLogger(post, { ...bindings, ...more })
  };
}

/** Niceness of the worker thread: below the socket thread, which it must not delay. */
const WORKER_NICE = 19;

/**
 * Lowers this thread's scheduling priority (Linux: a thread is its own task, /proc/thread-self
 * names its id). When the cores are busy, the socket thread and the clients' processes run
 * before applying and writing, which can wait a few milliseconds without anyone noticing.
 */
function yieldToSockets(logger: Logger): void {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return; // Not Linux: the worker keeps the process's priority.
  }
  try {
    setPriority(tid, WORKER_NICE);
  } catch (error) {
    logger.debug({ err: error }, 'document worker keeps its priority');
  }
}

/**
 * The document worker of the bench's tandem-socket mode: it speaks the worker protocol and keeps
 * nothing. Opens answer "not empty" (no seed), sync answers are an empty document's, and every
 * batch of updates is reported written at once, as the real worker does once PostgreSQL commits.
 * The tandem server's socket thread then does all its own work (parse, relay, pack, hand over,
 * count what was written) with nothing behind it: its latency against the relay's is the cost
 * of the socket path alone, and against tandem's, the cost of keeping and logging documents.
 */
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import type { FromWorker, ToWorker } from '../../realtime/doc-worker-protocol';
import { isDocWorker } from '../../realtime/doc-worker';
import { readBatch } from '../../realtime/update-batch';

function serveNothing(): void {
  const port = parentPort;
  if (!port) throw new Error('runs in a worker thread');
  const empty = new Y.Doc();
  const state = Y.encodeStateAsUpdate(empty);
  const vector = Y.encodeStateVector(empty);
  const post = (message: FromWorker): void => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    switch (message.t) {
      case 'open':
        post({ t: 'reply', req: message.req, value: { empty: false } });
        return;
      case 'add': {
        const counts = new Map<string, number>();
        readBatch(message.bytes, (doc) => counts.set(doc, (counts.get(doc) ?? 0) + 1));
        post({ t: 'written', counts: [...counts] });
        return;
      }
      case 'sv':
        post({ t: 'reply', req: message.req, value: vector });
        return;
      case 'diff':
        post({ t: 'reply', req: message.req, value: state });
        return;
      case 'flush':
      case 'gc':
        post({ t: 'reply', req: message.req });
        return;
      case 'stop':
        post({ t: 'reply', req: message.req });
        setImmediate(() => port.close());
        return;
      case 'close':
        return;
    }
  });
  post({ t: 'ready' });
}

if (isDocWorker()) serveNothing();

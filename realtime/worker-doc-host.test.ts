/**
 * Documents in a worker thread (worker-doc-host.ts, doc-worker.ts) with the in-memory store of
 * test-doc-worker.ts: the host answers like the local one, keeps what it was given when the
 * worker dies, refuses clearly when no worker can start, and carries a live session.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocHost } from './doc-host';
import { createMemoryLogger, startHarness, synced, waitFor, type Harness } from './test-harness';
import { createWorkerDocHost } from './worker-doc-host';

const entry = fileURLToPath(new URL('./test-doc-worker.ts', import.meta.url));
const key = { interviewId: 'iv1', doc: 'code' };
const hosts: DocHost[] = [];
let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  for (const host of hosts.splice(0)) await host.dispose();
});

function startHost(data?: unknown) {
  const logger = createMemoryLogger();
  const host = createWorkerDocHost({ entry, data, logger, batchMs: 5, snapshotEvery: 3 });
  hosts.push(host);
  return { host, logger };
}

/** n one-character edits by one client, as the updates a socket would send. */
function edits(text: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const char of text) doc.getText('code').insert(doc.getText('code').length, char);
  return updates;
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('code').toString();
}

describe('documents in a worker thread', () => {
  it('applies, answers and writes what it is given, and keeps it across close and reopen', async () => {
    const { host } = startHost();
    expect(await host.open(key)).toEqual({ empty: true });
    for (const update of edits('hello')) host.add(key, update, 'alice', Date.now());
    expect(host.pending(key)).toBe(5);

    const local = new Y.Doc();
    Y.applyUpdate(local, await host.diff(key));
    expect(local.getText('code').toString()).toBe('hello');
    expect(await host.stateVector(key)).toEqual(Y.encodeStateVector(local));
    // Nothing the peer lacks once it has everything.
    expect(textOf(await host.diff(key, Y.encodeStateVector(local)))).toBe('');

    await host.flush(key);
    expect(host.pending(key)).toBe(0);
    expect(host.pending()).toBe(0);
    // Answered, whether or not this process exposes the collector.
    await host.collectGarbage();

    host.close(key);
    expect(await host.open(key)).toEqual({ empty: false });
    expect(textOf(await host.diff(key))).toBe('hello');
  });

  it('asking about a document that is not open is an error, and the worker goes on', async () => {
    const { host } = startHost();
    await expect(host.stateVector({ interviewId: 'iv1', doc: 'other' })).rejects.toThrow(
      'document iv1/other is not open'
    );
    expect(await host.open(key)).toEqual({ empty: true });
  });

  it('when the worker dies mid-write, a new one gets every update not yet durable', async () => {
    const exits = new Int32Array(new SharedArrayBuffer(4));
    const { host, logger } = startHost({ exitOnAppend: exits });
    await host.open(key);
    for (const update of edits('survive')) host.add(key, update, 'alice', Date.now());
    // The first append ends the first worker; the flush is answered by the second.
    await host.flush(key);
    expect(Atomics.load(exits, 0)).toBeGreaterThanOrEqual(2);
    expect(host.pending()).toBe(0);
    expect(textOf(await host.diff(key))).toBe('survive');
    expect(logger.entries.map((e) => e.msg)).toContain('document worker exited; starting another');
  });

  it('when no worker can build its store, waiting requests fail with a clear error', async () => {
    const { host, logger } = startHost({ failStore: true });
    await expect(host.open(key)).rejects.toThrow('the document worker does not start');
    const reasons = logger.entries.filter(
      (e) => e.msg === 'document worker could not build its store'
    );
    expect(reasons.length).toBeGreaterThan(0);
  }, 15_000);

  it('carries a live session: clients converge, the seed is written once, read() sees edits', async () => {
    const h = (harness = await startHarness({
      documents: { worker: { entry } },
      seed: async () => (doc) => doc.getText('code').insert(0, '// start\n')
    }));
    const a = await h.provider({ participantId: 'alice' });
    const b = await h.provider({ participantId: 'bob', role: 'candidate' });
    await Promise.all([synced(a), synced(b)]);
    expect(a.doc.getText('code').toString()).toBe('// start\n');
    a.doc.getText('code').insert(0, 'A');
    b.doc.getText('code').insert(b.doc.getText('code').length, 'B');
    const same = () => a.doc.getText('code').toString() === b.doc.getText('code').toString();
    await waitFor(() => a.doc.getText('code').length === 11 && same(), 'convergence');
    await h.server.flush();
    expect(h.server.stats().pendingUpdates).toBe(0);
    expect(textOf(await h.server.read(key))).toBe(a.doc.getText('code').toString());
  });
});

import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { flushOnShutdown } from './shutdown';
import { createMemoryLogger, startHarness, synced, waitFor } from './test-harness';

it('SIGTERM flushes updates the server received, then exits 0', async () => {
  const h = await startHarness({ batchMs: 60_000 });
  const target = new EventEmitter();
  const exits: number[] = [];
  flushOnShutdown({
    server: h.server,
    logger: createMemoryLogger(),
    target,
    exit: (code) => exits.push(code)
  });
  const client = await h.provider({ participantId: 'alice' });
  await synced(client);
  client.doc.getText('code').insert(0, 'keep me');
  await waitFor(() => h.server.stats().pendingUpdates === 1, 'update received');

  target.emit('SIGTERM');
  await waitFor(() => exits.length === 1, 'exit');
  expect(exits).toEqual([0]);
  const stored = new Y.Doc();
  for (const { update } of h.store.updatesOf({ interviewId: 'iv1', doc: 'code' })) {
    Y.applyUpdate(stored, update);
  }
  expect(stored.getText('code').toString()).toBe('keep me');
  expect(target.listenerCount('SIGINT')).toBe(0);
  await h.close();
});

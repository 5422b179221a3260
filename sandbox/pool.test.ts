import { describe, expect, it } from 'vitest';
import { AbortedWhileQueuedError, SlotPool } from './pool';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SlotPool', () => {
  it('runs interactive jobs before queued grading jobs', async () => {
    const pool = new SlotPool([1]);
    const gate = deferred();
    const order: string[] = [];
    const first = pool.use('grading', async () => {
      await gate.promise;
      order.push('first');
    });
    const grading = pool.use('grading', async () => void order.push('grading'));
    const interactive = pool.use('interactive', async () => void order.push('interactive'));
    gate.resolve();
    await Promise.all([first, grading, interactive]);
    expect(order).toEqual(['first', 'interactive', 'grading']);
  });

  it('gives each concurrent job a distinct slot', async () => {
    const pool = new SlotPool([60001, 60002]);
    const gate = deferred();
    const seen: number[] = [];
    const jobs = [1, 2].map(() =>
      pool.use('interactive', async (slot) => {
        seen.push(slot);
        await gate.promise;
      })
    );
    await new Promise((r) => setImmediate(r));
    gate.resolve();
    await Promise.all(jobs);
    expect(new Set(seen).size).toBe(2);
  });

  it('drops a job cancelled while queued', async () => {
    const pool = new SlotPool([1]);
    const gate = deferred();
    const busy = pool.use('interactive', () => gate.promise);
    const controller = new AbortController();
    const queued = pool.use('interactive', async () => 'ran', controller.signal);
    expect(pool.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(AbortedWhileQueuedError);
    gate.resolve();
    await busy;
    expect(pool.queued).toBe(0);
  });
});

/**
 * In-process queue in front of a fixed set of slots. Interactive runs (a
 * candidate pressing Run while the interviewer watches) always go before
 * grading runs; within a priority, first come first served.
 */
export type Priority = 'interactive' | 'grading';

interface Waiter<S> {
  priority: Priority;
  grant: (slot: S) => void;
}

export class AbortedWhileQueuedError extends Error {
  constructor() {
    super('run cancelled while queued');
    this.name = 'AbortedWhileQueuedError';
  }
}

export class ClosedPoolError extends Error {
  constructor() {
    super('sandbox is closed');
    this.name = 'ClosedPoolError';
  }
}

export class SlotPool<S> {
  private readonly free: S[];
  private readonly queue: Waiter<S>[] = [];
  private readonly busy = new Set<Promise<unknown>>();
  private closed = false;

  constructor(slots: S[]) {
    this.free = [...slots];
  }

  get queued(): number {
    return this.queue.length;
  }

  async use<T>(priority: Priority, job: (slot: S) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const slot = await this.acquire(priority, signal);
    const running = job(slot);
    this.busy.add(running);
    try {
      return await running;
    } finally {
      this.busy.delete(running);
      this.release(slot);
    }
  }

  /** Refuses new work, rejects queued work and waits for running jobs. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.splice(0);
    for (const reject of this.rejectQueued) reject(new ClosedPoolError());
    this.rejectQueued.clear();
    await Promise.allSettled([...this.busy]);
  }

  private readonly rejectQueued = new Set<(error: Error) => void>();

  private acquire(priority: Priority, signal?: AbortSignal): Promise<S> {
    if (this.closed) return Promise.reject(new ClosedPoolError());
    if (signal?.aborted) return Promise.reject(new AbortedWhileQueuedError());
    const slot = this.free.pop();
    if (slot !== undefined && this.queue.length === 0) return Promise.resolve(slot);
    if (slot !== undefined) this.free.push(slot);
    return new Promise<S>((resolve, reject) => {
      const waiter: Waiter<S> = {
        priority,
        grant: (granted) => {
          cleanup();
          resolve(granted);
        }
      };
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        cleanup();
        reject(new AbortedWhileQueuedError());
      };
      const cleanup = () => {
        signal?.removeEventListener('abort', onAbort);
        this.rejectQueued.delete(reject);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.rejectQueued.add(reject);
      // Interactive waiters go after other interactive waiters but before any grading one.
      const index =
        priority === 'interactive' ? this.queue.findIndex((w) => w.priority === 'grading') : -1;
      if (index === -1) this.queue.push(waiter);
      else this.queue.splice(index, 0, waiter);
    });
  }

  private release(slot: S): void {
    const next = this.queue.shift();
    if (next) next.grant(slot);
    else this.free.push(slot);
  }
}

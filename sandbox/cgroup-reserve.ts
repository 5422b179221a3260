import type { CgroupDriver, RunCgroup } from './cgroup';
import type { Logger } from './types';

/**
 * Keeps one empty cgroup ready per slot and removes used ones in the
 * background: creating and removing five v1 groups costs ~9 ms, more than
 * bwrap itself. Every run still gets a fresh group; only the mkdir/rmdir
 * moves off the critical path. The used group is already empty (killed)
 * when it is retired, so deferring its rmdir leaves nothing running.
 */
export class CgroupReserve {
  private spare: Promise<RunCgroup> | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private sequence = 0;
  private closed = false;

  constructor(
    private readonly driver: CgroupDriver,
    private readonly prefix: string,
    private readonly logger: Logger
  ) {}

  take(): Promise<RunCgroup> {
    const group = this.spare ?? this.make();
    this.spare = undefined;
    return group;
  }

  /** Destroys a used group off the critical path and prepares the next one. */
  retire(group: RunCgroup): void {
    this.track(
      group
        .destroy()
        .catch((error: unknown) =>
          this.logger.error({ err: error, cgroup: group.name }, 'cgroup cleanup failed')
        )
    );
    // Takes and retires no longer alternate strictly (a warm wrapper holds a
    // group between runs): a spare that is still unused must not be replaced,
    // or it would be leaked.
    if (this.spare || this.closed) return;
    this.spare = this.make();
    this.track(this.spare.catch(() => undefined));
  }

  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    if (spare) await spare.then((group) => group.destroy()).catch(() => undefined);
    await Promise.allSettled([...this.pending]);
  }

  private make(): Promise<RunCgroup> {
    return this.driver.create(`${this.prefix}-${(this.sequence++).toString(36)}`);
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }
}

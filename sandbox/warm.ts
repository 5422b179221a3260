import { buildWarmWrapper } from './bwrap';
import type { CgroupLimits, RunCgroup } from './cgroup';
import type { CgroupReserve } from './cgroup-reserve';
import { spawnStep, type SpawnedStep } from './process';
import type { Logger } from './types';

/**
 * One pre-spawned wrapper per slot, so that the host's fork (~5 ms from a
 * 120 MB Node process), the wrapper shell's start and the cgroup join happen
 * before a run arrives instead of on its critical path.
 *
 * What waits is only our own wrapper, as root, in the next run's fresh
 * cgroup (limits already written), blocked reading its control fd. The
 * sandbox — setpriv to the slot uid, bwrap's namespaces, seccomp, tmpfs —
 * is created by that wrapper only once the run's argv arrives, so every run
 * still gets a brand-new sandbox and no slot-uid process exists between runs.
 * Each wrapper serves exactly one step and is never reused.
 */

/** Runs with more files than this start cold (the wrapper's file pipes are made at spawn). */
export const WARM_FILE_PIPES = 8;
/** How long a discarded wrapper's pipes may stay open after its cgroup was killed. */
const PIPE_GRACE_MS = 1_000;
const IDLE_OUTPUT_CAP = 64 * 1024;

export interface WarmWrapper {
  cgroup: RunCgroup;
  step: SpawnedStep;
  /** What the cgroup is configured with now. */
  limits: CgroupLimits;
  alive: boolean;
  /** Handed to a run: its exit is that run's business from then on. */
  taken: boolean;
}

export interface WarmPoolOptions {
  cgroups: CgroupReserve;
  logger: Logger;
  /** Constant inputs every step gets (seccomp filter, /etc files), fed at spawn. */
  inputs: readonly Buffer[];
  controlFd: number;
  openFiles: number;
  /** setpriv and bwrap's fixed head for this slot (`warmHead`). */
  head: string[];
}

export class WarmPool {
  private next: Promise<WarmWrapper | undefined> | undefined;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions) {}

  /** The waiting wrapper, if one is alive; the caller owns it (and its cgroup) from now on. */
  async take(): Promise<WarmWrapper | undefined> {
    const pending = this.next;
    this.next = undefined;
    const warm = pending ? await pending : undefined;
    if (warm && !warm.alive) {
      await this.discard(warm);
      return undefined;
    }
    if (warm) warm.taken = true;
    return warm;
  }

  /** Spawns the next wrapper in the background unless one is already waiting. */
  refill(limits: CgroupLimits): void {
    if (this.closed || this.next) return;
    this.next = this.start(limits);
  }

  /** Kills the waiting wrapper and removes its cgroup. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.next;
    this.next = undefined;
    const warm = pending ? await pending : undefined;
    if (warm) await this.discard(warm);
  }

  private async start(limits: CgroupLimits): Promise<WarmWrapper | undefined> {
    const { cgroups, logger } = this.options;
    let cgroup: RunCgroup | undefined;
    try {
      cgroup = await cgroups.take();
      // No attach uid: the wrapper joins as root and drops to the slot uid only at run time.
      await cgroup.configure(limits);
      if (this.closed) throw new Error('pool closed while a wrapper was starting');
      const step = spawnStep(
        buildWarmWrapper({
          cgroupProcsFiles: cgroup.procsFiles,
          openFiles: this.options.openFiles,
          controlFd: this.options.controlFd,
          head: this.options.head
        }),
        {
          stdin: Buffer.alloc(0),
          inputs: [...this.options.inputs],
          stdoutCap: IDLE_OUTPUT_CAP,
          stderrCap: IDLE_OUTPUT_CAP,
          held: { pipes: WARM_FILE_PIPES }
        }
      );
      const warm: WarmWrapper = {
        cgroup,
        step,
        limits,
        alive: step.pid !== undefined,
        taken: false
      };
      void step.exited.then(() => {
        // alive is already false when we stopped it ourselves.
        if (!warm.taken && warm.alive) logger.warn('warm wrapper exited while waiting');
        warm.alive = false;
      });
      return warm;
    } catch (error) {
      if (!this.closed) logger.warn({ err: error }, 'could not pre-spawn a wrapper');
      if (cgroup) await this.release(cgroup);
      return undefined;
    }
  }

  private async discard(warm: WarmWrapper): Promise<void> {
    stopWaiting(warm);
    await this.release(warm.cgroup);
    // Its pipes close once the wrapper is dead; do not wait on a stuck one.
    const abandon = setTimeout(() => warm.step.abandonPipes(), PIPE_GRACE_MS);
    await warm.step.finished;
    clearTimeout(abandon);
  }

  private async release(cgroup: RunCgroup): Promise<void> {
    await cgroup
      .kill()
      .catch((error: unknown) =>
        this.options.logger.error({ err: error, cgroup: cgroup.name }, 'cgroup kill failed')
      );
    this.options.cgroups.retire(cgroup);
  }
}

/**
 * Ends a wrapper that was never handed a run. Killing its cgroup is not
 * enough: a wrapper still starting may not have joined it yet. Its pid is
 * still ours while `alive` (Node has not reaped it), and closing our ends of
 * its pipes makes it read EOF and exit in any case.
 */
export function stopWaiting(warm: WarmWrapper): void {
  if (warm.alive && warm.step.pid !== undefined) {
    try {
      process.kill(warm.step.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  warm.alive = false;
  warm.step.abandonPipes();
}

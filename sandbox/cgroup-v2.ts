import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver, CgroupLimits, CgroupStats, RunCgroup } from './cgroup-types';
import { exists, killAll, readNumber, readPids, removeDir, ROOT_NAME, sleep } from './cgroup-util';

/** cgroup v2: one unified tree; controllers are enabled on our own subtree. */
class V2Cgroup implements RunCgroup {
  readonly procsFiles: string[];
  private destroyed = false;

  constructor(
    readonly name: string,
    private readonly dir: string
  ) {
    this.procsFiles = [join(dir, 'cgroup.procs')];
  }

  async configure(limits: CgroupLimits): Promise<void> {
    await writeFile(join(this.dir, 'memory.max'), String(limits.memoryBytes));
    await writeFile(join(this.dir, 'memory.swap.max'), '0').catch(() => undefined);
    await writeFile(join(this.dir, 'pids.max'), String(limits.pids));
    await writeFile(join(this.dir, 'cpu.max'), `${Math.round(100000 * limits.cpus)} 100000`);
  }

  async cpuMs(): Promise<number> {
    const cpuStat = await readFile(join(this.dir, 'cpu.stat'), 'utf8');
    return Math.round(Number(/usage_usec (\d+)/.exec(cpuStat)?.[1] ?? '0') / 1000);
  }

  async stats(): Promise<CgroupStats> {
    const [cpuStat, events] = await Promise.all([
      readFile(join(this.dir, 'cpu.stat'), 'utf8'),
      readFile(join(this.dir, 'memory.events'), 'utf8')
    ]);
    // memory.peak appeared in Linux 5.19; older kernels only give current usage.
    const peak = await readNumber(join(this.dir, 'memory.peak')).catch(() =>
      readNumber(join(this.dir, 'memory.current'))
    );
    const usageUsec = Number(/usage_usec (\d+)/.exec(cpuStat)?.[1] ?? '0');
    const oomKills = Number(/oom_kill (\d+)/.exec(events)?.[1] ?? '0');
    return {
      cpuMs: Math.round(usageUsec / 1000),
      memoryKb: Math.round(peak / 1024),
      oomKilled: oomKills > 0
    };
  }

  async kill(spare?: number): Promise<void> {
    const procs = join(this.dir, 'cgroup.procs');
    const victims = async () => (await readPids(procs)).filter((pid) => pid !== spare);
    if ((await victims()).length === 0) return;
    const killFile = join(this.dir, 'cgroup.kill');
    if (spare === undefined && (await exists(killFile))) {
      await writeFile(killFile, '1');
    } else {
      for (let round = 0; round < 100; round++) {
        await writeFile(join(this.dir, 'cgroup.freeze'), '1');
        const pids = await victims();
        killAll(pids);
        await writeFile(join(this.dir, 'cgroup.freeze'), '0');
        if (pids.length === 0) break;
        await sleep(round === 0 ? 1 : 5);
      }
      if (spare !== undefined) return;
    }
    for (let i = 0; i < 400 && (await readPids(procs)).length > 0; i++) await sleep(5);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await this.kill();
    await removeDir(this.dir);
  }
}

export class V2Driver implements CgroupDriver {
  readonly version = 2;
  readonly selfAttach = false;
  private prepared: Promise<void> | undefined;

  constructor(private readonly mount: string) {}

  private prepare(): Promise<void> {
    // v2's "no internal processes" rule: controllers are enabled on our own
    // subtree root, which never holds a process itself.
    this.prepared ??= (async () => {
      const base = join(this.mount, ROOT_NAME);
      await writeFile(join(this.mount, 'cgroup.subtree_control'), '+memory +pids +cpu').catch(
        () => undefined
      );
      await mkdir(base, { recursive: true });
      await writeFile(join(base, 'cgroup.subtree_control'), '+memory +pids +cpu');
    })();
    return this.prepared;
  }

  async create(name: string): Promise<RunCgroup> {
    await this.prepare();
    const dir = join(this.mount, ROOT_NAME, name);
    await mkdir(dir);
    return new V2Cgroup(name, dir);
  }

  async sweep(isStale: (name: string) => boolean): Promise<number> {
    const entries = await readdir(join(this.mount, ROOT_NAME)).catch(() => [] as string[]);
    const stale = entries.filter(isStale);
    for (const name of stale)
      await new V2Cgroup(name, join(this.mount, ROOT_NAME, name)).destroy().catch(() => undefined);
    return stale.length;
  }
}

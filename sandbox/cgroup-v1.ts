import { chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver, CgroupLimits, CgroupStats, RunCgroup } from './cgroup-types';
import { exists, killAll, readNumber, readPids, removeDir, ROOT_NAME, sleep } from './cgroup-util';

/** cgroup v1: one hierarchy per controller, a directory per run in each. */
export const V1_CONTROLLERS = ['memory', 'pids', 'cpu', 'cpuacct', 'freezer'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

class V1Cgroup implements RunCgroup {
  readonly procsFiles: string[];
  private destroyed = false;

  constructor(
    readonly name: string,
    private readonly dirs: Map<V1Controller, string>
  ) {
    this.procsFiles = [...new Set(dirs.values())].map((dir) => join(dir, 'cgroup.procs'));
  }

  private file(controller: V1Controller, name: string): string {
    const dir = this.dirs.get(controller);
    if (!dir) throw new Error(`cgroup v1 controller ${controller} missing`);
    return join(dir, name);
  }

  async configure(limits: CgroupLimits, attachUid?: number): Promise<void> {
    // Independent files, written concurrently: this sits on every run's critical path.
    const memory = this.dirs.get('memory');
    const pids = this.dirs.get('pids');
    const cpu = this.dirs.get('cpu');
    await Promise.all([
      memory && this.configureMemory(memory, limits.memoryBytes),
      pids && writeFile(join(pids, 'pids.max'), String(limits.pids)),
      cpu &&
        writeFile(join(cpu, 'cpu.cfs_period_us'), '100000').then(() =>
          writeFile(join(cpu, 'cpu.cfs_quota_us'), String(Math.round(100000 * limits.cpus)))
        ),
      ...(attachUid === undefined ? [] : this.procsFiles.map((file) => chown(file, attachUid, -1)))
    ]);
  }

  private async configureMemory(dir: string, bytes: number): Promise<void> {
    // memsw may never be below the plain limit: raising an already configured
    // group (a warm wrapper's, set up for an earlier run) must lift memsw first.
    const memsw = join(dir, 'memory.memsw.limit_in_bytes');
    const current = await readNumber(memsw).catch(() => undefined);
    if (current !== undefined && current < bytes) await writeFile(memsw, String(bytes));
    await writeFile(join(dir, 'memory.limit_in_bytes'), String(bytes));
    // memsw exists only with swap accounting, and must be set after the plain limit.
    await writeFile(join(dir, 'memory.memsw.limit_in_bytes'), String(bytes)).catch(
      async (error: NodeJS.ErrnoException) => {
        if (!['ENOENT', 'EACCES', 'EPERM'].includes(error.code ?? '')) throw error;
        await writeFile(join(dir, 'memory.swappiness'), '0').catch(() => undefined);
      }
    );
  }

  async cpuMs(): Promise<number> {
    return Math.round((await readNumber(this.file('cpuacct', 'cpuacct.usage'))) / 1e6);
  }

  async stats(): Promise<CgroupStats> {
    const [usageNs, peak, oomControl] = await Promise.all([
      readNumber(this.file('cpuacct', 'cpuacct.usage')),
      readNumber(this.file('memory', 'memory.max_usage_in_bytes')),
      readFile(this.file('memory', 'memory.oom_control'), 'utf8')
    ]);
    const oomKills = Number(/oom_kill (\d+)/.exec(oomControl)?.[1] ?? '0');
    return {
      cpuMs: Math.round(usageNs / 1e6),
      memoryKb: Math.round(peak / 1024),
      oomKilled: oomKills > 0
    };
  }

  async kill(spare?: number): Promise<void> {
    const victims = async (file: string) => (await readPids(file)).filter((pid) => pid !== spare);
    const pidsProcs = this.file('pids', 'cgroup.procs');
    // The common case after a normal exit: nothing left, no freeze needed.
    if ((await victims(pidsProcs)).length === 0) return;
    const freezer = this.dirs.get('freezer');
    for (let round = 0; round < 100; round++) {
      // Freezing first stops a fork bomb from replacing children as we kill them.
      if (freezer) await this.setFrozen(freezer, true);
      const pids = await victims(freezer ? join(freezer, 'cgroup.procs') : pidsProcs);
      killAll(pids);
      // Frozen tasks act on SIGKILL only once thawed.
      if (freezer) await this.setFrozen(freezer, false);
      if (pids.length === 0) break;
      await sleep(round === 0 ? 1 : 5);
    }
    if (spare !== undefined) return;
    // Dead tasks leave cgroup.procs only once they have exited; wait so rmdir succeeds.
    for (let i = 0; i < 400 && (await readPids(pidsProcs)).length > 0; i++) await sleep(5);
  }

  private async setFrozen(dir: string, frozen: boolean): Promise<void> {
    const state = frozen ? 'FROZEN' : 'THAWED';
    await writeFile(join(dir, 'freezer.state'), state);
    for (
      let i = 0;
      i < 100 && (await readFile(join(dir, 'freezer.state'), 'utf8')).trim() !== state;
      i++
    )
      await sleep(2);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await this.kill();
    for (const dir of new Set(this.dirs.values())) await removeDir(dir);
  }
}

export class V1Driver implements CgroupDriver {
  readonly version = 1;

  constructor(private readonly roots: Map<V1Controller, string>) {}

  readonly selfAttach = true;

  async create(name: string): Promise<RunCgroup> {
    const dirs = new Map<V1Controller, string>();
    try {
      for (const [controller, root] of this.roots) {
        const dir = join(root, ROOT_NAME, name);
        await mkdir(dir, { recursive: true });
        dirs.set(controller, dir);
      }
    } catch (error) {
      await new V1Cgroup(name, dirs).destroy().catch(() => undefined);
      throw error;
    }
    return new V1Cgroup(name, dirs);
  }

  async sweep(isStale: (name: string) => boolean): Promise<number> {
    const names = new Set<string>();
    for (const root of this.roots.values()) {
      const entries = await readdir(join(root, ROOT_NAME)).catch(() => [] as string[]);
      for (const entry of entries) if (isStale(entry)) names.add(entry);
    }
    for (const name of names) {
      const dirs = new Map<V1Controller, string>();
      for (const [controller, root] of this.roots) {
        if (await exists(join(root, ROOT_NAME, name)))
          dirs.set(controller, join(root, ROOT_NAME, name));
      }
      await new V1Cgroup(name, dirs).destroy().catch(() => undefined);
    }
    return names.size;
  }
}

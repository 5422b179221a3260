import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupDriver } from './cgroup-types';
import { V1_CONTROLLERS, V1Driver, type V1Controller } from './cgroup-v1';
import { V2Driver } from './cgroup-v2';

export type { CgroupDriver, CgroupLimits, CgroupStats, RunCgroup } from './cgroup-types';

interface Mount {
  type: string;
  path: string;
  options: string[];
}

function parseMounts(text: string): Mount[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [, path = '', type = '', options = ''] = line.split(' ');
      return { type, path: path.replace(/\\040/g, ' '), options: options.split(',') };
    });
}

/**
 * Prefers a v2 mount that actually offers memory and pids (a hybrid host
 * mounts an empty v2 tree beside v1, as this one does), else the v1
 * hierarchies. Returns undefined when neither is usable.
 */
export async function detectCgroups(mountsText?: string): Promise<CgroupDriver | undefined> {
  const mounts = parseMounts(mountsText ?? (await readFile('/proc/self/mounts', 'utf8')));
  for (const mount of mounts.filter((m) => m.type === 'cgroup2')) {
    const controllers = await readFile(join(mount.path, 'cgroup.controllers'), 'utf8').catch(
      () => ''
    );
    const names = controllers.trim().split(/\s+/);
    if (names.includes('memory') && names.includes('pids')) return new V2Driver(mount.path);
  }
  const roots = new Map<V1Controller, string>();
  for (const mount of mounts.filter((m) => m.type === 'cgroup')) {
    for (const controller of V1_CONTROLLERS) {
      if (mount.options.includes(controller) && !roots.has(controller))
        roots.set(controller, mount.path);
    }
  }
  if (roots.has('memory') && roots.has('pids') && roots.has('cpuacct')) return new V1Driver(roots);
  return undefined;
}

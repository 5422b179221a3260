import { access, constants, readdir, readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { hostLayout, type BwrapFeatures, type HostLayout } from './bwrap';
import { detectCgroups, type CgroupDriver } from './cgroup';
import { SandboxError } from './errors';
import type { Logger } from './types';

/** Everything about the host a run needs, checked once per sandbox. */
export interface HostState {
  driver: CgroupDriver;
  layout: HostLayout;
}

const REQUIRED_TOOLS = [
  '/usr/bin/bwrap',
  '/usr/bin/setpriv',
  // HTTP tasks: the harness joins the program's network namespace.
  '/usr/bin/nsenter',
  '/usr/bin/dash',
  '/usr/bin/bash',
  '/usr/bin/tar'
];
const O_CLOEXEC = 0o2000000;

/** Descriptors above stderr that a spawned child would inherit (no O_CLOEXEC). */
export async function leakedFds(): Promise<number[]> {
  const leaked: number[] = [];
  for (const entry of await readdir('/proc/self/fd').catch(() => [] as string[])) {
    const fd = Number(entry);
    if (fd <= 2) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    const flags = /flags:\s*([0-7]+)/.exec(info)?.[1];
    if (flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0) leaked.push(fd);
  }
  return leaked;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readSysctl(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : Number(text.trim());
}

function bwrapHelp(): Promise<string> {
  return new Promise((resolve) => {
    execFile('/usr/bin/bwrap', ['--help'], { timeout: 5_000, env: {} }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`)
    );
  });
}

export async function prepareHost(logger: Logger): Promise<HostState> {
  // The seccomp filter is x86_64-only; running without it would be silently weaker.
  if (process.arch !== 'x64')
    throw new SandboxError(
      'unsupported_host',
      `sandbox supports x86_64 hosts only, not ${process.arch}`
    );
  // Creating cgroups and switching to the slot uids both need root.
  if (process.getuid?.() !== 0)
    throw new SandboxError(
      'unsupported_host',
      'sandbox must run as root (it drops to per-slot uids before bwrap)'
    );
  for (const tool of REQUIRED_TOOLS) {
    try {
      await access(tool, constants.X_OK);
    } catch {
      throw new SandboxError(
        'unsupported_host',
        `${tool} is missing (apt-get install bubblewrap util-linux tar)`
      );
    }
  }
  // bwrap needs unprivileged user namespaces once it runs as the slot uid.
  const maxUserNamespaces = await readSysctl('/proc/sys/user/max_user_namespaces');
  const unprivilegedClone = await readSysctl('/proc/sys/kernel/unprivileged_userns_clone');
  if (maxUserNamespaces === 0 || unprivilegedClone === 0) {
    throw new SandboxError(
      'unsupported_host',
      'unprivileged user namespaces are disabled (user.max_user_namespaces / kernel.unprivileged_userns_clone)'
    );
  }
  const help = await bwrapHelp();
  const features: BwrapFeatures = {
    disableUserns: help.includes('--disable-userns'),
    tmpfsSize: help.includes('--size')
  };
  // Without these the run is still contained (seccomp refuses namespace
  // creation; the memory cgroup bounds tmpfs), just with one layer fewer.
  if (!features.disableUserns || !features.tmpfsSize)
    logger.warn({ features }, 'bubblewrap lacks --disable-userns or --size; upgrade to 0.8+');
  const driver = await detectCgroups();
  if (!driver)
    throw new SandboxError(
      'unsupported_host',
      'no usable cgroup v1 or v2 hierarchy with memory, pids and cpu accounting'
    );
  const swept = await driver.sweep((name) => {
    const owner = /^p(\d+)-/.exec(name)?.[1];
    return owner !== undefined && !pidAlive(Number(owner));
  });
  if (swept > 0) logger.warn({ swept }, 'removed cgroups left by a previous sandbox process');
  const leaked = await leakedFds();
  logger.info({ cgroupVersion: driver.version, leakedFds: leaked }, 'sandbox host ready');
  return { driver, layout: hostLayout(leaked.length > 0, features) };
}

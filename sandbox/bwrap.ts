import { lstatSync, readlinkSync, existsSync } from 'node:fs';

/**
 * Builds the argv that starts one sandboxed step:
 *
 *   sh -c <attach to cgroup, close leaked fds, ulimit> <marker>  [setpriv --reuid=N ...]  bwrap ...  -- <command>
 *
 * The shell writes its own pid into the run's cgroups and sets rlimits, then
 * execs bwrap. It runs as the slot's unprivileged uid from the start (Node's
 * spawn uid/gid) where the cgroup allows self-attach (v1); otherwise as root,
 * then setpriv drops to the slot uid before bwrap runs. Never bwrap as root:
 * `bwrap --unshare-user` would still leave the child host uid 0.
 * Nothing here touches the filesystem except `hostLayout`, run once.
 */

/** uid/gid the program sees inside its user namespace. */
export const SANDBOX_UID = 1000;
export const WORK_DIR = '/box';
/** Read-only place for files the sandbox must not change (artifacts, seeds). */
export const RUN_DIR = '/run/tandem';

/** Marker the wrapper prints when it cannot attach to the cgroup or set limits. */
export const WRAPPER_FAILURE = 'tandem-sandbox: wrapper failed';
export const WRAPPER_FAILURE_EXIT = 125;
/** Joins an existing network namespace (util-linux, like setpriv). */
export const NSENTER = '/usr/bin/nsenter';

export interface WrapperShell {
  path: string;
  args: string[];
  /** RLIMIT_FSIZE unit of the shell's `ulimit -f` (dash 512, bash 1024). */
  blockBytes: number;
  closeFds: boolean;
}

/** dash starts ~3 ms faster; bash is needed only when leaked fds must be closed. */
export function wrapperShell(closeFds: boolean): WrapperShell {
  return closeFds
    ? // --norc: Debian's bash sources ~/.bashrc when stdin is a socket, as libuv's pipes are.
      { path: '/usr/bin/bash', args: ['--norc', '--noprofile'], blockBytes: 1024, closeFds: true }
    : { path: '/usr/bin/dash', args: [], blockBytes: 512, closeFds: false };
}

export interface BwrapFeatures {
  /** bwrap >= 0.8: --disable-userns */
  disableUserns: boolean;
  /** bwrap >= 0.8: --size before --tmpfs */
  tmpfsSize: boolean;
}

export interface HostLayout {
  /** bwrap ops mirroring / for the toolchain: ro-binds or symlinks (merged-/usr hosts). */
  rootOps: string[];
  bwrap: string;
  setpriv: string;
  shell: WrapperShell;
  features: BwrapFeatures;
}

const ROOT_ENTRIES = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32'];
const SHARED_ETC = [
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime'
];

/** Inspects the host once: on merged-/usr systems /bin, /lib... are symlinks and must stay symlinks. */
export function hostLayout(
  closeFds: boolean,
  features: BwrapFeatures = { disableUserns: true, tmpfsSize: true }
): HostLayout {
  const rootOps: string[] = [];
  for (const entry of ROOT_ENTRIES) {
    let stat;
    try {
      stat = lstatSync(entry);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) rootOps.push('--symlink', readlinkSync(entry), entry);
    else if (stat.isDirectory()) rootOps.push('--ro-bind', entry, entry);
  }
  for (const entry of SHARED_ETC) if (existsSync(entry)) rootOps.push('--ro-bind', entry, entry);
  return {
    rootOps,
    bwrap: '/usr/bin/bwrap',
    setpriv: '/usr/bin/setpriv',
    shell: wrapperShell(closeFds),
    features
  };
}

export interface SandboxFile {
  /** Absolute path inside the sandbox. */
  path: string;
  /** Child fd the content arrives on. */
  fd: number;
  mode: number;
}

export interface StepArgv {
  hostUid: number;
  /**
   * The cgroup lets the slot uid attach itself, so the wrapper is spawned
   * directly as that uid (saves setpriv's exec). Otherwise the wrapper starts
   * as root and setpriv drops privileges after attaching.
   */
  selfAttach: boolean;
  cgroupProcsFiles: string[];
  rlimits: { fileSizeBytes: number; openFiles: number; cpuSeconds: number };
  layout: HostLayout;
  extraRoBinds: string[];
  files: SandboxFile[];
  workDirBytes: number;
  env: Record<string, string>;
  seccompFd: number;
  statusFd: number;
  /** Highest fd the step legitimately passes (the last input pipe); all above are closed. */
  lastFd: number;
  command: string[];
  cwd?: string;
  /**
   * Child fd holding another sandbox's network namespace (the HTTP harness).
   * The step then starts as root under nsenter, which joins that namespace;
   * the wrapper closes the fd (it sits above lastFd), setpriv drops to the
   * slot uid, and bwrap unshares every namespace except the network.
   */
  joinNetFd?: number;
}

// Written in the wrapper rather than computed by us: it must run in the very
// process that becomes the sandbox, before exec, to be race-free.
function wrapperScript(shell: WrapperShell): string {
  return [
    'for f in $TANDEM_CGROUP_PROCS; do echo $$ > "$f" || { echo "$0: cgroup" >&2; exit 125; }; done',
    // Only bash can close fds above 9. Descriptors our own parent leaked to us
    // without O_CLOEXEC (tsx, npm and vitest workers hold some) would
    // otherwise pass through bwrap into the sandbox.
    ...(shell.closeFds
      ? [
          'for p in /proc/self/fd/*; do n=${p##*/}; if [ "$n" -gt "$TANDEM_LAST_FD" ]; then exec {n}>&-; fi; done'
        ]
      : []),
    'ulimit -c 0 && ulimit -n "$TANDEM_NOFILE" && ulimit -f "$TANDEM_FSIZE_BLOCKS" && ulimit -t "$TANDEM_CPU_SECONDS" || { echo "$0: ulimit" >&2; exit 125; }',
    'unset TANDEM_CGROUP_PROCS TANDEM_LAST_FD TANDEM_NOFILE TANDEM_FSIZE_BLOCKS TANDEM_CPU_SECONDS',
    'exec "$@"'
  ].join('\n');
}

export interface SpawnSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Set when the wrapper itself starts unprivileged (libuv also clears supplementary groups). */
  uid?: number;
  gid?: number;
}

// --unshare-all minus --unshare-net: what a step that joins another network namespace keeps private.
const ALL_BUT_NET = [
  '--unshare-user',
  '--unshare-ipc',
  '--unshare-pid',
  '--unshare-uts',
  '--unshare-cgroup-try'
];

/** bwrap's own argv for one step (the sandbox itself). */
function bwrapArgv(spec: StepArgv): string[] {
  return [...bwrapHead(spec), ...bwrapTail(spec)];
}

type HeadSpec = Pick<StepArgv, 'layout' | 'seccompFd' | 'statusFd'> & { joinNetFd?: number };

/**
 * The part of bwrap's argv that is the same for every step of a slot: a warm
 * wrapper gets it at spawn, so that only the rest crosses its control pipe
 * (bash reads a socket one byte at a time: ~2 µs per byte on the critical path).
 */
function bwrapHead(spec: HeadSpec): string[] {
  const joinNet = spec.joinNetFd !== undefined;
  return [
    spec.layout.bwrap,
    ...(joinNet ? ALL_BUT_NET : ['--unshare-all', '--unshare-user']),
    ...(spec.layout.features.disableUserns ? ['--disable-userns'] : []),
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--hostname',
    'sandbox',
    '--new-session',
    '--die-with-parent',
    // No bwrap init: its monitor returns as soon as the init reports the
    // exit code, orphaning the init to the host's pid 1 (a zombie where that
    // is no real init, as in most containers). As pid 1 the program is
    // reaped by the monitor directly, and when it exits the kernel kills
    // everything left in its pid namespace.
    '--as-pid-1',
    '--clearenv',
    '--seccomp',
    String(spec.seccompFd),
    '--json-status-fd',
    String(spec.statusFd),
    ...spec.layout.rootOps,
    '--proc',
    '/proc',
    '--dev',
    '/dev'
  ];
}

/** The step's own part of bwrap's argv; mount operations run in order, after the head's. */
function bwrapTail(spec: StepArgv): string[] {
  const size = spec.layout.features.tmpfsSize ? ['--size', String(spec.workDirBytes)] : [];
  return [
    ...Object.entries(spec.env).flatMap(([key, value]) => ['--setenv', key, value]),
    ...spec.extraRoBinds.flatMap((path) => ['--ro-bind', path, path]),
    // tmpfs pages are charged to the run's memory cgroup as well as capped
    // here. /dev/shm lives on bwrap's private /dev tmpfs: per run, and only
    // the memory limit bounds it (a separate mount costs setup time).
    ...size,
    '--tmpfs',
    '/tmp',
    ...size,
    '--tmpfs',
    WORK_DIR,
    // --file copies rather than bind-mounts: fewer mounts to set up and tear
    // down. Files outside /box and /tmp still end up read-only through the
    // --remount-ro below.
    ...spec.files.flatMap((file) => [
      '--perms',
      file.mode.toString(8).padStart(4, '0'),
      '--file',
      String(file.fd),
      file.path
    ]),
    // Everything outside /box, /tmp and /dev/shm becomes read-only, so the
    // root tmpfs cannot be used as uncapped scratch space.
    '--remount-ro',
    '/',
    '--chdir',
    spec.cwd ?? WORK_DIR,
    '--',
    ...spec.command
  ];
}

function setprivArgv(layout: HostLayout, hostUid: number): string[] {
  return [
    layout.setpriv,
    `--reuid=${hostUid}`,
    `--regid=${hostUid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs'
  ];
}

export function buildStepArgv(spec: StepArgv): SpawnSpec {
  const joinNet = spec.joinNetFd !== undefined;
  // nsenter needs root (CAP_SYS_ADMIN over the namespace), so privileges drop after it.
  if (joinNet && spec.selfAttach)
    throw new Error('a step joining a network namespace cannot self-attach');
  const bwrap = bwrapArgv(spec);
  const setpriv = spec.selfAttach ? [] : setprivArgv(spec.layout, spec.hostUid);
  // Only bash can close the namespace fd, which must not reach the harness.
  const shell = joinNet ? wrapperShell(true) : spec.layout.shell;
  const wrapper = [shell.path, ...shell.args, '-c', wrapperScript(shell), WRAPPER_FAILURE];
  const [file = shell.path, ...args] = joinNet
    ? [NSENTER, `--net=/proc/self/fd/${spec.joinNetFd}`, '--', ...wrapper, ...setpriv, ...bwrap]
    : [...wrapper, ...setpriv, ...bwrap];
  return {
    file,
    args,
    env: {
      PATH: '/usr/bin:/bin',
      TANDEM_CGROUP_PROCS: spec.cgroupProcsFiles.join(' '),
      TANDEM_LAST_FD: String(spec.lastFd),
      TANDEM_NOFILE: String(spec.rlimits.openFiles),
      TANDEM_FSIZE_BLOCKS: String(Math.ceil(spec.rlimits.fileSizeBytes / shell.blockBytes)),
      TANDEM_CPU_SECONDS: String(spec.rlimits.cpuSeconds)
    },
    ...(spec.selfAttach ? { uid: spec.hostUid, gid: spec.hostUid } : {})
  };
}

/**
 * The pre-spawned ("warm") wrapper: bash started as root ahead of the run.
 * It joins the run's cgroups and sets the fixed rlimits, then blocks reading
 * the rest of its argv from the control fd. Only then does it set the run's
 * rlimits, close every fd above the last one the step uses (unused file
 * pipes, leaked descriptors) and exec setpriv → bwrap, exactly the chain
 * `buildStepArgv` starts. Nothing of the candidate's runs in it, and it never
 * runs as the slot uid while it waits: the sandbox itself (namespaces, uid
 * drop, seccomp) is still created fresh for each run, on the critical path.
 * EOF on the control fd (host gone, pool closed) makes it exit.
 */
function warmWrapperScript(controlFd: number): string {
  return [
    'for f in $TANDEM_CGROUP_PROCS; do echo $$ > "$f" || { echo "$0: cgroup" >&2; exit 125; }; done',
    'ulimit -c 0 && ulimit -n "$TANDEM_NOFILE" || { echo "$0: ulimit" >&2; exit 125; }',
    'unset TANDEM_CGROUP_PROCS TANDEM_NOFILE',
    // NUL-separated words: no quoting, no eval; only the host writes this fd.
    `mapfile -d '' -u ${controlFd} tandem_args || exit 125`,
    `exec ${controlFd}<&-`,
    '[ "${#tandem_args[@]}" -gt 3 ] || exit 125',
    'ulimit -f "${tandem_args[0]}" && ulimit -t "${tandem_args[1]}" || { echo "$0: ulimit" >&2; exit 125; }',
    'for p in /proc/self/fd/*; do n=${p##*/}; if [ "$n" -gt "${tandem_args[2]}" ]; then exec {n}>&-; fi; done',
    // "$@": setpriv and bwrap's fixed head, given at spawn.
    'exec "$@" "${tandem_args[@]:3}"'
  ].join('\n');
}

export interface WarmWrapperArgv {
  cgroupProcsFiles: string[];
  openFiles: number;
  controlFd: number;
  /** setpriv and bwrap's fixed head (`warmHead`). */
  head: string[];
}

/** What every warm step of a slot execs before its own words: setpriv, then bwrap's fixed head. */
export function warmHead(
  spec: Pick<StepArgv, 'layout' | 'hostUid' | 'seccompFd' | 'statusFd'>
): string[] {
  return [...setprivArgv(spec.layout, spec.hostUid), ...bwrapHead(spec)];
}

/** Spawn spec of the idle wrapper; it stays root until setpriv (see warmWrapperScript). */
export function buildWarmWrapper(spec: WarmWrapperArgv): SpawnSpec {
  const shell = wrapperShell(true);
  return {
    file: shell.path,
    args: [...shell.args, '-c', warmWrapperScript(spec.controlFd), WRAPPER_FAILURE, ...spec.head],
    env: {
      PATH: '/usr/bin:/bin',
      TANDEM_CGROUP_PROCS: spec.cgroupProcsFiles.join(' '),
      TANDEM_NOFILE: String(spec.openFiles)
    }
  };
}

/**
 * Words the warm wrapper reads from its control fd to start this step:
 * RLIMIT_FSIZE in bash's 1 KiB blocks, RLIMIT_CPU, the last fd to keep, then
 * the step's part of bwrap's argv (the wrapper already holds the head, which
 * must equal `warmHead` of this spec). NUL cannot occur in an argv, so it
 * separates.
 */
export function warmControl(spec: StepArgv): Buffer {
  const words = [
    String(Math.ceil(spec.rlimits.fileSizeBytes / wrapperShell(true).blockBytes)),
    String(spec.rlimits.cpuSeconds),
    String(spec.lastFd),
    ...bwrapTail(spec)
  ];
  return Buffer.from(words.map((word) => `${word}\0`).join(''));
}

import { describe, expect, it } from 'vitest';
import {
  buildStepArgv,
  buildWarmWrapper,
  hostLayout,
  warmControl,
  warmHead,
  type StepArgv
} from './bwrap';

function spec(overrides: Partial<StepArgv> = {}): StepArgv {
  return {
    hostUid: 60001,
    selfAttach: true,
    cgroupProcsFiles: ['/sys/fs/cgroup/memory/tandem-sandbox/x/cgroup.procs'],
    rlimits: { fileSizeBytes: 1024 * 1024, openFiles: 256, cpuSeconds: 4 },
    layout: hostLayout(false),
    extraRoBinds: [],
    files: [{ path: '/box/main.py', fd: 8, mode: 0o644 }],
    workDirBytes: 1 << 20,
    env: { PATH: '/usr/bin:/bin' },
    seccompFd: 4,
    statusFd: 3,
    lastFd: 8,
    command: ['/usr/bin/python3', 'main.py'],
    ...overrides
  };
}

describe('buildStepArgv', () => {
  it('isolates with every namespace, no user namespaces inside, a cleared env and seccomp', () => {
    const { args } = buildStepArgv(spec());
    for (const flag of [
      '--unshare-all',
      '--unshare-user',
      '--disable-userns',
      '--new-session',
      '--die-with-parent',
      '--as-pid-1',
      '--clearenv'
    ]) {
      expect(args).toContain(flag);
    }
    expect(args.join(' ')).toContain('--seccomp 4');
    expect(args.join(' ')).toContain('--perms 0644 --file 8 /box/main.py');
    expect(args.slice(-3)).toEqual(['--', '/usr/bin/python3', 'main.py']);
  });

  it('makes / read-only after placing files', () => {
    const { args } = buildStepArgv(spec());
    expect(args.indexOf('--remount-ro')).toBeGreaterThan(args.indexOf('/box/main.py'));
  });

  it('spawns as the slot uid when the cgroup allows self-attach, else drops with setpriv', () => {
    const direct = buildStepArgv(spec());
    expect(direct.uid).toBe(60001);
    expect(direct.args).not.toContain('/usr/bin/setpriv');
    const dropped = buildStepArgv(spec({ selfAttach: false }));
    expect(dropped.uid).toBeUndefined();
    expect(dropped.args).toContain('/usr/bin/setpriv');
    expect(dropped.args).toContain('--reuid=60001');
    expect(dropped.args.indexOf('/usr/bin/setpriv')).toBeLessThan(
      dropped.args.indexOf('/usr/bin/bwrap')
    );
  });

  it('hands cgroup files and rlimits to the wrapper in shell units', () => {
    const dash = buildStepArgv(spec());
    expect(dash.file).toBe('/usr/bin/dash');
    expect(dash.env.TANDEM_FSIZE_BLOCKS).toBe('2048');
    const bash = buildStepArgv(spec({ layout: hostLayout(true) }));
    expect(bash.file).toBe('/usr/bin/bash');
    expect(bash.env.TANDEM_FSIZE_BLOCKS).toBe('1024');
    expect(bash.env.TANDEM_CGROUP_PROCS).toContain('cgroup.procs');
  });

  it('leaves out flags an old bwrap lacks', () => {
    const { args } = buildStepArgv(
      spec({ layout: hostLayout(false, { disableUserns: false, tmpfsSize: false }) })
    );
    expect(args).not.toContain('--disable-userns');
    expect(args).not.toContain('--size');
  });
});

describe('buildStepArgv joining a network namespace', () => {
  it('starts as root under nsenter, unshares everything but the network, closes the fd', () => {
    const { file, args, uid } = buildStepArgv(spec({ selfAttach: false, joinNetFd: 9 }));
    expect(file).toBe('/usr/bin/nsenter');
    expect(uid).toBeUndefined();
    expect(args.slice(0, 3)).toEqual(['--net=/proc/self/fd/9', '--', '/usr/bin/bash']);
    expect(args).not.toContain('--unshare-all');
    expect(args).not.toContain('--unshare-net');
    for (const flag of ['--unshare-user', '--unshare-ipc', '--unshare-pid', '--unshare-uts'])
      expect(args).toContain(flag);
    // setpriv drops to the slot uid before bwrap; bash closes fds above lastFd (8), the ns fd among them.
    expect(args.indexOf('/usr/bin/setpriv')).toBeLessThan(args.indexOf('/usr/bin/bwrap'));
    expect(args.join(' ')).toContain('exec {n}>&-');
  });

  it('refuses to self-attach, which would skip the root nsenter needs', () => {
    expect(() => buildStepArgv(spec({ selfAttach: true, joinNetFd: 9 }))).toThrow();
  });
});

describe('warm wrapper', () => {
  it('waits as root and takes the same setpriv + bwrap chain, NUL-separated, as its control input', () => {
    const head = warmHead(spec());
    const wrapper = buildWarmWrapper({
      cgroupProcsFiles: ['/sys/fs/cgroup/pids/tandem-sandbox/x/cgroup.procs'],
      openFiles: 256,
      controlFd: 8,
      head
    });
    // No uid: it must not exist as the slot uid before the run arrives.
    expect(wrapper.uid).toBeUndefined();
    expect(wrapper.file).toBe('/usr/bin/bash');
    expect(wrapper.args.join(' ')).toContain("mapfile -d '' -u 8");
    const words = warmControl(
      spec({ selfAttach: false, files: [{ path: '/box/a b', fd: 9, mode: 0o644 }] })
    )
      .toString()
      .split('\0');
    expect(words.pop()).toBe('');
    // RLIMIT_FSIZE in bash's 1 KiB blocks, RLIMIT_CPU, last fd kept.
    expect(words.slice(0, 3)).toEqual(['1024', '4', '8']);
    expect(head.slice(0, 2)).toEqual(['/usr/bin/setpriv', '--reuid=60001']);
    expect(head).toContain('--no-new-privs');
    expect(wrapper.args.slice(-head.length)).toEqual(head);
    expect(words).toContain('/box/a b');
    expect(words.slice(-3)).toEqual(['--', '/usr/bin/python3', 'main.py']);
    // Together, exactly the cold chain: setpriv, then bwrap's full argv.
    const cold = buildStepArgv(
      spec({ selfAttach: false, files: [{ path: '/box/a b', fd: 9, mode: 0o644 }] })
    );
    expect([...head, ...words.slice(3)]).toEqual(
      cold.args.slice(cold.args.indexOf('/usr/bin/setpriv'))
    );
  });
});

/**
 * Classic-BPF seccomp filter for bwrap's `--seccomp FD`, generated here so the
 * host needs no libseccomp. x86_64 only: a filter for one ABI is useless on
 * another, so a foreign arch (or the x32 ABI) is killed outright.
 *
 * Blocked calls return EPERM so a curious program gets an error, not a crash;
 * clone3 returns ENOSYS because its flags live in a struct BPF cannot read,
 * and glibc then falls back to clone(2), whose flags we can inspect.
 */

// struct seccomp_data offsets
const NR = 0;
const ARCH = 4;
const ARG0_LO = 16;
const ARG1_LO = 24;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;

const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO = 0x00050000;
const RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;

export const X86_64_SYSCALLS = {
  ioctl: 16,
  clone: 56,
  ptrace: 101,
  syslog: 103,
  uselib: 134,
  vhangup: 153,
  pivot_root: 155,
  _sysctl: 156,
  adjtimex: 159,
  chroot: 161,
  acct: 163,
  settimeofday: 164,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  sethostname: 170,
  setdomainname: 171,
  iopl: 172,
  ioperm: 173,
  init_module: 175,
  delete_module: 176,
  quotactl: 179,
  lookup_dcookie: 212,
  clock_settime: 227,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  unshare: 272,
  perf_event_open: 298,
  fanotify_init: 300,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  clock_adjtime: 305,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  kcmp: 312,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  clone3: 435,
  pidfd_getfd: 438,
  mount_setattr: 442,
  quotactl_fd: 443
} as const;

export type SyscallName = keyof typeof X86_64_SYSCALLS;

/** Denied with EPERM whatever their arguments. */
export const BLOCKED_SYSCALLS: readonly SyscallName[] = [
  'ptrace',
  'syslog',
  'uselib',
  'vhangup',
  'pivot_root',
  '_sysctl',
  'adjtimex',
  'chroot',
  'acct',
  'settimeofday',
  'mount',
  'umount2',
  'swapon',
  'swapoff',
  'reboot',
  'sethostname',
  'setdomainname',
  'iopl',
  'ioperm',
  'init_module',
  'delete_module',
  'quotactl',
  'lookup_dcookie',
  'clock_settime',
  'kexec_load',
  'add_key',
  'request_key',
  'keyctl',
  'unshare',
  'perf_event_open',
  'fanotify_init',
  'name_to_handle_at',
  'open_by_handle_at',
  'clock_adjtime',
  'setns',
  'process_vm_readv',
  'process_vm_writev',
  'kcmp',
  'finit_module',
  'kexec_file_load',
  'bpf',
  'userfaultfd',
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'open_tree',
  'move_mount',
  'fsopen',
  'fsconfig',
  'fsmount',
  'fspick',
  'pidfd_getfd',
  'mount_setattr',
  'quotactl_fd'
];

/** clone(2) flags that create namespaces. CLONE_NEWTIME (0x80) is left out: in clone(2) those bits are the exit signal. */
export const CLONE_NAMESPACE_FLAGS =
  0x00020000 | // NEWNS
  0x02000000 | // NEWCGROUP
  0x04000000 | // NEWUTS
  0x08000000 | // NEWIPC
  0x10000000 | // NEWUSER
  0x20000000 | // NEWPID
  0x40000000; // NEWNET

/** Terminal ioctls that inject input into or control another terminal (TIOCSTI, TIOCLINUX). */
export const BLOCKED_IOCTLS = [0x5412, 0x541c] as const;

type Label = 'allow' | 'eperm' | 'enosys' | 'kill' | 'clone' | 'ioctl';
type Target = number | Label;
interface Insn {
  code: number;
  jt: Target;
  jf: Target;
  k: number;
  label?: Label;
}

const op = (code: number, k: number, jt: Target = 0, jf: Target = 0, label?: Label): Insn => ({
  code,
  jt,
  jf,
  k,
  label
});

export function buildSeccompProgram(): Insn[] {
  const n = X86_64_SYSCALLS;
  return [
    op(LD_W_ABS, ARCH),
    op(JEQ_K, AUDIT_ARCH_X86_64, 0, 'kill'),
    op(LD_W_ABS, NR),
    op(JGE_K, X32_SYSCALL_BIT, 'kill', 0),
    ...BLOCKED_SYSCALLS.map((name) => op(JEQ_K, n[name], 'eperm', 0)),
    op(JEQ_K, n.clone3, 'enosys', 0),
    op(JEQ_K, n.clone, 'clone', 0),
    op(JEQ_K, n.ioctl, 'ioctl', 0),
    op(RET_K, RET_ALLOW),
    op(LD_W_ABS, ARG0_LO, 0, 0, 'clone'),
    op(JSET_K, CLONE_NAMESPACE_FLAGS, 'eperm', 'allow'),
    op(LD_W_ABS, ARG1_LO, 0, 0, 'ioctl'),
    ...BLOCKED_IOCTLS.map((cmd) => op(JEQ_K, cmd, 'eperm', 0)),
    op(RET_K, RET_ALLOW, 0, 0, 'allow'),
    op(RET_K, RET_ERRNO | EPERM, 0, 0, 'eperm'),
    op(RET_K, RET_ERRNO | ENOSYS, 0, 0, 'enosys'),
    op(RET_K, RET_KILL_PROCESS, 0, 0, 'kill')
  ];
}

/** Serialises the program as an array of `struct sock_filter`, the format bwrap reads. */
export function seccompFilterBytes(): Buffer {
  const program = buildSeccompProgram();
  const labels = new Map<Label, number>();
  program.forEach((insn, index) => {
    if (insn.label) labels.set(insn.label, index);
  });
  const resolve = (target: Target, index: number): number => {
    if (typeof target === 'number') return target;
    const at = labels.get(target);
    if (at === undefined) throw new Error(`seccomp: missing label ${target}`);
    const offset = at - index - 1;
    if (offset < 0 || offset > 255) throw new Error(`seccomp: jump to ${target} out of range`);
    return offset;
  };
  const out = Buffer.alloc(program.length * 8);
  program.forEach((insn, index) => {
    out.writeUInt16LE(insn.code, index * 8);
    out.writeUInt8(resolve(insn.jt, index), index * 8 + 2);
    out.writeUInt8(resolve(insn.jf, index), index * 8 + 3);
    out.writeUInt32LE(insn.k >>> 0, index * 8 + 4);
  });
  return out;
}

export const SECCOMP_RETURNS = {
  RET_ALLOW,
  RET_ERRNO,
  RET_KILL_PROCESS,
  EPERM,
  ENOSYS,
  AUDIT_ARCH_X86_64
} as const;

import { describe, expect, it } from 'vitest';
import { SECCOMP_RETURNS, X86_64_SYSCALLS, seccompFilterBytes } from './seccomp';

// A tiny classic-BPF interpreter for just the opcodes the generator emits, so
// the filter's decisions are checked without loading it into a kernel.
function evaluate(filter: Buffer, data: { nr: number; arch?: number; args?: number[] }): number {
  const words = new Map<number, number>([
    [0, data.nr],
    [4, data.arch ?? SECCOMP_RETURNS.AUDIT_ARCH_X86_64]
  ]);
  (data.args ?? []).forEach((arg, i) => words.set(16 + i * 8, arg));
  let acc = 0;
  for (let pc = 0; pc < filter.length / 8; pc++) {
    const code = filter.readUInt16LE(pc * 8);
    const jt = filter.readUInt8(pc * 8 + 2);
    const jf = filter.readUInt8(pc * 8 + 3);
    const k = filter.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = words.get(k) ?? 0;
    else if (code === 0x06) return k;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x45) pc += (acc & k) !== 0 ? jt : jf;
    else throw new Error(`unexpected opcode ${code}`);
  }
  throw new Error('fell off the end of the filter');
}

const filter = seccompFilterBytes();
const eperm = SECCOMP_RETURNS.RET_ERRNO | SECCOMP_RETURNS.EPERM;

describe('seccomp filter', () => {
  it('is a whole number of sock_filter structs', () => {
    expect(filter.length % 8).toBe(0);
  });

  it('allows ordinary calls', () => {
    expect(evaluate(filter, { nr: 0 })).toBe(SECCOMP_RETURNS.RET_ALLOW); // read
    expect(evaluate(filter, { nr: 59 })).toBe(SECCOMP_RETURNS.RET_ALLOW); // execve
    expect(evaluate(filter, { nr: X86_64_SYSCALLS.clone, args: [0x003d0f00] })).toBe(
      SECCOMP_RETURNS.RET_ALLOW
    ); // pthread_create flags
    expect(evaluate(filter, { nr: X86_64_SYSCALLS.ioctl, args: [1, 0x5401] })).toBe(
      SECCOMP_RETURNS.RET_ALLOW
    ); // TCGETS
  });

  it.each([
    'keyctl',
    'add_key',
    'request_key',
    'io_uring_setup',
    'ptrace',
    'bpf',
    'perf_event_open',
    'userfaultfd',
    'unshare',
    'mount',
    'setns'
  ] as const)('denies %s with EPERM', (name) => {
    expect(evaluate(filter, { nr: X86_64_SYSCALLS[name] })).toBe(eperm);
  });

  it('denies clone with a namespace flag and TIOCSTI', () => {
    expect(evaluate(filter, { nr: X86_64_SYSCALLS.clone, args: [0x10000000 | 17] })).toBe(eperm);
    expect(evaluate(filter, { nr: X86_64_SYSCALLS.ioctl, args: [0, 0x5412] })).toBe(eperm);
  });

  it('makes clone3 fall back to clone and kills foreign ABIs', () => {
    expect(evaluate(filter, { nr: X86_64_SYSCALLS.clone3 })).toBe(
      SECCOMP_RETURNS.RET_ERRNO | SECCOMP_RETURNS.ENOSYS
    );
    expect(evaluate(filter, { nr: 0, arch: 0x40000003 })).toBe(SECCOMP_RETURNS.RET_KILL_PROCESS);
    expect(evaluate(filter, { nr: 0x40000000 + 1 })).toBe(SECCOMP_RETURNS.RET_KILL_PROCESS);
  });
});

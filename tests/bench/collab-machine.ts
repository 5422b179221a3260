/**
 * Who used the CPU during a window of `npm run bench:collab`: this process (the clients), every
 * PostgreSQL process, and the whole machine, from /proc. Linux only, like the sandbox.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

/** USER_HZ: /proc reports CPU time in ticks of 10 ms on Linux. */
const MS_PER_TICK = 10;

export type CpuSample = {
  at: number;
  self: NodeJS.CpuUsage;
  postgresMs: number;
  machine: { busy: number; total: number };
};

/** CPU used since `before`, each in % of one core, over `elapsedMs`. */
export type CpuUse = { self: number; postgres: number; machine: number; elapsedMs: number };

/**
 * Busy and total ticks of the whole machine, from /proc/stat: user nice system idle iowait irq
 * softirq steal (guest time is already inside user). Steal counts as busy: it is CPU this VM
 * did not get.
 */
function machineTicks(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU time (ms) of every PostgreSQL process on the machine, from /proc/<pid>/stat. */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks * MS_PER_TICK;
}

export function sampleCpu(): CpuSample {
  return {
    at: performance.now(),
    self: process.cpuUsage(),
    postgresMs: postgresCpuMs(),
    machine: machineTicks()
  };
}

export function cpuSince(before: CpuSample): CpuUse {
  const now = sampleCpu();
  const elapsedMs = now.at - before.at;
  const self = process.cpuUsage(before.self);
  const busy = now.machine.busy - before.machine.busy;
  const total = now.machine.total - before.machine.total;
  return {
    self: ((self.user + self.system) / 1000 / elapsedMs) * 100,
    postgres: ((now.postgresMs - before.postgresMs) / elapsedMs) * 100,
    machine: (busy / total) * 100 * cpus().length,
    elapsedMs
  };
}

/**
 * The machine is shared: waits (up to `maxWaitMs`) until it uses less than `belowCpu` % of one
 * core over a second. Returns what it used in the last second.
 */
export async function waitForQuiet(belowCpu: number, maxWaitMs: number): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = sampleCpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const used = cpuSince(before).machine;
    if (used < belowCpu || Date.now() > deadline) return used;
  }
}

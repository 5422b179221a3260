/**
 * npm run bench:video [-- --runs 5 --seconds 20]   (after `npm run build`)
 *
 * Peer-to-peer video in the pad, with the real app and Debian's headless
 * Chromium on fake devices, both participants on this machine (loopback):
 * 1. Time from both participants joined (the second one's `rtc:join`
 *    answered, the `tandem:video:joined` mark) to the first remote frame
 *    rendered on both sides (`tandem:video:first-frame`, from
 *    requestVideoFrameCallback). Goal (issue 6): <= 1.5 s.
 * 2. CPU of one 1:1 call: every Chromium process's CPU time from
 *    /proc/<pid>/stat over a window, with both pads open and out of the
 *    call first (the baseline), then in the call.
 * Uses the default setup: the embedded PostgreSQL under a temporary DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../e2e/browser';
import { benchToken, median, root, stopGroup, waitForListening } from './app';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '20' }
  }
});
const RUNS = Number(flags.runs);
const WINDOW_S = Number(flags.seconds);
const GOAL_MS = 1500;
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';
const QUIET_CPU = 25;
const QUIET_WAIT_MS = 120_000;
if (!(RUNS > 0 && WINDOW_S > 0)) throw new Error('--runs and --seconds take positive numbers');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------- CPU from /proc ----------

/** USER_HZ is 100 on Linux: one tick is 10 ms. */
const TICK_MS = 10;

type Proc = { pid: number; ppid: number; ticks: number; cmd: string };

function readProcs(): Proc[] {
  const procs: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state ppid ... utime(12th) stime(13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      procs.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        cmd
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return procs;
}

/** Chromium's processes (ours: descendants of this process), by kind, with their CPU ticks. */
function chromiumTicks(): Map<string, number> {
  const procs = readProcs();
  const children = new Map<number, Proc[]>();
  for (const proc of procs) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc]);
  const byKind = new Map<string, number>();
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (/chrom/i.test(child.cmd.split(' ')[0] ?? '')) {
        const type = /--type=([a-z-]+)/.exec(child.cmd)?.[1] ?? 'browser';
        const kind =
          type === 'utility' ? (/--utility-sub-type=([\w.]+)/.exec(child.cmd)?.[1] ?? type) : type;
        byKind.set(kind, (byKind.get(kind) ?? 0) + child.ticks);
      }
      walk(child.pid);
    }
  };
  walk(process.pid);
  return byKind;
}

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

/** % of one core the whole machine used over `ms`. */
function machineCpu(before: { busy: number; total: number }): number {
  const after = machineTicks();
  return ((after.busy - before.busy) / (after.total - before.total)) * 100 * cpus().length;
}

/** The machine is shared: wait (a while at most) until others use less than QUIET_CPU. */
async function waitForQuiet(): Promise<number> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  for (;;) {
    const before = machineTicks();
    await sleep(1000);
    const used = machineCpu(before);
    if (used < QUIET_CPU || Date.now() > deadline) return used;
  }
}

/** `machine`: the whole machine, Chromium included. */
type CpuSample = { total: number; byKind: Map<string, number>; machine: number };

/** Chromium's CPU (% of one core) over the window, and the whole machine's. */
async function measureCpu(seconds: number): Promise<CpuSample> {
  const before = chromiumTicks();
  const machine = machineTicks();
  const started = Date.now();
  await sleep(seconds * 1000);
  const elapsed = Date.now() - started;
  const after = chromiumTicks();
  const byKind = new Map<string, number>();
  let total = 0;
  for (const [kind, ticks] of after) {
    const used = ((ticks - (before.get(kind) ?? 0)) * TICK_MS * 100) / elapsed;
    byKind.set(kind, used);
    total += used;
  }
  return { total, byKind, machine: machineCpu(machine) };
}

// ---------- the app and the pages ----------

async function markTime(page: Page, name: string, timeoutMs = 20_000): Promise<number> {
  const handle = await page.waitForFunction(
    (name) => {
      const entry = performance.getEntriesByName(name)[0];
      return entry ? performance.timeOrigin + entry.startTime : null;
    },
    name,
    { timeout: timeoutMs, polling: 20 }
  );
  return Number(await handle.jsonValue());
}

async function signIn(browser: Browser, base: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
  // Filled before hydration, the fields are emptied by it: fill again if still on the page.
  for (let attempt = 1; ; attempt++) {
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('button:has-text("Sign in")');
    const signedIn = await page
      .waitForURL(/\/interviews/, { timeout: 20_000 })
      .then(() => true)
      .catch(() => false);
    if (signedIn) break;
    if (attempt === 3) throw new Error(`could not sign in as ${EMAIL}`);
  }
  await page.close();
  return context;
}

async function createInterview(base: string, token: string, run: number) {
  const res = await fetch(`${base}/api/v1/interviews`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'live',
      title: `Video bench ${run}`,
      candidate: { name: `Candidate ${run}`, email: `video-bench-${run}@example.com` }
    })
  });
  if (res.status !== 201)
    throw new Error(`creating an interview: ${res.status} ${await res.text()}`);
  return (await res.json()) as { interview: { id: string }; candidateLink: string };
}

type Pair = { staff: Page; candidate: Page; candidateContext: BrowserContext };

/** Both pads open, nobody in the call yet. */
async function openPads(
  browser: Browser,
  staffContext: BrowserContext,
  base: string,
  token: string,
  run: number
): Promise<Pair> {
  const { interview, candidateLink } = await createInterview(base, token, run);
  const staff = await staffContext.newPage();
  await staff.goto(`${base}/interviews/${interview.id}/pad`);
  await staff.locator('[data-testid=video-dock][data-status=idle]').waitFor();
  const candidateContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const candidate = await candidateContext.newPage();
  await candidate.goto(candidateLink);
  await candidate.check('input[name=agree]');
  await candidate.click('button:has-text("I agree")');
  return { staff, candidate, candidateContext };
}

/** The interviewer joins; the candidate opens the pad (and joins the call by themselves). */
async function joinBoth(pair: Pair): Promise<void> {
  await pair.staff.getByTestId('join-call').click();
  await pair.staff.locator('[data-testid=video-dock][data-status=connected]').waitFor();
  await pair.candidate.getByTestId('join-pad').click();
}

type Run = { joinToBoth: number; toStaff: number; toCandidate: number };

async function timeRun(pair: Pair): Promise<Run> {
  await joinBoth(pair);
  // The candidate is the second to join: both are in the call from its join's answer on.
  const joined = await markTime(pair.candidate, 'tandem:video:joined');
  const [toStaff, toCandidate] = await Promise.all([
    markTime(pair.staff, 'tandem:video:first-frame'),
    markTime(pair.candidate, 'tandem:video:first-frame')
  ]);
  return {
    joinToBoth: Math.max(toStaff, toCandidate) - joined,
    toStaff: toStaff - joined,
    toCandidate: toCandidate - joined
  };
}

async function closePair(pair: Pair): Promise<void> {
  await pair.candidateContext.close();
  await pair.staff.close();
}

// ---------- main ----------

const fmt = (ms: number) => `${Math.round(ms)} ms`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-video-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    DATABASE_URL: ''
  };
  let app: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    const port = 20000 + Math.floor(Math.random() * 20000);
    app = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
      cwd: root,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true
    });
    await waitForListening(app);
    const token = benchToken(env);
    const base = `http://localhost:${port}`;
    browser = await launchBrowser({ fakeMedia: true });
    const staffContext = await signIn(browser, base);

    // 1. Both joined -> first remote frame, a fresh interview and candidate page per run.
    const runs: Run[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const pair = await openPads(browser, staffContext, base, token, i);
      const run = await timeRun(pair);
      // The first run warms up the browser (codecs, the GPU-less compositor): not counted.
      if (i > 0) runs.push(run);
      process.stderr.write(
        `run ${i}${i === 0 ? ' (warm-up)' : ''}: ${fmt(run.joinToBoth)} (interviewer sees the candidate after ${fmt(run.toStaff)}, candidate sees the interviewer after ${fmt(run.toCandidate)})\n`
      );
      await closePair(pair);
    }

    // 2. CPU: both pads open out of the call, then in the call.
    const pair = await openPads(browser, staffContext, base, token, RUNS + 1);
    await pair.candidate.getByTestId('join-pad').click();
    await pair.candidate.locator('[data-testid=video-dock][data-status=connected]').waitFor();
    await pair.candidate.getByTestId('leave-call').click();
    await sleep(2000);
    const quietBefore = await waitForQuiet();
    const idle = await measureCpu(WINDOW_S);
    await pair.candidate.getByTestId('join-call').click();
    await pair.staff.getByTestId('join-call').click();
    await markTime(pair.staff, 'tandem:video:first-frame');
    await markTime(pair.candidate, 'tandem:video:first-frame');
    await sleep(2000);
    const call = await measureCpu(WINDOW_S);
    const resolution = await pair.staff.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('video[data-testid=remote-video]');
      return video ? `${video.videoWidth}x${video.videoHeight}` : 'none';
    });
    await closePair(pair);

    const both = runs.map((r) => r.joinToBoth);
    const p50 = median(both);
    const max = Math.max(...both);
    const kinds = [...new Set([...idle.byKind.keys(), ...call.byKind.keys()])].sort();
    const lines = [
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`,
      `Chromium: ${browser.version()} headless, fake camera and microphone, loopback, no ICE servers`,
      '',
      `Both joined -> first remote frame on both sides, ${RUNS} runs (after one warm-up):`,
      table([
        ['metric', 'p50', 'max', 'goal', 'p50/goal', 'max/goal'],
        [
          'both joined -> first remote frame',
          fmt(p50),
          fmt(max),
          fmt(GOAL_MS),
          (p50 / GOAL_MS).toFixed(2),
          (max / GOAL_MS).toFixed(2)
        ],
        [
          '  interviewer sees candidate',
          fmt(median(runs.map((r) => r.toStaff))),
          fmt(Math.max(...runs.map((r) => r.toStaff))),
          '',
          '',
          ''
        ],
        [
          '  candidate sees interviewer',
          fmt(median(runs.map((r) => r.toCandidate))),
          fmt(Math.max(...runs.map((r) => r.toCandidate))),
          '',
          '',
          ''
        ]
      ]),
      `  runs: ${both.map(fmt).join(', ')}; goal ${max <= GOAL_MS ? 'met' : p50 <= GOAL_MS ? 'met at p50, missed at max' : 'missed'}`,
      '',
      `CPU of one 1:1 call (${resolution} video each way), % of one core over ${WINDOW_S} s, all Chromium processes (both participants are in this one browser):`,
      table([
        ['process', 'pads open, no call', 'in the call', 'the call costs'],
        ...kinds.map((kind) => [
          kind,
          `${(idle.byKind.get(kind) ?? 0).toFixed(1)} %`,
          `${(call.byKind.get(kind) ?? 0).toFixed(1)} %`,
          `${((call.byKind.get(kind) ?? 0) - (idle.byKind.get(kind) ?? 0)).toFixed(1)} %`
        ]),
        [
          'total',
          `${idle.total.toFixed(1)} %`,
          `${call.total.toFixed(1)} %`,
          `${(call.total - idle.total).toFixed(1)} %`
        ]
      ]),
      `  per participant (half the call's cost): ${((call.total - idle.total) / 2).toFixed(1)} % of one core`,
      `  the rest of the machine (the app, PostgreSQL, other work) during the windows: ${(idle.machine - idle.total).toFixed(0)} % / ${(call.machine - call.total).toFixed(0)} % of one core (${quietBefore.toFixed(0)} % before the first; ${cpus().length} cores)`
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await browser?.close().catch(() => undefined);
    if (app) await stopGroup(app);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

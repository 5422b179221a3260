/**
 * npm run bench:collab [-- --rooms 50,200,500 --repeat 3 --seconds 15 --warmup 5 --idle-rooms 500]
 *
 * N rooms x 2 y-websocket clients, each typing 5 characters per second, against
 *   tandem         the real Yjs server (realtime/) with the PostgreSQL store and doc tokens;
 *   tandem-memory  the same server on the in-memory store, to tell persistence from the rest;
 *   tandem-socket  the same server with a document worker that keeps nothing (not run unless
 *                  named in --modes): the socket thread's own cost;
 *   relay          a bare relay forwarding y-websocket messages between a room's two clients.
 * Per point: remote-apply latency p50/p99/max (one client's local change to the other client
 * applying it), applied updates per second, server CPU (% of one core) and RSS.
 * Then the memory of loaded idle rooms on the tandem server.
 * Targets on 2 cores (issue text): p99 <= 50 ms at 200 rooms; p99 within 1.5x of the relay;
 * <= 1 MB server memory per loaded idle room.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createDocTokens, type DocTokens } from '../../realtime/index';
import { buildServer, startServer, type ServerChild, type ServerMode } from './collab-child';
import { startClients } from './collab-clients';
import { createBenchDatabase } from './collab-db';
import { cpuSince, sampleCpu, waitForQuiet } from './collab-machine';
import {
  ms,
  percentile,
  summarize,
  table,
  verdicts,
  type IdleMemory,
  type Point
} from './collab-report';

const { values: flags } = parseArgs({
  options: {
    rooms: { type: 'string', default: '50,200,500' },
    modes: { type: 'string', default: 'relay,tandem-memory,tandem' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '5' },
    'idle-rooms': { type: 'string', default: '500' },
    'idle-chars': { type: 'string', default: '200' },
    /** Runs of each point, modes interleaved; the table shows the median run. */
    repeat: { type: 'string', default: '3' },
    /** Tries per run while other processes disturb the window; the least disturbed is kept. */
    attempts: { type: 'string', default: '1' },
    /** Processes the clients are spread over (one event loop did not keep up with 1000). */
    'client-processes': { type: 'string', default: '2' },
    /** Directory for `node --cpu-prof` profiles of the server children. */
    'cpu-prof': { type: 'string' }
  }
});
// --rooms '' skips the latency points (the idle-room memory figure alone).
const ROOM_COUNTS = flags.rooms === '' ? [] : flags.rooms.split(',').map(Number);
const MODES = flags.modes.split(',').filter(isMode);
const WINDOW_S = Number(flags.seconds);
const WARMUP_S = Number(flags.warmup);
const IDLE_ROOMS = Number(flags['idle-rooms']);
const IDLE_CHARS = Number(flags['idle-chars']);
const CHARS_PER_SECOND = 5;
const DRAIN_MS = 2000;
const QUIET_CPU = 20;
const DISTURBED_CPU = 25;
const ATTEMPTS = Number(flags.attempts);
const REPEAT = Number(flags.repeat);
const QUIET_WAIT_MS = 30_000;
/** Rooms whose sockets open at once. */
const CONNECT_BATCH = 50;
const CLIENT_PROCESSES = Number(flags['client-processes']);
const MB = 1024 * 1024;

function isMode(name: string): name is ServerMode {
  return (
    name === 'relay' || name === 'tandem' || name === 'tandem-memory' || name === 'tandem-socket'
  );
}
if (ROOM_COUNTS.some((n) => !(Number.isInteger(n) && n > 0)) || !(WINDOW_S > 0)) {
  throw new Error('--rooms takes positive integers (50,200,500), --seconds a positive number');
}
if (!(Number.isInteger(REPEAT) && REPEAT > 0) || !(Number.isInteger(ATTEMPTS) && ATTEMPTS > 0)) {
  throw new Error('--repeat and --attempts take positive integers');
}
if (MODES.length !== flags.modes.split(',').length) {
  throw new Error('--modes takes relay, tandem-socket, tandem-memory and tandem');
}

// Everything started is stopped on success, error and Ctrl-C alike, newest first.
const cleanups = new Set<() => Promise<void>>();
function deferCleanup(run: () => Promise<void>): () => Promise<void> {
  const once = async () => {
    if (cleanups.delete(once)) await run();
  };
  cleanups.add(once);
  return once;
}
async function cleanupAll(): Promise<void> {
  for (const run of [...cleanups].reverse()) {
    await run().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping servers and dropping databases\n`);
    void cleanupAll().finally(() => process.exit(130));
  });
}
// A throw inside a socket handler does not pass through main(): clean up here too.
process.once('uncaughtException', (error) => {
  process.stderr.write(`bench failed: ${error.stack ?? String(error)}\n`);
  void cleanupAll().finally(() => process.exit(1));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Server = {
  child: ServerChild;
  interviewIds: string[];
  /** PostgreSQL transactions committed so far (0 without PostgreSQL). */
  commits(): Promise<number>;
  stop(): Promise<void>;
};

async function launch(
  script: string,
  mode: ServerMode,
  rooms: number,
  secret: string,
  nodeFlags: string[] = []
): Promise<Server> {
  const profile = flags['cpu-prof'];
  if (profile)
    nodeFlags = [
      ...nodeFlags,
      '--cpu-prof',
      '--cpu-prof-interval=100',
      `--cpu-prof-dir=${profile}`
    ];
  if (mode !== 'tandem') {
    const child = await startServer({ script, mode, secret, nodeFlags });
    const stop = deferCleanup(() => child.stop());
    return {
      child,
      interviewIds: Array.from({ length: rooms }, () => randomUUID()),
      commits: async () => 0,
      stop
    };
  }
  const db = await createBenchDatabase(rooms);
  const dropDb = deferCleanup(() => db.drop());
  const child = await startServer({ script, mode, secret, databaseUrl: db.url, nodeFlags });
  const stopChild = deferCleanup(() => child.stop());
  return {
    child,
    interviewIds: db.interviewIds,
    commits: () => db.commits(),
    async stop() {
      await stopChild();
      await dropDb();
    }
  };
}

/** Two URLs per room: the relay takes bare paths, the tandem server a token per participant. */
async function roomUrls(
  mode: ServerMode,
  server: Server,
  tokens: DocTokens
): Promise<Array<[string, string]>> {
  const base = `ws://127.0.0.1:${server.child.port}/yjs`;
  const url = async (interviewId: string, role: 'interviewer' | 'candidate') => {
    if (mode === 'relay') return `${base}/${interviewId}/code`;
    const token = await tokens.mint({
      interviewId,
      doc: 'code',
      role,
      participantId: `${role}-${interviewId}`,
      name: role
    });
    return `${base}/${interviewId}/code?token=${token}`;
  };
  return Promise.all(
    server.interviewIds.map(async (id): Promise<[string, string]> => [
      await url(id, 'interviewer'),
      await url(id, 'candidate')
    ])
  );
}

/** Starts the client processes and opens every room, a few at a time. */
async function connectRooms(mode: ServerMode, server: Server, tokens: DocTokens) {
  const clients = startClients(CLIENT_PROCESSES);
  const stop = deferCleanup(() => clients.stop());
  const urls = await roomUrls(mode, server, tokens);
  for (let i = 0; i < urls.length; i += CONNECT_BATCH) {
    await clients.open(urls.slice(i, i + CONNECT_BATCH), mode !== 'relay');
  }
  return { clients, stop };
}

async function measurePoint(
  script: string,
  mode: ServerMode,
  roomCount: number,
  secret: string,
  tokens: DocTokens
): Promise<Point> {
  const server = await launch(script, mode, roomCount, secret);
  try {
    const { clients, stop } = await connectRooms(mode, server, tokens);
    try {
      await clients.startTyping(1000 / CHARS_PER_SECOND);
      await sleep(WARMUP_S * 1000);

      const commitsBefore = await server.commits();
      const before = await server.child.stats();
      const cpuBefore = sampleCpu();
      await clients.measure(WINDOW_S * 1000);
      await sleep(WINDOW_S * 1000);
      const cpu = cpuSince(cpuBefore);
      const after = await server.child.stats();

      await clients.stopTyping();
      await sleep(DRAIN_MS);
      // pg_stat_database lags by up to a second; the drain above covers it.
      const commits = (await server.commits()) - commitsBefore;
      const results = await clients.results();
      await clients.close();

      const windowMs = WINDOW_S * 1000;
      const percentOfCore = (cpuMs: number) => (cpuMs / cpu.elapsedMs) * 100;
      const serverCpu = percentOfCore(
        (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000
      );
      const socketThreadCpu = percentOfCore(after.mainThreadCpuMs - before.mainThreadCpuMs);
      const clientCpu = (results.cpuMs / windowMs) * 100;
      const { latencies } = results;
      return {
        mode,
        rooms: roomCount,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
        updatesPerSecond: latencies.length / WINDOW_S,
        sent: results.sent,
        lost: results.sent - latencies.length,
        errors: results.errors,
        serverCpu,
        socketThreadCpu,
        clientCpu,
        postgresCpu: cpu.postgres,
        // This process only orchestrates; its few milliseconds count with the clients'.
        otherCpu: Math.max(0, cpu.machine - serverCpu - clientCpu - cpu.self - cpu.postgres),
        serverRssMb: after.rss / MB,
        clientLoopP99: results.loopDelayP99Ms,
        serverLoopP99: after.loopDelayP99Ms,
        serverGcPercent: percentOfCore(after.gc.totalMs),
        serverGcMaxMs: after.gc.maxMs,
        commitsPerSecond: (commits / windowMs) * 1000
      };
    } finally {
      await stop();
    }
  } finally {
    await server.stop();
  }
}

/**
 * RSS of a fresh tandem server after GC, then with `IDLE_ROOMS` rooms loaded (each filled with
 * typed text, both clients connected and idle), then with the clients gone but the rooms still
 * loaded (within the server's idleUnloadMs of 30 s).
 */
async function measureIdleMemory(
  script: string,
  secret: string,
  tokens: DocTokens
): Promise<IdleMemory> {
  const server = await launch(script, 'tandem', IDLE_ROOMS, secret, ['--expose-gc']);
  try {
    await sleep(1000);
    const empty = await server.child.gc();
    const { clients, stop } = await connectRooms('tandem', server, tokens);
    try {
      await clients.fill(IDLE_CHARS);
      await sleep(1000);
      await server.child.flush();
      await sleep(2000);
      const connected = await server.child.gc();
      await clients.close();
      await sleep(2000);
      const disconnected = await server.child.gc();
      return {
        rooms: IDLE_ROOMS,
        charsPerRoom: 2 * IDLE_CHARS,
        emptyMb: empty.rss / MB,
        connectedMb: connected.rss / MB,
        disconnectedMb: disconnected.rss / MB,
        heapPerRoomKb: (connected.heapUsed - empty.heapUsed) / 1024 / IDLE_ROOMS,
        documentsLoaded: disconnected.server?.documents ?? NaN
      };
    } finally {
      await stop();
    }
  } finally {
    await server.stop();
  }
}

/**
 * Measures a point up to ATTEMPTS times while other processes on this shared machine took more
 * than DISTURBED_CPU of a core during the window, and keeps the least disturbed attempt.
 */
async function measureLeastDisturbed(
  script: string,
  mode: ServerMode,
  rooms: number,
  secret: string,
  tokens: DocTokens,
  out: (line: string) => void
): Promise<Point> {
  let best: Point | null = null;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const background = await waitForQuiet(QUIET_CPU, QUIET_WAIT_MS);
    const point = await measurePoint(script, mode, rooms, secret, tokens);
    out(
      `  ${mode} ${rooms}, attempt ${attempt}: p99 ${ms(point.p99)}; ` +
        `socket thread ${point.socketThreadCpu.toFixed(0)} % of a core; other processes ` +
        `${point.otherCpu.toFixed(0)} % of a core (${background.toFixed(0)} % just before); ` +
        `event-loop delay p99 ${ms(point.clientLoopP99)} in the clients, ` +
        `${ms(point.serverLoopP99)} in the server; ` +
        `socket-thread GC ${point.serverGcPercent.toFixed(1)} % of the window, longest pause ` +
        `${ms(point.serverGcMaxMs)}; ` +
        `${point.commitsPerSecond.toFixed(0)} PostgreSQL commits/s`
    );
    if (!best || point.otherCpu < best.otherCpu) best = point;
    if (point.otherCpu < DISTURBED_CPU) break;
  }
  if (!best) throw new Error('no attempt');
  return best;
}

async function main(): Promise<void> {
  const secret = randomBytes(32).toString('hex');
  const tokens = createDocTokens({ secret });
  const script = await buildServer();
  const out = (line: string) => process.stdout.write(line + '\n');
  out(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`
  );
  out(
    `2 clients per room, each typing ${CHARS_PER_SECOND} characters/s; ` +
      `${WARMUP_S} s warm-up, ${WINDOW_S} s measured per point`
  );
  const points: Point[] = [];
  for (const rooms of ROOM_COUNTS) {
    for (let run = 0; run < REPEAT; run++) {
      // Each round starts with another mode, so none always runs first or last.
      const order = MODES.map((_, i) => MODES[(i + run) % MODES.length]!);
      for (const mode of order) {
        points.push(await measureLeastDisturbed(script, mode, rooms, secret, tokens, out));
      }
    }
  }
  const idle = IDLE_ROOMS > 0 ? await measureIdleMemory(script, secret, tokens) : null;
  const summaries = summarize(points);
  out('');
  if (summaries.length > 0) for (const line of table(summaries)) out(line);
  out('');
  for (const line of verdicts(summaries, idle, DRAIN_MS)) out(line);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanupAll();
    process.exit();
  });

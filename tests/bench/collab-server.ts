/**
 * The server under test in `npm run bench:collab`, in its own process so that its CPU time and
 * RSS are its own. Started by tests/bench/collab.ts as
 *
 *   collab-server.ts tandem <database-url>   the real Yjs server (createYjsServer) with the
 *                                            PostgreSQL document store and doc tokens signed
 *                                            with BENCH_DOC_SECRET;
 *   collab-server.ts tandem-memory           the same server on the in-memory store of the
 *                                            realtime tests: the tandem figures without
 *                                            PostgreSQL, to tell persistence from the rest;
 *   collab-server.ts tandem-socket           the same server with a document worker that keeps
 *                                            nothing (collab-socket-worker.ts): the socket
 *                                            thread's own cost;
 *   collab-server.ts relay                   a bare relay: every binary message goes to the
 *                                            other sockets on the same URL path, nothing else.
 *
 * Prints one JSON line `{"port":N}` on stdout once listening. Then reads commands on stdin, one
 * per line, and answers each with one JSON line on stdout, in order:
 *   stats  {cpu, rss, heapUsed, loopDelayP99Ms, gc, server}: loopDelayP99Ms and gc cover the
 *          time since the previous answer; server is createYjsServer's stats(), null for the
 *          relay
 *   gc     runs the collector twice in every thread (when started with --expose-gc), then
 *          answers as stats
 *   flush  waits until every received update is in PostgreSQL, then answers as stats
 * Stdin closing, SIGINT or SIGTERM closes the server (flushing documents) and exits.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { YjsServerStats } from '../../realtime/index';

export type ServerStats = {
  cpu: NodeJS.CpuUsage;
  /** CPU milliseconds of the main thread alone (Linux; 0 elsewhere), at 10 ms resolution. */
  mainThreadCpuMs: number;
  rss: number;
  heapUsed: number;
  /** p99 of this process's event-loop delay since the previous answer, in ms. */
  loopDelayP99Ms: number;
  /** Garbage-collection pauses since the previous answer: how many, their sum and the longest. */
  gc: { count: number; totalMs: number; maxMs: number };
  server: YjsServerStats | null;
};

type Upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
type Mode = {
  upgrade: Upgrade;
  stats(): YjsServerStats | null;
  flush(): Promise<void>;
  /** Garbage of heaps other than the main thread's (the document worker's). */
  collectGarbage(): Promise<void>;
};

function relay(): Mode & { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true });
  const rooms = new Map<string, Set<WebSocket>>();
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url ?? '/', 'http://localhost').pathname;
    let peers = rooms.get(room);
    if (!peers) {
      peers = new Set();
      rooms.set(room, peers);
    }
    const members = peers;
    members.add(ws);
    ws.on('message', (data, isBinary) => {
      for (const peer of members) if (peer !== ws) peer.send(data, { binary: isBinary });
    });
    ws.on('close', () => {
      members.delete(ws);
      if (members.size === 0) rooms.delete(room);
    });
  });
  return {
    upgrade: (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    stats: () => null,
    flush: async () => undefined,
    collectGarbage: async () => undefined,
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    }
  };
}

/** The document worker of each tandem mode, built beside this module. */
const WORKERS = {
  tandem: 'doc-worker.mjs',
  'tandem-memory': 'memory-doc-worker.mjs',
  'tandem-socket': 'socket-doc-worker.mjs'
} as const;

async function tandem(
  worker: keyof typeof WORKERS,
  databaseUrl: string | null,
  secret: string
): Promise<Mode & { close(): Promise<void> }> {
  // Loaded only in these modes, so that the relay's RSS is that of a bare ws server.
  const [{ default: pino }, realtime] = await Promise.all([
    import('pino'),
    import('../../realtime/index')
  ]);
  // As in src/lib/server/runtime.ts: the documents in a worker, the server's default options.
  const here = dirname(fileURLToPath(import.meta.url));
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const batchMs = Number(process.env.BENCH_BATCH_MS ?? '') || undefined;
  const server = realtime.createYjsServer({
    documents: {
      worker: {
        entry: join(here, WORKERS[worker]),
        ...(databaseUrl ? { data: { databaseUrl } } : {})
      }
    },
    tokens: realtime.createDocTokens({ secret }),
    logger,
    batchMs
  });
  return {
    upgrade: (req, socket, head) => server.handleUpgrade(req, socket, head),
    stats: () => server.stats(),
    flush: () => server.flush(),
    collectGarbage: () => server.collectGarbage(),
    close: () => server.close()
  };
}

async function main(): Promise<void> {
  const [modeName, databaseUrl] = process.argv.slice(2);
  const secret = process.env.BENCH_DOC_SECRET ?? '';
  let mode: Mode & { close(): Promise<void> };
  if (modeName === 'relay') mode = relay();
  else if (modeName === 'tandem' && databaseUrl && secret.length >= 32)
    mode = await tandem('tandem', databaseUrl, secret);
  else if ((modeName === 'tandem-memory' || modeName === 'tandem-socket') && secret.length >= 32)
    mode = await tandem(modeName, null, secret);
  else
    throw new Error(
      'usage: collab-server.ts relay | tandem-socket | tandem-memory | tandem <database-url> ' +
        '(BENCH_DOC_SECRET set)'
    );

  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', mode.upgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await mode.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    })().finally(() => process.exit(0)));
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const snapshot = (): ServerStats => {
    const memory = process.memoryUsage();
    const loopDelayP99Ms = loop.percentile(99) / 1e6;
    loop.reset();
    const gcSince = gc;
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    return {
      cpu: process.cpuUsage(),
      mainThreadCpuMs: mainThreadCpuMs(),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      loopDelayP99Ms,
      gc: gcSince,
      server: mode.stats()
    };
  };
  const answer = (stats: ServerStats) => process.stdout.write(JSON.stringify(stats) + '\n');

  // Commands are answered strictly in the order they arrive.
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    queue = queue
      .then(async () => {
        const command = line.trim();
        if (command === 'gc') {
          await mode.collectGarbage();
          globalThis.gc?.();
          globalThis.gc?.();
        } else if (command === 'flush') {
          await mode.flush();
        } else if (command !== 'stats') {
          throw new Error(`unknown command ${command}`);
        }
        answer(snapshot());
      })
      .catch((error: unknown) => {
        process.stderr.write(`command failed: ${String(error)}\n`);
        void stop();
      });
  });
  lines.on('close', () => void stop());
  process.stdout.write(JSON.stringify({ port: address.port }) + '\n');
}

/** utime + stime of the main thread (its task id is the pid), from /proc, in ms. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** USER_HZ: 100 on every Linux Tandem runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

main().catch((error: unknown) => {
  process.stderr.write(
    `collab server failed: ${error instanceof Error ? error.stack : String(error)}\n`
  );
  process.exit(1);
});

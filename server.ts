/**
 * Production entry: one HTTP server for the SvelteKit handler and the
 * realtime upgrades, with a graceful shutdown.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  EnvError,
  loadEnv,
  prepareAdapterEnv,
  PROTOCOL_HEADER,
  type Env
} from './src/lib/server/env';
import { SESSION_SOCKET_PATH } from './realtime/events/contracts';
import { createUpgradeRouter } from './src/lib/server/http/upgrade';
import { createLogger } from './src/lib/server/log';
import { formatCredentials } from './src/lib/server/services/seed';
import { bootRuntime, installRuntime } from './src/lib/server/runtime';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const DRAIN_MS = 10_000;

async function loadHandler(): Promise<NodeHandler> {
  // build/server.js sits beside the handler; server.ts (under tsx) one level up.
  const here = dirname(fileURLToPath(import.meta.url));
  const file = [join(here, 'handler.js'), join(here, 'build', 'handler.js')].find((f) =>
    existsSync(f)
  );
  if (!file) {
    throw new Error('build/handler.js is missing: run `npm run build` first (npm start does).');
  }
  const mod: unknown = await import(pathToFileURL(file).href);
  if (typeof mod === 'object' && mod && 'handler' in mod && typeof mod.handler === 'function') {
    return mod.handler as NodeHandler;
  }
  throw new Error('build/handler.js does not export a handler.');
}

function readEnv(): Env {
  try {
    return loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\nSee .env.example for every option.\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const env = readEnv();
  prepareAdapterEnv();
  const log = createLogger(env.LOG_LEVEL);
  // Credentials are printed once the real port is known (PORT=0 picks one).
  const runtimePromise = bootRuntime({ env, log, print: false });
  installRuntime(runtimePromise);
  const runtime = await runtimePromise;
  const handler = await loadHandler();

  const server = createServer((req, res) => {
    req.headers[PROTOCOL_HEADER] =
      'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });
  const upgrades = createUpgradeRouter(log);
  upgrades.register('/yjs', (req, socket, head) => runtime.yjs.handleUpgrade(req, socket, head));
  upgrades.register(SESSION_SOCKET_PATH, (req, socket, head) =>
    runtime.sessions.handleUpgrade(req, socket, head)
  );
  server.on('upgrade', (req, socket, head) => upgrades.handle(req, socket, head));

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(env.PORT, env.HOST, () => done());
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port, host: env.HOST }, 'listening');
  if (runtime.firstStart) {
    process.stdout.write(
      formatCredentials(runtime.firstStart, env.ORIGIN ?? `http://localhost:${port}`)
    );
  }
  // Machine-readable for tests and scripts that start the server on port 0.
  process.stdout.write(`Tandem listening on http://localhost:${port}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    // Upgraded sockets are not HTTP connections the server drains: the realtime
    // servers close them (after flushing every acknowledged edit).
    await runtime.sessions
      .close()
      .catch((err: unknown) => log.error({ err }, 'session close failed'));
    await runtime.yjs.close().catch((err: unknown) => log.error({ err }, 'realtime close failed'));
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(timer);
    try {
      await runtime.close();
    } catch (err) {
      log.error({ err }, 'error while closing');
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Tandem failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  );
  if (error instanceof Error && error.cause)
    process.stderr.write(`  cause: ${String(error.cause)}\n`);
  process.exit(1);
});

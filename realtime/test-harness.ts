/** Test-only helpers: a real HTTP server on port 0 with the Yjs server on its upgrade. */
import { createServer, type Server } from 'node:http';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Logger } from './logger';
import { createMemoryDocStore, type MemoryDocStore } from './memory-store';
import { createDocTokens, type DocClaims, type DocTokens } from './tokens';
import { createYjsServer, type YjsServer, type YjsServerOptions } from './yjs-server';

/**
 * y-websocket types its polyfill as the DOM WebSocket; `ws` implements the part of that API
 * y-websocket uses (its README's Node example passes `ws` exactly so) but differs in unused
 * details (binaryType 'nodebuffer', no dispatchEvent), so the one cast lives here.
 */
export const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export type LogEntry = { level: string; obj: object; msg?: string };

/** A logger that keeps entries in memory so tests can assert what was logged. */
export function createMemoryLogger(entries: LogEntry[] = []): Logger & { entries: LogEntry[] } {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj, msg });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => createMemoryLogger(entries)
  };
}

/** Polls a condition: tests wait for what they expect instead of sleeping. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type Harness = {
  store: MemoryDocStore;
  tokens: DocTokens;
  server: YjsServer;
  logger: ReturnType<typeof createMemoryLogger>;
  /** ws://127.0.0.1:<port>/yjs */
  base: string;
  token(claims: Partial<DocClaims>): Promise<string>;
  provider(claims: Partial<DocClaims>, doc?: Y.Doc): Promise<WebsocketProvider>;
  /** Opens a raw socket and resolves its close code. */
  closeCodeOf(path: string): Promise<number>;
  close(): Promise<void>;
};

export const DEFAULT_CLAIMS: DocClaims = {
  interviewId: 'iv1',
  doc: 'code',
  role: 'interviewer',
  participantId: 'p-interviewer',
  name: 'Ines'
};

export async function startHarness({
  store = createMemoryDocStore(),
  ...overrides
}: Partial<YjsServerOptions> & { store?: MemoryDocStore } = {}): Promise<Harness> {
  const tokens = createDocTokens({ secret: TEST_SECRET });
  const logger = createMemoryLogger();
  const server = createYjsServer({
    documents: { store },
    tokens,
    logger,
    batchMs: 5,
    ...overrides
  });
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => server.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  const { port } = address;
  const base = `ws://127.0.0.1:${port}/yjs`;
  const providers: WebsocketProvider[] = [];
  const sockets: WebSocket[] = [];

  const token = (claims: Partial<DocClaims>) => tokens.mint({ ...DEFAULT_CLAIMS, ...claims });

  return {
    store,
    tokens,
    server,
    logger,
    base,
    token,
    async provider(claims, doc = new Y.Doc()) {
      const full = { ...DEFAULT_CLAIMS, ...claims };
      const provider = new WebsocketProvider(`${base}/${full.interviewId}`, full.doc, doc, {
        WebSocketPolyfill: NodeWebSocket,
        params: { token: await token(full) },
        // Node has BroadcastChannel: without this, two providers would sync around the server.
        disableBc: true
      });
      providers.push(provider);
      return provider;
    },
    closeCodeOf(path) {
      const ws = new WebSocket(`${base}${path}`);
      sockets.push(ws);
      return new Promise((resolve) => ws.on('close', (code) => resolve(code)));
    },
    async close() {
      for (const p of providers) p.destroy();
      for (const s of sockets) s.terminate();
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  };
}

export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/**
 * The clients of `npm run bench:collab`: a Y.Doc per client speaking the y-websocket protocol
 * (y-protocols sync messages over `ws`), as realtime/test-harness.ts's providers do, without
 * the provider's awareness and reconnect machinery.
 *
 * Latency is measured per typed character: the sender stores performance.now() under the clock
 * of the character it inserts (each one-character insert takes exactly one clock), and the
 * receiver, after applying a message, looks up every clock of the sender that became part of
 * its document. Both clients of a room live in the same process, so the two times share a clock.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket, type RawData } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** y-websocket's top-level message type for sync messages. */
const MESSAGE_SYNC = 0;
/** Origin of applied remote changes, so they are not sent back. */
const REMOTE = Symbol('remote');
const TEXT = 'the quick brown fox jumps over the lazy dog\n';

/** Collects the latencies of characters typed inside [from, to) (performance.now() times). */
export type Recorder = {
  from: number;
  to: number;
  /** Characters typed inside the window. */
  sent: number;
  /** Milliseconds from a local change to its remote application, one per character. */
  latencies: number[];
  /** Sockets that closed or failed while the room was open. */
  errors: number;
};

export function createRecorder(): Recorder {
  return { from: Infinity, to: Infinity, sent: 0, latencies: [], errors: 0 };
}

/** A client's document and performance.now() of each local change, by the character's clock. */
type Side = { doc: Y.Doc; sentAt: number[] };

type Client = {
  ready: Promise<void>;
  typeChar(): void;
  close(): void;
};

export type Room = {
  /** Both sockets open, and (waitForSync) both documents synced with the server. */
  ready: Promise<void>;
  /** Each client types one character every `periodMs`, starting at a random offset. */
  startTyping(periodMs: number): void;
  stopTyping(): void;
  /** Each client types `chars` characters, one per message, as fast as the sockets allow. */
  fill(chars: number): void;
  close(): void;
};

export type RoomOptions = {
  /** One URL per client (the tandem server wants a token per participant). */
  urls: [string, string];
  /**
   * true against the tandem server: wait for its sync step 2. The bare relay has no document of
   * its own; its clients only answer each other's sync step 1, and start from empty documents.
   */
  waitForSync: boolean;
  recorder: Recorder;
};

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function connect(
  url: string,
  { doc, sentAt }: Side,
  peer: Side,
  { waitForSync, recorder }: Omit<RoomOptions, 'urls'>
): Client {
  const ws = new WebSocket(url);
  const text = doc.getText('code');
  let closing = false;

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === REMOTE || ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    ws.send(encoding.toUint8Array(encoder));
  });

  const ready = new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`socket closed with ${code} before ready`)));
    ws.once('open', () => {
      // What y-websocket's provider sends first.
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, doc);
      ws.send(encoding.toUint8Array(encoder));
      if (!waitForSync) resolve();
    });
    ws.on('message', (data: RawData) => {
      const decoder = decoding.createDecoder(toBytes(data));
      // Awareness and anything else the server sends is not part of what is measured.
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      const peerId = peer.doc.clientID;
      const before = Y.getState(doc.store, peerId);
      const type = syncProtocol.readSyncMessage(decoder, encoder, doc, REMOTE);
      const after = Y.getState(doc.store, peerId);
      if (after > before) {
        const now = performance.now();
        for (let clock = before; clock < after; clock++) {
          const sent = peer.sentAt[clock];
          if (sent !== undefined && sent >= recorder.from && sent < recorder.to) {
            recorder.latencies.push(now - sent);
          }
        }
      }
      if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
      if (type === syncProtocol.messageYjsSyncStep2) resolve();
    });
  });
  ready.catch(() => undefined);
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (!closing) recorder.errors += 1;
  });

  return {
    ready,
    typeChar() {
      if (ws.readyState !== WebSocket.OPEN) return;
      const clock = Y.getState(doc.store, doc.clientID);
      const now = performance.now();
      sentAt[clock] = now;
      if (now >= recorder.from && now < recorder.to) recorder.sent += 1;
      text.insert(text.length, TEXT.charAt(clock % TEXT.length));
    },
    close() {
      closing = true;
      ws.close();
      doc.destroy();
    }
  };
}

export function openRoom({ urls, ...options }: RoomOptions): Room {
  const first: Side = { doc: new Y.Doc(), sentAt: [] };
  const second: Side = { doc: new Y.Doc(), sentAt: [] };
  const a = connect(urls[0], first, second, options);
  const b = connect(urls[1], second, first, options);
  const clients = [a, b];
  const timers: NodeJS.Timeout[] = [];

  const stopTyping = () => {
    for (const timer of timers.splice(0)) {
      clearTimeout(timer);
      clearInterval(timer);
    }
  };

  return {
    ready: Promise.all([a.ready, b.ready]).then(() => undefined),
    startTyping(periodMs) {
      for (const client of clients) {
        const start = setTimeout(() => {
          client.typeChar();
          timers.push(setInterval(() => client.typeChar(), periodMs));
        }, Math.random() * periodMs);
        timers.push(start);
      }
    },
    stopTyping,
    fill(chars) {
      for (const client of clients) for (let i = 0; i < chars; i++) client.typeChar();
    },
    close() {
      stopTyping();
      for (const client of clients) client.close();
    }
  };
}

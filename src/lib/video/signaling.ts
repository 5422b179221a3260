/**
 * The peer-to-peer call's signalling, over the pad's session socket
 * (realtime/events/contracts.ts, `rtc:*`). The mesh talks to this interface,
 * so tests can drive it without a server.
 */
import { z } from 'zod';
import type { RtcPeer, RtcSignal } from '$realtime/events/contracts';
import type { SessionClient } from '$lib/pad/session-client.svelte';

export type MediaFlags = { audio: boolean; video: boolean };
export type SignalPayload = Omit<RtcSignal, 'from'>;

export type SignalingHandlers = {
  peerJoined(peer: RtcPeer): void;
  peerLeft(peerId: string): void;
  signal(signal: RtcSignal): void;
  media(peerId: string, media: MediaFlags): void;
  /** The socket connected (a new peer id: join again) or dropped. */
  connection(connected: boolean): void;
};

export interface CallSignaling {
  /** Whether the socket is connected now. */
  readonly connected: boolean;
  join(media: MediaFlags): Promise<{ you: string; peers: RtcPeer[] }>;
  leave(): Promise<void>;
  signal(to: string, payload: SignalPayload): Promise<void>;
  media(media: MediaFlags): Promise<void>;
  listen(handlers: SignalingHandlers): () => void;
}

/**
 * What a relayed signal may look like. The server checks what it relays
 * (contracts.ts); the browser checks again, since a signal is the other
 * side's input and the server may be older than this page.
 */
const incomingSignalSchema = z.object({
  from: z.string().min(1).max(64),
  description: z
    .object({
      type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
      sdp: z.string().max(100_000)
    })
    .optional(),
  candidate: z
    .object({
      candidate: z.string().max(2048),
      sdpMid: z.string().max(64).nullable().optional(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
      usernameFragment: z.string().max(256).nullable().optional()
    })
    .nullable()
    .optional()
});

/** A relayed signal, or null with the reason it was refused. */
export function parseSignal(
  input: unknown
): { ok: true; signal: RtcSignal } | { ok: false; reason: string } {
  const parsed = incomingSignalSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues[0]?.message ?? 'malformed signal' };
  }
  const signal = parsed.data;
  if (signal.description && signal.description.type !== 'rollback') {
    if (!signal.description.sdp.startsWith('v=0')) {
      return { ok: false, reason: 'the session description does not start with v=0' };
    }
  }
  if (!signal.description && signal.candidate === undefined) {
    return { ok: false, reason: 'a signal carries a description or a candidate' };
  }
  return { ok: true, signal };
}

/** The mesh's signalling over the pad's SessionClient. */
export function sessionSignaling(session: SessionClient): CallSignaling {
  return {
    get connected() {
      return session.connected;
    },
    join: (media) => session.request('rtc:join', media),
    async leave() {
      await session.request('rtc:leave', {});
    },
    async signal(to, payload) {
      await session.request('rtc:signal', { to, ...payload });
    },
    async media(media) {
      await session.request('rtc:media', media);
    },
    listen(handlers) {
      const stops = [
        session.on('rtc:peer-joined', (peer) => handlers.peerJoined(peer)),
        session.on('rtc:peer-left', ({ peerId }) => handlers.peerLeft(peerId)),
        session.on('rtc:signal', (signal) => handlers.signal(signal)),
        session.on('rtc:media', ({ peerId, audio, video }) =>
          handlers.media(peerId, { audio, video })
        ),
        session.onConnection((connected) => handlers.connection(connected))
      ];
      return () => {
        for (const stop of stops) stop();
      };
    }
  };
}

/**
 * What a call looks like from the UI, whichever way it is carried: our own
 * peer-to-peer mesh (mesh.ts) or a LiveKit room (livekit.ts). Issue 6: "the
 * same UI in both modes".
 */
import type { SessionRole } from '$realtime/events/contracts';

export type CallMode = 'p2p' | 'livekit';

/**
 * idle: not joined yet; joining: asking for devices and joining; connected: in the call;
 * reconnecting: the signalling or the video server dropped and we are getting back in;
 * failed: could not join (see `error`); left: we hung up.
 */
export type CallStatus = 'idle' | 'joining' | 'connected' | 'reconnecting' | 'failed' | 'left';

export type CallErrorKind =
  | 'permission-denied'
  | 'no-devices'
  | 'device-busy'
  | 'insecure-context'
  | 'call-full'
  | 'server-unreachable'
  | 'unknown';

export type CallError = { kind: CallErrorKind; message: string };

/** The media path to one remote person. */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export type CallTile = {
  /** The peer's id: a socket id (p2p) or the LiveKit participant identity. */
  id: string;
  name: string;
  role: SessionRole;
  local: boolean;
  /** Null until media arrives (or, for us, when we send nothing). */
  stream: MediaStream | null;
  /** Microphone on. */
  audio: boolean;
  /** Camera on. */
  video: boolean;
  link: LinkState;
};

export type DeviceKind = 'audioinput' | 'videoinput';

export type CallSnapshot = {
  mode: CallMode;
  status: CallStatus;
  /** Why the call could not be joined (status `failed`). */
  error: CallError | null;
  /** Why we send no (or only some) media while the call itself works. */
  mediaProblem: CallError | null;
  /** False for hiring managers and observers: they watch and listen only. */
  canPublish: boolean;
  /** Our own tile, once joined (also when we send nothing). */
  self: CallTile | null;
  /** The people who take part, in a stable order; watchers are not shown. */
  remotes: CallTile[];
  /** How many watch without being shown (hiring managers, observers). */
  watching: number;
  /** The devices in use. */
  devices: Record<DeviceKind, string | null>;
};

export interface Call {
  readonly mode: CallMode;
  snapshot(): CallSnapshot;
  /** Calls `listener` at once and on every change; returns the unsubscribe. */
  subscribe(listener: (snapshot: CallSnapshot) => void): () => void;
  join(): Promise<void>;
  /** Hangs up and releases the camera and microphone; the call can be joined again. */
  leave(): Promise<void>;
  setMicrophone(on: boolean): Promise<void>;
  setCamera(on: boolean): Promise<void>;
  /** Switches the camera or microphone, for the current call and the next ones. */
  useDevice(kind: DeviceKind, deviceId: string): Promise<void>;
  /** Tries again to get the camera and microphone (after the person allowed them). */
  retryMedia(): Promise<void>;
}

/** Where a call reports what went wrong with one peer; the console by default. */
export type CallLog = {
  warn(message: string, detail?: Record<string, unknown>): void;
};

export const consoleLog: CallLog = {
  warn(message, detail) {
    console.warn(`[tandem video] ${message}`, detail ?? '');
  }
};

/**
 * One RTCPeerConnection to one remote peer, negotiated with the "perfect
 * negotiation" pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example):
 * an offer goes out whenever `negotiationneeded` fires; when two offers
 * cross, the impolite side ignores the other's offer and the polite side
 * lets the browser roll its own back (setRemoteDescription does that
 * implicitly).
 *
 * Crossing offers are avoided where we can, though: in Chromium 156 a
 * rollback in the middle of ICE gathering left the polite side's connection
 * without a single local candidate (seen in tests/e2e/video.e2e.test.ts on
 * reloads). So when someone joins, the newcomer offers, and the people
 * already there add their tracks when that offer arrives, before answering
 * (or after `offerWaitMs` if none comes). ICE failures are answered with
 * `restartIce()` by the impolite side first, and a link that never connects
 * is restarted by a watchdog.
 */
import type { RtcPeer } from '$realtime/events/contracts';
import { isPolite, linkStateOf } from './call-state';
import type { SignalPayload } from './signaling';
import type { CallLog, CallTile, LinkState } from './types';

export type TrackKind = 'audio' | 'video';
type Tracks = Record<TrackKind, MediaStreamTrack | null>;

export type PeerLinkOptions = {
  selfId: string;
  peer: RtcPeer;
  rtcConfig: RTCConfiguration;
  /** Our tracks to send (none for someone who only watches). */
  tracks: Tracks;
  /**
   * True when we are the newcomer (the peer came in our join's answer): we
   * offer at once. False when the peer just joined: we wait for its offer.
   */
  initiator: boolean;
  /** Gives the tracks one stream id on the other side. */
  localStream: MediaStream;
  send(payload: SignalPayload): void;
  /** Something the tile shows changed. */
  onChange(): void;
  log: CallLog;
  createPeerConnection(config: RTCConfiguration): RTCPeerConnection;
  /** ICE restarts in a row before the link shows as failed. Default 3. */
  maxIceRestarts?: number;
  /** How long `disconnected` may last before we restart ICE ourselves. Default 4000 ms. */
  disconnectedGraceMs?: number;
  /** How long to wait for the newcomer's offer before offering ourselves. Default 2000 ms. */
  offerWaitMs?: number;
  /** A link not connected this long after negotiating restarts ICE. Default 8000 ms. */
  connectTimeoutMs?: number;
  /** The polite side's wait before it restarts a failed ICE itself. Default 2500 ms. */
  politeRestartDelayMs?: number;
};

export class PeerLink {
  readonly polite: boolean;
  readonly pc: RTCPeerConnection;
  peer: RtcPeer;
  /** What the other side sends, rebuilt when a track arrives so the tile re-binds. */
  stream: MediaStream | null = null;
  /** Set while our socket is away: the other side has dropped this link already. */
  stale = false;

  readonly #options: PeerLinkOptions;
  readonly #senders = new Map<TrackKind, RTCRtpSender>();
  readonly #maxRestarts: number;
  /** Our tracks until they are attached (see `initiator`). */
  readonly #pending: Tracks;
  #attached = false;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #queue: Promise<void> = Promise.resolve();
  #restarts = 0;
  /** Failed again after the last restart we allow: shown as failed until it connects. */
  #gaveUp = false;
  #closed = false;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(options: PeerLinkOptions) {
    this.#options = options;
    this.peer = options.peer;
    this.polite = isPolite(options.selfId, options.peer.id);
    this.#maxRestarts = options.maxIceRestarts ?? 3;
    this.#pending = { ...options.tracks };
    const pc = options.createPeerConnection(options.rtcConfig);
    this.pc = pc;

    pc.onnegotiationneeded = () => void this.#offer();
    pc.onicecandidate = ({ candidate }) => {
      // The end-of-candidates marker (null) carries nothing the other side needs.
      if (!candidate) return;
      const { sdpMid, sdpMLineIndex, usernameFragment } = candidate;
      this.#options.send({
        candidate: { candidate: candidate.candidate, sdpMid, sdpMLineIndex, usernameFragment }
      });
    };
    pc.ontrack = ({ track }) => {
      const tracks = (this.stream?.getTracks() ?? []).filter((t) => t.kind !== track.kind);
      this.stream = new MediaStream([...tracks, track]);
      this.#options.onChange();
    };
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState !== 'failed') return;
      // Both sides see the failure: one restart is enough, and crossing offers are what we avoid.
      if (!this.polite) this.#restartIce();
      else
        this.#later(options.politeRestartDelayMs ?? 2500, () => {
          if (pc.iceConnectionState === 'failed') this.#restartIce();
        });
    };
    pc.onconnectionstatechange = () => this.#connectionChanged();

    // Someone who sends nothing will not offer: do not wait for them.
    const peerSends = options.peer.audio || options.peer.video;
    if (options.initiator || !peerSends) this.#attach();
    else this.#later(options.offerWaitMs ?? 2000, () => this.#attach());
    this.#armWatchdog();
  }

  get link(): LinkState {
    if (this.stale) return 'reconnecting';
    return linkStateOf(this.pc.connectionState, !this.#gaveUp);
  }

  tile(): CallTile {
    return {
      id: this.peer.id,
      name: this.peer.name,
      role: this.peer.role,
      local: false,
      stream: this.stream,
      audio: this.peer.audio,
      video: this.peer.video,
      link: this.link
    };
  }

  /**
   * Sends `track` (or nothing) for its kind. An existing sender swaps the
   * track without renegotiating; `null` stops the frames at once (a disabled
   * track would keep sending black frames). A kind never sent before adds a
   * track, which renegotiates.
   */
  async setTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    if (this.#closed) return;
    if (!this.#attached) {
      this.#pending[kind] = track;
      return;
    }
    const sender = this.#senders.get(kind);
    if (sender) {
      await sender.replaceTrack(track);
    } else if (track) {
      this.#senders.set(kind, this.pc.addTrack(track, this.#options.localStream));
    }
  }

  /** A signal from this peer; handled one at a time, in order. */
  receive(signal: SignalPayload): void {
    this.#queue = this.#queue
      .then(() => this.#handle(signal))
      .catch((error: unknown) => {
        // A broken description or candidate is refused; the connection carries on as it was.
        this.#options.log.warn('refused a signal that could not be applied', {
          peerId: this.peer.id,
          error: describe(error)
        });
      });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#watchdog);
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.oniceconnectionstatechange = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  /** Adds our tracks to the connection (once). */
  #attach(): void {
    if (this.#attached || this.#closed) return;
    this.#attached = true;
    for (const kind of ['audio', 'video'] as const) {
      const track = this.#pending[kind];
      // addTrack reuses a transceiver the other side's offer created: the answer then sends too.
      if (track) this.#senders.set(kind, this.pc.addTrack(track, this.#options.localStream));
    }
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) run();
    }, ms);
    this.#timers.add(timer);
  }

  async #offer(): Promise<void> {
    try {
      this.#makingOffer = true;
      // Without arguments the browser creates the right offer (or answer) for the current state.
      await this.pc.setLocalDescription();
      this.#sendLocalDescription();
    } catch (error) {
      this.#options.log.warn('could not make an offer', {
        peerId: this.peer.id,
        error: describe(error)
      });
    } finally {
      this.#makingOffer = false;
    }
  }

  async #handle({ description, candidate }: SignalPayload): Promise<void> {
    if (this.#closed) return;
    const pc = this.pc;
    if (description) {
      const readyForOffer =
        !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      this.#ignoreOffer = !this.polite && collision;
      if (this.#ignoreOffer) return;
      this.#settingRemoteAnswer = description.type === 'answer';
      try {
        await pc.setRemoteDescription(description);
      } finally {
        this.#settingRemoteAnswer = false;
      }
      if (description.type === 'offer') {
        this.#attach();
        await pc.setLocalDescription();
        this.#sendLocalDescription();
      }
      return;
    }
    if (candidate) {
      try {
        await pc.addIceCandidate(candidate);
      } catch (error) {
        // Candidates of an offer we ignored fail to apply; that is expected.
        if (!this.#ignoreOffer) throw error;
      }
    }
  }

  #sendLocalDescription(): void {
    const local = this.pc.localDescription;
    if (!local || this.#closed) return;
    this.#options.send({ description: { type: local.type, sdp: local.sdp } });
  }

  /**
   * Restarts ICE when the link has negotiated but not connected in time: the
   * stall above, or candidates lost on the way. The polite side waits twice
   * as long, so the two do not restart at once.
   */
  #armWatchdog(): void {
    clearTimeout(this.#watchdog);
    const ms = (this.#options.connectTimeoutMs ?? 8000) * (this.polite ? 2 : 1);
    this.#watchdog = setTimeout(() => {
      if (this.#closed || this.pc.connectionState === 'connected') return;
      // Nobody sends anything on this link (two watchers): there is nothing to connect.
      if (this.pc.remoteDescription && this.pc.localDescription) this.#restartIce();
      if (!this.#gaveUp) this.#armWatchdog();
    }, ms);
  }

  #connectionChanged(): void {
    const state = this.pc.connectionState;
    clearTimeout(this.#graceTimer);
    if (state === 'connected') {
      this.#restarts = 0;
      this.#gaveUp = false;
      clearTimeout(this.#watchdog);
    } else if (state === 'disconnected') {
      // Often a blip that heals by itself; if not, do not wait for `failed` (tens of seconds).
      this.#graceTimer = setTimeout(
        () => {
          if (this.pc.connectionState === 'disconnected') this.#restartIce();
        },
        (this.#options.disconnectedGraceMs ?? 4000) * (this.polite ? 2 : 1)
      );
    }
    // `failed` is answered by the ICE state handler (both events fire; one restart is enough).
    this.#options.onChange();
  }

  #restartIce(): void {
    if (this.#closed) return;
    if (this.#restarts >= this.#maxRestarts) {
      this.#gaveUp = true;
      this.#options.onChange();
      return;
    }
    this.#restarts += 1;
    this.#options.log.warn('restarting ICE', { peerId: this.peer.id, attempt: this.#restarts });
    // Fires `negotiationneeded`: the next offer carries new ICE credentials.
    this.pc.restartIce();
    this.#armWatchdog();
    this.#options.onChange();
  }
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

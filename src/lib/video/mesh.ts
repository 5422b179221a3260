/**
 * The default call: a mesh of RTCPeerConnections (one per other person, up
 * to four people), signalled over the pad's session socket. No server of
 * ours or anyone's carries media; ICE servers are only what the operator
 * configured (none by default: nothing outside is contacted).
 *
 * Peers are sockets. A reload or a reconnect is a new socket: the server
 * tells the others the old one left, and we join again as a new peer.
 */
import type { RtcPeer, SessionRole } from '$realtime/events/contracts';
import { visibleRemotes } from './call-state';
import { deviceIdOf, openMedia as browserOpenMedia, stopStream, type DevicePrefs } from './devices';
import { describe, PeerLink, type TrackKind } from './peer-link';
import { parseSignal, type CallSignaling, type MediaFlags } from './signaling';
import { createStore } from './store';
import {
  consoleLog,
  type Call,
  type CallError,
  type CallLog,
  type CallSnapshot,
  type CallStatus,
  type CallTile
} from './types';

export type MeshCallOptions = {
  signaling: CallSignaling;
  iceServers: RTCIceServer[];
  canPublish: boolean;
  /** How our own tile is labelled. */
  self: { name: string; role: SessionRole };
  prefs: DevicePrefs;
  /** Remembers a device the person picked. */
  savePrefs?: (prefs: DevicePrefs) => void;
  log?: CallLog;
  /** For tests: the browser's getUserMedia path and RTCPeerConnection. */
  openMedia?: typeof browserOpenMedia;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
};

/** A refusal from the session socket, with its code when it has one. */
function codeOf(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : null;
  }
  return null;
}

export function createMeshCall(options: MeshCallOptions): Call {
  const { signaling, canPublish } = options;
  const log = options.log ?? consoleLog;
  const openMedia = options.openMedia ?? browserOpenMedia;
  const createPeerConnection =
    options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
  const rtcConfig: RTCConfiguration = { iceServers: options.iceServers };
  let prefs = { ...options.prefs };

  let status: CallStatus = 'idle';
  let error: CallError | null = null;
  let mediaProblem: CallError | null = null;
  let you: string | null = null;
  /** We want to be in the call: set by join(), cleared by leave(). */
  let wanted = false;
  const links = new Map<string, PeerLink>();
  const tracks: Record<TrackKind, MediaStreamTrack | null> = { audio: null, video: null };
  let micOn = false;
  /** The stream our tracks travel in (one stream id for the others), and our own preview. */
  let localStream: MediaStream | null = null;
  let preview: MediaStream | null = null;
  let stopListening: (() => void) | null = null;
  /** Joins in flight are numbered: an answer for an older attempt is dropped. */
  let attempt = 0;
  /** join() is opening the devices; it joins the call itself once they are open. */
  let preparing = false;

  const store = createStore<CallSnapshot>(build());

  function build(): CallSnapshot {
    const self: CallTile | null =
      status === 'idle' || status === 'left' || status === 'failed'
        ? null
        : {
            id: you ?? 'self',
            name: options.self.name,
            role: options.self.role,
            local: true,
            stream: preview,
            audio: micOn && tracks.audio !== null,
            video: tracks.video !== null,
            link: status === 'connected' ? 'connected' : 'connecting'
          };
    const { remotes, watching } = visibleRemotes([...links.values()].map((link) => link.tile()));
    return {
      mode: 'p2p',
      status,
      error,
      mediaProblem,
      canPublish,
      self,
      remotes,
      watching,
      devices: {
        audioinput: deviceIdOf(tracks.audio ?? undefined) ?? prefs.audioinput,
        videoinput: deviceIdOf(tracks.video ?? undefined) ?? prefs.videoinput
      }
    };
  }
  const publish = () => store.set(build());

  function flags(): MediaFlags {
    return { audio: micOn && tracks.audio !== null, video: tracks.video !== null };
  }

  function tracksChanged(): void {
    const live = [tracks.audio, tracks.video].filter((t): t is MediaStreamTrack => t !== null);
    preview = live.length ? new MediaStream(live) : null;
  }

  // ----- the remote side -----

  /** `initiator`: the peer was there before us (we offer); false: it just joined (it offers). */
  function addLink(peer: RtcPeer, initiator: boolean): void {
    if (!you || peer.id === you) return;
    // A peer that joins again (same socket) has dropped its connections: start afresh too.
    dropLink(peer.id);
    localStream ??= new MediaStream();
    const link = new PeerLink({
      selfId: you,
      peer,
      rtcConfig,
      tracks: { audio: tracks.audio, video: tracks.video },
      initiator,
      localStream,
      log,
      createPeerConnection,
      onChange: publish,
      send: (payload) => {
        signaling.signal(peer.id, payload).catch((err: unknown) => {
          // `not_found`: the peer has just left (its last candidates trickle after it).
          if (codeOf(err) === 'not_found') return;
          log.warn('a signal was refused', { peerId: peer.id, error: describe(err) });
        });
      }
    });
    links.set(peer.id, link);
  }

  function dropLink(peerId: string): void {
    links.get(peerId)?.close();
    links.delete(peerId);
  }

  function dropAllLinks(): void {
    for (const link of links.values()) link.close();
    links.clear();
  }

  const handlers = {
    peerJoined(peer: RtcPeer) {
      if (!wanted || status !== 'connected') return;
      addLink(peer, false);
      publish();
    },
    peerLeft(peerId: string) {
      if (!links.has(peerId)) return;
      dropLink(peerId);
      publish();
    },
    signal(raw: unknown) {
      const parsed = parseSignal(raw);
      if (!parsed.ok) {
        log.warn('refused a malformed signal', { reason: parsed.reason });
        return;
      }
      const { from, ...payload } = parsed.signal;
      const link = links.get(from);
      if (!link) {
        log.warn('refused a signal from someone not in the call', { from });
        return;
      }
      link.receive(payload);
    },
    media(peerId: string, media: MediaFlags) {
      const link = links.get(peerId);
      if (!link) return;
      link.peer = { ...link.peer, ...media };
      publish();
    },
    connection(connected: boolean) {
      if (!wanted) return;
      if (!connected) {
        // The server has told the others we left; our links are dead ends until we are back.
        for (const link of links.values()) link.stale = true;
        if (status === 'connected' || status === 'joining') status = 'reconnecting';
        publish();
        return;
      }
      // Joining with the tracks already in hand: no second join, no renegotiation right after.
      if (preparing) return;
      void enter();
    }
  };

  /** Joins the call over the current socket; again after every reconnect. */
  async function enter(): Promise<void> {
    const mine = ++attempt;
    try {
      const answer = await signaling.join(flags());
      if (mine !== attempt || !wanted) return;
      dropAllLinks();
      you = answer.you;
      status = 'connected';
      error = null;
      for (const peer of answer.peers) addLink(peer, true);
      performance.mark('tandem:video:joined');
      publish();
    } catch (err) {
      if (mine !== attempt || !wanted) return;
      const code = codeOf(err);
      if (code === 'call_full') {
        error = {
          kind: 'call-full',
          message:
            err instanceof Error ? err.message : 'The call is full: at most four people can join.'
        };
        status = 'failed';
        wanted = false;
        releaseMedia();
      } else if (!signaling.connected) {
        // The socket dropped while joining: the connection handler joins again.
        status = 'reconnecting';
      } else {
        log.warn('could not join the call', { error: describe(err) });
        error = { kind: 'unknown', message: 'Could not join the call. Try again.' };
        status = 'failed';
        wanted = false;
        releaseMedia();
      }
      publish();
    }
  }

  // ----- our media -----

  async function open(kinds: TrackKind[]): Promise<void> {
    const { stream, problem } = await openMedia({
      audio: kinds.includes('audio'),
      video: kinds.includes('video'),
      prefs
    });
    for (const track of stream.getTracks()) {
      const kind = track.kind === 'audio' ? 'audio' : 'video';
      if (kind === 'audio') micOn = true;
      await sendTrack(kind, track);
    }
    mediaProblem = problem;
  }

  /** Makes `track` ours for its kind: sent on every link, the previous one stopped. */
  async function sendTrack(kind: TrackKind, track: MediaStreamTrack | null): Promise<void> {
    const previous = tracks[kind];
    tracks[kind] = track;
    if (previous && localStream) localStream.removeTrack(previous);
    if (track) {
      localStream ??= new MediaStream();
      localStream.addTrack(track);
    }
    tracksChanged();
    await Promise.all([...links.values()].map((link) => link.setTrack(kind, track)));
    if (previous && previous !== track) previous.stop();
  }

  function releaseMedia(): void {
    stopStream(localStream);
    for (const kind of ['audio', 'video'] as const) tracks[kind]?.stop();
    tracks.audio = tracks.video = null;
    localStream = null;
    micOn = false;
    tracksChanged();
  }

  function announce(): void {
    if (status !== 'connected') return;
    signaling.media(flags()).catch((err: unknown) => {
      log.warn('could not share the media state', { error: describe(err) });
    });
  }

  return {
    mode: 'p2p',
    snapshot: () => store.get(),
    subscribe: (listener) => store.subscribe(listener),

    async join() {
      if (wanted) return;
      wanted = true;
      status = 'joining';
      error = null;
      mediaProblem = null;
      publish();
      stopListening ??= signaling.listen(handlers);
      preparing = true;
      try {
        if (canPublish) await open(['audio', 'video']);
      } finally {
        preparing = false;
      }
      // Left while the browser was still asking for the devices: let them go again.
      if (!wanted) return releaseMedia();
      publish();
      // Before the socket is up, the connection handler joins.
      if (signaling.connected) await enter();
    },

    async leave() {
      if (!wanted && status !== 'failed') return;
      wanted = false;
      attempt++;
      stopListening?.();
      stopListening = null;
      dropAllLinks();
      releaseMedia();
      you = null;
      status = 'left';
      publish();
      if (signaling.connected) {
        await signaling.leave().catch((err: unknown) => {
          log.warn('could not leave the call cleanly', { error: describe(err) });
        });
      }
    },

    async setMicrophone(on) {
      if (!canPublish) return;
      if (on && !tracks.audio) {
        await open(['audio']);
      } else if (tracks.audio) {
        // Muted: the track stays (no renegotiation) and sends silence.
        tracks.audio.enabled = on;
        micOn = on;
      }
      publish();
      announce();
    },

    async setCamera(on) {
      if (!canPublish) return;
      if (on && !tracks.video) {
        await open(['video']);
      } else if (!on && tracks.video) {
        // replaceTrack(null) stops the frames at once, and stopping the track turns the camera off.
        await sendTrack('video', null);
      }
      publish();
      announce();
    },

    async useDevice(kind, deviceId) {
      prefs = { ...prefs, [kind]: deviceId };
      options.savePrefs?.(prefs);
      const trackKind: TrackKind = kind === 'audioinput' ? 'audio' : 'video';
      if (wanted && tracks[trackKind]) {
        const { stream, problem } = await openMedia({
          audio: trackKind === 'audio',
          video: trackKind === 'video',
          prefs
        });
        const track = stream.getTracks()[0];
        if (track) {
          if (trackKind === 'audio') track.enabled = micOn;
          await sendTrack(trackKind, track);
        } else {
          mediaProblem = problem;
        }
      }
      publish();
    },

    async retryMedia() {
      if (!canPublish || !wanted) return;
      const missing = (['audio', 'video'] as const).filter((kind) => !tracks[kind]);
      if (missing.length) await open(missing);
      publish();
      announce();
    }
  };
}

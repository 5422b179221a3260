/**
 * The call through a LiveKit room, when the operator configured one
 * (docs/video.md): the same `Call` as the mesh, so the same UI. The
 * `livekit-client` bundle is loaded only here, on joining: peer-to-peer
 * pads never download it.
 *
 * Who may publish is in the token the server signed: hiring managers and
 * observers get `canPublish: false` and `hidden`, so they never appear.
 */
import type {
  LocalParticipant,
  Participant,
  RemoteParticipant,
  Room as LiveKitRoom
} from 'livekit-client';
import { SESSION_ROLES, type SessionRole } from '$realtime/events/contracts';
import { visibleRemotes } from './call-state';
import { classifyMediaError, type DevicePrefs } from './devices';
import { describe } from './peer-link';
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

type LiveKitModule = typeof import('livekit-client');

export type LiveKitCallOptions = {
  url: string;
  token: string;
  canPublish: boolean;
  self: { name: string; role: SessionRole };
  prefs: DevicePrefs;
  savePrefs?: (prefs: DevicePrefs) => void;
  log?: CallLog;
  /** For tests: how `livekit-client` is loaded. */
  load?: () => Promise<LiveKitModule>;
};

function roleOf(participant: Participant): SessionRole {
  const role = participant.attributes['role'];
  return SESSION_ROLES.find((r) => r === role) ?? 'interviewer';
}

function unreachable(url: string, detail: string): CallError {
  let where = url;
  try {
    where = new URL(url).host;
  } catch {
    // Keep the URL as configured.
  }
  return {
    kind: 'server-unreachable',
    message: `Could not connect to the video server (${where}). The pad keeps working; try again in a moment.${detail ? ` ${detail}` : ''}`
  };
}

export function createLiveKitCall(options: LiveKitCallOptions): Call {
  const log = options.log ?? consoleLog;
  const load = options.load ?? (() => import('livekit-client'));
  let prefs = { ...options.prefs };
  let room: LiveKitRoom | null = null;
  let status: CallStatus = 'idle';
  let error: CallError | null = null;
  let mediaProblem: CallError | null = null;
  let wanted = false;
  /** One MediaStream per participant, kept while its tracks stay the same (no re-binding). */
  const streams = new Map<string, { key: string; stream: MediaStream }>();

  function streamOf(participant: Participant): MediaStream | null {
    const tracks: MediaStreamTrack[] = [];
    for (const publication of participant.trackPublications.values()) {
      const track = publication.track?.mediaStreamTrack;
      if (track) tracks.push(track);
    }
    if (tracks.length === 0) {
      streams.delete(participant.identity);
      return null;
    }
    const key = tracks.map((t) => t.id).join(',');
    const cached = streams.get(participant.identity);
    if (cached?.key === key) return cached.stream;
    const stream = new MediaStream(tracks);
    streams.set(participant.identity, { key, stream });
    return stream;
  }

  function tileOf(participant: Participant, local: boolean): CallTile {
    return {
      id: participant.identity,
      name: participant.name || participant.identity,
      role: local ? options.self.role : roleOf(participant),
      local,
      stream: streamOf(participant),
      audio: participant.isMicrophoneEnabled,
      video: participant.isCameraEnabled,
      link: participant.connectionQuality === 'lost' ? 'reconnecting' : 'connected'
    };
  }

  function build(): CallSnapshot {
    const current = room;
    const inCall = current !== null && (status === 'connected' || status === 'reconnecting');
    const remoteTiles = inCall
      ? [...current.remoteParticipants.values()].map((p: RemoteParticipant) => tileOf(p, false))
      : [];
    const { remotes, watching } = visibleRemotes(remoteTiles);
    const local: LocalParticipant | null = inCall ? current.localParticipant : null;
    return {
      mode: 'livekit',
      status,
      error,
      mediaProblem,
      canPublish: options.canPublish,
      self: local ? { ...tileOf(local, true), name: options.self.name } : null,
      remotes,
      watching,
      devices: {
        audioinput: current?.getActiveDevice('audioinput') ?? prefs.audioinput,
        videoinput: current?.getActiveDevice('videoinput') ?? prefs.videoinput
      }
    };
  }

  const store = createStore<CallSnapshot>(build());
  const publish = () => store.set(build());

  async function publishMedia(current: LiveKitRoom): Promise<void> {
    if (!options.canPublish) return;
    mediaProblem = null;
    try {
      await current.localParticipant.enableCameraAndMicrophone();
    } catch (err) {
      mediaProblem = classifyMediaError(err);
      // One of the two may still work on its own.
      await current.localParticipant.setMicrophoneEnabled(true).catch(() => undefined);
      await current.localParticipant.setCameraEnabled(true).catch(() => undefined);
    }
  }

  return {
    mode: 'livekit',
    snapshot: () => store.get(),
    subscribe: (listener) => store.subscribe(listener),

    async join() {
      if (wanted) return;
      wanted = true;
      status = 'joining';
      error = null;
      publish();
      let livekit: LiveKitModule;
      try {
        livekit = await load();
      } catch (err) {
        log.warn('could not load the LiveKit client', { error: describe(err) });
        status = 'failed';
        wanted = false;
        error = unreachable(options.url, 'Reload the page to try again.');
        publish();
        return;
      }
      const { Room, RoomEvent } = livekit;
      const current = new Room({
        // Tiles bind raw MediaStreams, so LiveKit cannot see which videos are on screen.
        adaptiveStream: false,
        dynacast: true,
        audioCaptureDefaults: prefs.audioinput ? { deviceId: prefs.audioinput } : undefined,
        // Small tiles, as in the mesh (devices.ts, VIDEO_CAPTURE).
        videoCaptureDefaults: {
          resolution: { width: 640, height: 480, frameRate: 24 },
          ...(prefs.videoinput ? { deviceId: prefs.videoinput } : {})
        }
      });
      room = current;
      for (const event of [
        RoomEvent.ParticipantConnected,
        RoomEvent.ParticipantDisconnected,
        RoomEvent.TrackSubscribed,
        RoomEvent.TrackUnsubscribed,
        RoomEvent.TrackMuted,
        RoomEvent.TrackUnmuted,
        RoomEvent.LocalTrackPublished,
        RoomEvent.LocalTrackUnpublished,
        RoomEvent.ConnectionQualityChanged,
        RoomEvent.ActiveDeviceChanged
      ]) {
        current.on(event, publish);
      }
      current.on(RoomEvent.Reconnecting, () => {
        status = 'reconnecting';
        publish();
      });
      current.on(RoomEvent.Reconnected, () => {
        status = 'connected';
        publish();
      });
      current.on(RoomEvent.Disconnected, () => {
        if (!wanted || room !== current) return;
        wanted = false;
        status = 'failed';
        error = unreachable(options.url, 'The connection was lost.');
        publish();
      });
      current.on(RoomEvent.MediaDevicesError, (err: Error) => {
        mediaProblem = classifyMediaError(err);
        publish();
      });

      try {
        await current.connect(options.url, options.token, { maxRetries: 1 });
      } catch (err) {
        log.warn('could not connect to the video server', { error: describe(err) });
        if (room !== current) return;
        room = null;
        wanted = false;
        status = 'failed';
        error = unreachable(options.url, '');
        publish();
        await current.disconnect().catch(() => undefined);
        return;
      }
      if (room !== current) return;
      status = 'connected';
      performance.mark('tandem:video:joined');
      publish();
      await publishMedia(current);
      publish();
    },

    async leave() {
      wanted = false;
      const current = room;
      room = null;
      streams.clear();
      status = 'left';
      publish();
      await current?.disconnect().catch(() => undefined);
    },

    async setMicrophone(on) {
      if (!room || !options.canPublish) return;
      await room.localParticipant.setMicrophoneEnabled(on);
      publish();
    },

    async setCamera(on) {
      if (!room || !options.canPublish) return;
      await room.localParticipant.setCameraEnabled(on);
      publish();
    },

    async useDevice(kind, deviceId) {
      prefs = { ...prefs, [kind]: deviceId };
      options.savePrefs?.(prefs);
      await room?.switchActiveDevice(kind, deviceId);
      publish();
    },

    async retryMedia() {
      if (room) await publishMedia(room);
      publish();
    }
  };
}

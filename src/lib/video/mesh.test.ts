/**
 * The mesh against a stand-in of the session server's `rtc:*` events (the
 * same ordering: the others hear `peer-joined` before the joiner gets its
 * answer; signals travel as separate messages) and fake peer connections.
 * Media does not flow here; the end-to-end test covers that in Chromium.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RtcPeer, RtcSignal, SessionRole } from '$realtime/events/contracts';
import { createMeshCall } from './mesh';
import type { CallSignaling, MediaFlags, SignalingHandlers } from './signaling';
import {
  asPeerConnection,
  asStream,
  FakeMediaStream,
  FakePeerConnection,
  FakeTrack,
  named
} from './test-fakes';
import type { Call, CallLog } from './types';

type Member = {
  id: string;
  name: string;
  role: SessionRole;
  connected: boolean;
  inCall: boolean;
  media: MediaFlags;
  handlers: SignalingHandlers | null;
};

/** A stand-in for realtime/events: one interview's call. */
function createHub() {
  const members = new Set<Member>();
  let counter = 0;
  const peerOf = (m: Member): RtcPeer => ({
    id: m.id,
    participantId: `participant-${m.name}`,
    name: m.name,
    role: m.role,
    ...m.media
  });
  const inCall = (except?: Member) => [...members].filter((m) => m.inCall && m !== except);
  // Separate messages: delivered after the current task, like frames on a socket.
  const later = (run: () => void) => setTimeout(run, 0);
  const sentMedia: MediaFlags[] = [];

  function socket(name: string, role: SessionRole) {
    const member: Member = {
      id: `${name}-${++counter}`,
      name,
      role,
      connected: true,
      inCall: false,
      media: { audio: false, video: false },
      handlers: null
    };
    members.add(member);
    const leaveCall = () => {
      if (!member.inCall) return;
      member.inCall = false;
      for (const other of inCall()) later(() => other.handlers?.peerLeft(member.id));
    };
    const signaling: CallSignaling = {
      get connected() {
        return member.connected;
      },
      async join(media) {
        const others = inCall(member);
        if (!member.inCall && others.length >= 4) {
          throw Object.assign(new Error('The call is full.'), { code: 'call_full' });
        }
        member.inCall = true;
        member.media = media;
        for (const other of others) other.handlers?.peerJoined(peerOf(member));
        return { you: member.id, peers: others.map(peerOf) };
      },
      async leave() {
        leaveCall();
      },
      async signal(to, payload) {
        const target = inCall(member).find((m) => m.id === to);
        if (!member.inCall || !target) {
          throw Object.assign(new Error('not in the call'), { code: 'not_found' });
        }
        later(() => target.handlers?.signal({ from: member.id, ...payload }));
      },
      async media(media) {
        member.media = media;
        sentMedia.push(media);
        for (const other of inCall(member)) later(() => other.handlers?.media(member.id, media));
      },
      listen(handlers) {
        member.handlers = handlers;
        return () => {
          member.handlers = null;
        };
      }
    };
    return {
      member,
      signaling,
      /** The socket drops and comes back: a new socket id, like socket.io without recovery. */
      drop() {
        member.connected = false;
        leaveCall();
        member.handlers?.connection(false);
      },
      reconnect() {
        member.id = `${name}-${++counter}`;
        member.connected = true;
        member.handlers?.connection(true);
      },
      /** Something arrives as if relayed from `from`. */
      deliver(signal: unknown) {
        member.handlers?.signal(signal as RtcSignal);
      }
    };
  }
  return { socket, members, sentMedia };
}

async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function recordingLog(): CallLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (message) => lines.push(message) };
}

const openedTracks: FakeTrack[] = [];
function fakeOpenMedia(options: { audio: boolean; video: boolean }) {
  const tracks: FakeTrack[] = [];
  if (options.audio) tracks.push(new FakeTrack('audio'));
  if (options.video) tracks.push(new FakeTrack('video'));
  openedTracks.push(...tracks);
  return Promise.resolve({ stream: asStream(new FakeMediaStream(tracks)), problem: null });
}

type Socket = ReturnType<ReturnType<typeof createHub>['socket']>;

function meshFor(socket: Socket, overrides: Partial<Parameters<typeof createMeshCall>[0]> = {}) {
  const log = recordingLog();
  const pcs: FakePeerConnection[] = [];
  const call = createMeshCall({
    signaling: socket.signaling,
    iceServers: [],
    canPublish: socket.member.role === 'interviewer' || socket.member.role === 'candidate',
    self: { name: socket.member.name, role: socket.member.role },
    prefs: { audioinput: null, videoinput: null },
    log,
    openMedia: fakeOpenMedia,
    createPeerConnection: (config) => {
      const pc = new FakePeerConnection(config);
      pcs.push(pc);
      return asPeerConnection(pc);
    },
    ...overrides
  });
  return { call, log, pcs, open: () => pcs.filter((pc) => pc.connectionState !== 'closed') };
}

beforeEach(() => {
  vi.stubGlobal('MediaStream', FakeMediaStream);
  FakePeerConnection.all.length = 0;
  openedTracks.length = 0;
});
afterEach(() => vi.unstubAllGlobals());

async function twoInACall() {
  const hub = createHub();
  const interviewer = hub.socket('ines', 'interviewer');
  const candidate = hub.socket('cleo', 'candidate');
  const a = meshFor(interviewer);
  const b = meshFor(candidate);
  await a.call.join();
  await b.call.join();
  await settle();
  return { hub, interviewer, candidate, a, b };
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error('expected one item');
  return item;
}

describe('the mesh', () => {
  it('negotiates one connection per pair, whoever offers first (perfect negotiation)', async () => {
    const { a, b } = await twoInACall();
    const pa = only(a.open());
    const pb = only(b.open());
    for (const pc of [pa, pb]) {
      expect(pc.signalingState).toBe('stable');
      expect(pc.remoteDescription).not.toBeNull();
      // Our microphone and camera go to the other side.
      expect(pc.senders.map((s) => s.track?.kind).sort()).toEqual(['audio', 'video']);
    }
    const snapshot = a.call.snapshot();
    expect(snapshot.status).toBe('connected');
    expect(snapshot.remotes.map((t) => t.name)).toEqual(['cleo']);
    expect(snapshot.self?.audio && snapshot.self.video).toBe(true);
    expect(a.log.lines.concat(b.log.lines)).toEqual([]);
  });

  it('lets the newcomer offer; whoever was there answers with its tracks (no crossing offers)', async () => {
    const { a, b } = await twoInACall();
    const there = only(a.open());
    const newcomer = only(b.open());
    expect(there.negotiations).toBe(0);
    expect(newcomer.negotiations).toBe(1);
    expect(there.localDescription?.type).toBe('answer');
    expect(there.senders).toHaveLength(2);
  });

  it('resolves crossing offers: the impolite side ignores, the polite side yields', async () => {
    const { a, b } = await twoInACall();
    const pa = only(a.open());
    const pb = only(b.open());
    // Both renegotiate at the same moment (an ICE restart on each side).
    pa.restartIce();
    pb.restartIce();
    await settle();
    expect(pa.signalingState).toBe('stable');
    expect(pb.signalingState).toBe('stable');
    expect(a.log.lines.concat(b.log.lines)).toEqual([]);
  });

  it('refuses malformed signals and strangers, logs them, and keeps the link', async () => {
    const { interviewer, candidate, a } = await twoInACall();
    const pa = only(a.open());
    const remote = pa.remoteDescription;
    interviewer.deliver({ from: 'someone-else', description: { type: 'offer', sdp: 'v=0 fake' } });
    interviewer.deliver({ from: candidate.member.id, description: { type: 'offer', sdp: '<x>' } });
    interviewer.deliver('not even an object');
    interviewer.deliver({
      from: candidate.member.id,
      description: { type: 'offer', sdp: 'v=0\r\nbroken' }
    });
    interviewer.deliver({ from: candidate.member.id, candidate: { candidate: 'candidate:bad' } });
    await settle();
    expect(a.log.lines).toEqual([
      'refused a signal from someone not in the call',
      'refused a malformed signal',
      'refused a malformed signal',
      'refused a signal that could not be applied',
      'refused a signal that could not be applied'
    ]);
    expect(a.open()).toEqual([pa]);
    expect(pa.remoteDescription).toBe(remote);
    expect(pa.signalingState).toBe('stable');
  });

  it('closes the connection when the peer leaves', async () => {
    const { b, a } = await twoInACall();
    const pa = only(a.open());
    await b.call.leave();
    await settle();
    expect(pa.connectionState).toBe('closed');
    expect(a.call.snapshot().remotes).toEqual([]);
    // Leaving releases the camera and microphone.
    expect(only(b.pcs).connectionState).toBe('closed');
    expect(b.call.snapshot().status).toBe('left');
  });

  it('restarts ICE when the connection fails, and shows it failed once restarts run out', async () => {
    const calls = await twoInACall();
    // The impolite side (lower id) restarts at once; the polite one waits to avoid crossing offers.
    const a = calls.interviewer.member.id < calls.candidate.member.id ? calls.a : calls.b;
    const pa = only(a.open());
    pa.reach('connected', 'connected');
    expect(a.call.snapshot().remotes[0]?.link).toBe('connected');
    for (let i = 1; i <= 3; i++) {
      pa.reach('failed', 'failed');
      expect(pa.restarts).toBe(i);
      expect(a.call.snapshot().remotes[0]?.link).toBe('reconnecting');
      await settle();
    }
    pa.reach('failed', 'failed');
    expect(pa.restarts).toBe(3);
    expect(a.call.snapshot().remotes[0]?.link).toBe('failed');
    // Back up: the count starts again.
    pa.reach('connected', 'connected');
    expect(a.call.snapshot().remotes[0]?.link).toBe('connected');
  });

  it('joins again as a new peer after the socket reconnects', async () => {
    const { interviewer, a, b } = await twoInACall();
    const before = only(a.open());
    interviewer.drop();
    await settle();
    expect(a.call.snapshot().status).toBe('reconnecting');
    expect(a.call.snapshot().remotes[0]?.link).toBe('reconnecting');
    expect(b.open()).toEqual([]);

    interviewer.reconnect();
    await settle();
    expect(before.connectionState).toBe('closed');
    const after = only(a.open());
    expect(after).not.toBe(before);
    expect(after.signalingState).toBe('stable');
    expect(only(b.open()).remoteDescription).not.toBeNull();
    expect(a.call.snapshot().status).toBe('connected');
    expect(b.call.snapshot().remotes.map((t) => t.id)).toEqual([interviewer.member.id]);
  });

  it('joins once when the socket connects while the devices are still opening (reload race)', async () => {
    const hub = createHub();
    const interviewer = hub.socket('ines', 'interviewer');
    const a = meshFor(interviewer);
    await a.call.join();
    const candidate = hub.socket('cleo', 'candidate');
    candidate.member.connected = false;
    let release: () => void = () => undefined;
    const b = meshFor(candidate, {
      openMedia: (options) =>
        new Promise((resolve) => {
          release = () => resolve(fakeOpenMedia(options));
        })
    });
    const joining = b.call.join();
    await settle(3);
    candidate.reconnect();
    await settle(3);
    release();
    await joining;
    await settle();
    // One connection on each side, negotiated with the tracks in it from the start.
    expect(b.pcs).toHaveLength(1);
    expect(a.pcs).toHaveLength(1);
    expect(only(b.pcs).senders).toHaveLength(2);
    expect(only(a.pcs).signalingState).toBe('stable');
    expect(a.log.lines.concat(b.log.lines)).toEqual([]);
  });

  it('turns the camera off with replaceTrack(null) and stops it; on again without renegotiating', async () => {
    const { hub, a, b } = await twoInACall();
    const pa = only(a.open());
    const video = pa.senders.find((s) => s.track?.kind === 'video')?.track;
    const negotiations = pa.negotiations;

    await a.call.setCamera(false);
    expect(pa.senders.find((s) => s.track === null)).toBeDefined();
    expect(video?.readyState).toBe('ended');
    expect(a.call.snapshot().self?.video).toBe(false);
    expect(hub.sentMedia.at(-1)).toEqual({ audio: true, video: false });
    await settle();
    expect(b.call.snapshot().remotes[0]?.video).toBe(false);

    await a.call.setCamera(true);
    await settle();
    const again = pa.senders.map((s) => s.track).filter((t) => t?.kind === 'video');
    expect(again).toHaveLength(1);
    expect(again[0]?.readyState).toBe('live');
    expect(pa.senders).toHaveLength(2);
    expect(pa.negotiations).toBe(negotiations);
    expect(b.call.snapshot().remotes[0]?.video).toBe(true);
  });

  it('mutes by disabling the audio track', async () => {
    const { a, b } = await twoInACall();
    const audio = only(a.open()).senders.find((s) => s.track?.kind === 'audio')?.track;
    await a.call.setMicrophone(false);
    await settle();
    expect(audio?.enabled).toBe(false);
    expect(b.call.snapshot().remotes[0]?.audio).toBe(false);
    await a.call.setMicrophone(true);
    expect(audio?.enabled).toBe(true);
  });

  it('lets a hiring manager watch: nothing opened or sent, and not shown to the others', async () => {
    const { hub, a } = await twoInACall();
    const manager = hub.socket('hugo', 'hiring_manager');
    const opened = openedTracks.length;
    const h = meshFor(manager);
    await h.call.join();
    await settle();
    expect(openedTracks.length).toBe(opened);
    expect(h.open()).toHaveLength(2);
    for (const pc of h.open()) {
      expect(pc.senders).toEqual([]);
      expect(pc.signalingState).toBe('stable');
    }
    expect(h.call.snapshot().remotes.map((t) => t.name)).toEqual(['ines', 'cleo']);
    expect(a.call.snapshot().remotes.map((t) => t.name)).toEqual(['cleo']);
    expect(a.call.snapshot().watching).toBe(1);
  });

  it('says the call is full and lets the devices go', async () => {
    const hub = createHub();
    const calls: Call[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      const { call } = meshFor(hub.socket(name, 'candidate'));
      await call.join();
      calls.push(call);
    }
    const fifth = meshFor(hub.socket('e', 'candidate'));
    await fifth.call.join();
    const snapshot = fifth.call.snapshot();
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error?.kind).toBe('call-full');
    expect(openedTracks.slice(-2).every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('joins receive-only when the camera and microphone are refused, and says why', async () => {
    const hub = createHub();
    const b = meshFor(hub.socket('cleo', 'candidate'), {
      openMedia: () =>
        Promise.resolve({
          stream: asStream(new FakeMediaStream()),
          problem: { kind: 'permission-denied', message: 'blocked' }
        })
    });
    await b.call.join();
    const snapshot = b.call.snapshot();
    expect(snapshot.status).toBe('connected');
    expect(snapshot.mediaProblem?.kind).toBe('permission-denied');
    expect(snapshot.self?.audio).toBe(false);
    expect(snapshot.self?.video).toBe(false);
    expect(named('x').name).toBe('x');
  });
});

/**
 * Stand-ins for the browser's media objects in unit tests (Vitest runs in
 * Node, which has no MediaStream or RTCPeerConnection). Only what the call
 * code touches, recorded so tests can look.
 */

export class FakeTrack {
  static count = 0;
  readonly id = `track-${++FakeTrack.count}`;
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId = `${kind}-default`
  ) {}
  stop(): void {
    this.readyState = 'ended';
  }
  getSettings(): { deviceId: string } {
    return { deviceId: this.deviceId };
  }
}

export class FakeMediaStream {
  #tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.#tracks = [...tracks];
  }
  getTracks(): FakeTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.#tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.#tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track: FakeTrack): void {
    if (!this.#tracks.includes(track)) this.#tracks.push(track);
  }
  removeTrack(track: FakeTrack): void {
    this.#tracks = this.#tracks.filter((t) => t !== track);
  }
}

/** `FakeTrack`s where the code expects `MediaStreamTrack`s. */
export function asTrack(track: FakeTrack): MediaStreamTrack {
  return track as unknown as MediaStreamTrack;
}
export function asStream(stream: FakeMediaStream): MediaStream {
  return stream as unknown as MediaStream;
}
export function named(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

export class FakeSender {
  constructor(public track: FakeTrack | null) {}
  async replaceTrack(track: FakeTrack | null): Promise<void> {
    this.track = track;
  }
}

type Description = { type: RTCSdpType; sdp: string };

/**
 * An RTCPeerConnection's negotiation state machine, without media: offers
 * and answers move `signalingState` as the spec says (an offer received in
 * have-local-offer rolls ours back, as setRemoteDescription does); an SDP
 * without "fake" in it, or a candidate with "bad" in it, fails to apply.
 */
export class FakePeerConnection {
  static all: FakePeerConnection[] = [];
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  readonly senders: FakeSender[] = [];
  readonly candidates: RTCIceCandidateInit[] = [];
  restarts = 0;
  negotiations = 0;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: null }) => void) | null = null;
  ontrack: ((event: { track: FakeTrack }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;

  constructor(readonly config: RTCConfiguration) {
    FakePeerConnection.all.push(this);
  }

  #needed = false;

  #negotiationNeeded(): void {
    this.#needed = true;
    // Like the browser: queued, and only fired from the stable state (again once it is back).
    setTimeout(() => this.#fireIfStable(), 0);
  }

  #fireIfStable(): void {
    if (!this.#needed || this.connectionState === 'closed' || this.signalingState !== 'stable')
      return;
    this.#needed = false;
    this.negotiations += 1;
    this.onnegotiationneeded?.();
  }

  #stable(): void {
    this.signalingState = 'stable';
    setTimeout(() => this.#fireIfStable(), 0);
  }

  addTrack(track: FakeTrack): FakeSender {
    const sender = new FakeSender(track);
    this.senders.push(sender);
    this.#negotiationNeeded();
    return sender;
  }

  async setLocalDescription(): Promise<void> {
    await Promise.resolve();
    if (this.signalingState === 'have-remote-offer') {
      // The answer carries the tracks added since the offer (they reuse its transceivers).
      this.#needed = false;
      this.localDescription = { type: 'answer', sdp: 'v=0\r\nfake answer' };
      this.#stable();
    } else {
      this.localDescription = { type: 'offer', sdp: 'v=0\r\nfake offer' };
      this.signalingState = 'have-local-offer';
    }
  }

  async setRemoteDescription(description: Description): Promise<void> {
    await Promise.resolve();
    if (!description.sdp.includes('fake')) throw named('OperationError', 'malformed SDP');
    if (description.type === 'offer') {
      // Implicit rollback of our own offer (the polite side's way out of glare).
      this.signalingState = 'have-remote-offer';
    } else if (description.type === 'answer') {
      if (this.signalingState !== 'have-local-offer') throw named('InvalidStateError');
      this.#stable();
    }
    this.remoteDescription = description;
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    await Promise.resolve();
    if (!this.remoteDescription) throw named('InvalidStateError', 'no remote description');
    if (candidate.candidate?.includes('bad')) throw named('OperationError', 'bad candidate');
    this.candidates.push(candidate);
  }

  restartIce(): void {
    this.restarts += 1;
    this.#negotiationNeeded();
  }

  close(): void {
    this.connectionState = 'closed';
    this.signalingState = 'closed';
  }

  /** The network side: the connection reaches a state. */
  reach(connection: RTCPeerConnectionState, ice: RTCIceConnectionState): void {
    this.connectionState = connection;
    this.iceConnectionState = ice;
    this.oniceconnectionstatechange?.();
    this.onconnectionstatechange?.();
  }
}

export function asPeerConnection(pc: FakePeerConnection): RTCPeerConnection {
  return pc as unknown as RTCPeerConnection;
}

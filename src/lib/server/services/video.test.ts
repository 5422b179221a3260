import { jwtVerify } from 'jose';
import { WebhookEvent } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env';
import { interviewIdOfRoom, roomNameOf, videoConfigFor, type VideoParticipant } from './video';
import { timelineEntryOf } from './video-webhook';

const SECRET = 'unit-test-secret-of-at-least-32-characters';
const INTERVIEW = '3f1c2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const livekitEnv = parseEnv({
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: SECRET,
  VIDEO_TOKEN_TTL_SECONDS: '300'
});

async function grantsOf(token: string) {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
    issuer: 'devkey',
    algorithms: ['HS256']
  });
  return payload;
}

describe('videoConfigFor', () => {
  it('is peer-to-peer with the configured ICE servers when LiveKit is not set', async () => {
    const env = parseEnv({ ICE_SERVERS: '[{"urls":"stun:stun.lan:3478"}]' });
    const participant: VideoParticipant = { id: 'u1', name: 'Ida', role: 'interviewer' };
    expect(await videoConfigFor({ env }, participant, INTERVIEW)).toEqual({
      mode: 'p2p',
      iceServers: [{ urls: 'stun:stun.lan:3478' }],
      canPublish: true
    });
  });

  it.each([
    ['interviewer', true],
    ['candidate', true],
    ['hiring_manager', false],
    ['observer', false]
  ] as const)('LiveKit: a %s publishes: %s', async (role, publishes) => {
    const config = await videoConfigFor(
      { env: livekitEnv },
      { id: `id-${role}`, name: `Name ${role}`, role },
      INTERVIEW
    );
    expect(config).toMatchObject({
      mode: 'livekit',
      url: 'ws://127.0.0.1:7880',
      room: `interview-${INTERVIEW}`,
      canPublish: publishes,
      expiresInSeconds: 300
    });
    if (config.mode !== 'livekit') return;
    const claims = await grantsOf(config.token);
    expect(claims).toMatchObject({
      sub: `id-${role}`,
      name: `Name ${role}`,
      attributes: { role },
      video: {
        roomJoin: true,
        room: `interview-${INTERVIEW}`,
        canPublish: publishes,
        canPublishData: publishes,
        canSubscribe: true,
        canUpdateOwnMetadata: false,
        hidden: !publishes
      }
    });
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(300);
  });

  it('a read-only candidate (the session ended) no longer publishes', async () => {
    const config = await videoConfigFor(
      { env: livekitEnv },
      { id: 'candidate:c1', name: 'Cy', role: 'candidate' },
      INTERVIEW,
      { readOnly: true }
    );
    expect(config.canPublish).toBe(false);
    if (config.mode === 'livekit') {
      expect((await grantsOf(config.token)).video).toMatchObject({
        canPublish: false,
        hidden: false
      });
    }
  });
});

describe('room names', () => {
  it('name one interview and nothing else', () => {
    expect(interviewIdOfRoom(roomNameOf(INTERVIEW))).toBe(INTERVIEW);
    expect(interviewIdOfRoom(`${roomNameOf(INTERVIEW)}x`)).toBeNull();
    expect(interviewIdOfRoom(`x${roomNameOf(INTERVIEW)}`)).toBeNull();
    expect(interviewIdOfRoom('interview-1')).toBeNull();
  });
});

describe('ICE_SERVERS', () => {
  it('defaults to none: nothing outside is contacted', () => {
    expect(parseEnv({}).ICE_SERVERS).toEqual([]);
  });

  it('accepts STUN and TURN servers with credentials (a coturn)', () => {
    const servers = [
      { urls: 'stun:turn.example.com:3478' },
      {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
        username: 'tandem',
        credential: 'secret'
      }
    ];
    expect(parseEnv({ ICE_SERVERS: JSON.stringify(servers) }).ICE_SERVERS).toEqual(servers);
  });

  it.each([
    ['not JSON', 'stun:x'],
    ['an object', '{"urls":"stun:x"}'],
    ['a non-ICE URL', '[{"urls":"https://x"}]'],
    ['TURN without credentials', '[{"urls":"turn:x:3478"}]'],
    ['unknown fields', '[{"urls":"stun:x","user":"a"}]'],
    ['no URLs', '[{"urls":[]}]']
  ])('refuses %s', (_what, value) => {
    expect(() => parseEnv({ ICE_SERVERS: value })).toThrow(/ICE_SERVERS/);
  });
});

describe('video options', () => {
  it('VIDEO_TOKEN_TTL_SECONDS: default 600, maximum 3600', () => {
    expect(parseEnv({}).VIDEO_TOKEN_TTL_SECONDS).toBe(600);
    expect(parseEnv({ VIDEO_TOKEN_TTL_SECONDS: '3600' }).VIDEO_TOKEN_TTL_SECONDS).toBe(3600);
    expect(() => parseEnv({ VIDEO_TOKEN_TTL_SECONDS: '3601' })).toThrow(/VIDEO_TOKEN_TTL_SECONDS/);
  });

  it('LIVEKIT_EGRESS=room needs LiveKit', () => {
    expect(parseEnv({}).LIVEKIT_EGRESS).toBe('off');
    expect(() => parseEnv({ LIVEKIT_EGRESS: 'room' })).toThrow(/LIVEKIT_EGRESS: recording needs/);
    expect(() => parseEnv({ LIVEKIT_EGRESS: 'always' })).toThrow(/LIVEKIT_EGRESS/);
  });
});

describe('timelineEntryOf', () => {
  const room = { name: roomNameOf(INTERVIEW) };
  const event = (json: object) => WebhookEvent.fromJson({ id: 'EV_1', ...json });

  it('records a participant we admitted, with the role from their token', () => {
    expect(
      timelineEntryOf(
        event({
          event: 'participant_joined',
          room,
          participant: { identity: 'candidate:c1', name: 'Cy', attributes: { role: 'candidate' } }
        })
      )
    ).toEqual({
      interviewId: INTERVIEW,
      kind: 'video_joined',
      participantId: 'candidate:c1',
      participantName: 'Cy',
      role: 'candidate',
      staffOnly: false,
      data: { room: room.name, webhookId: 'EV_1' }
    });
  });

  it('keeps a hidden viewer off the candidate’s timeline', () => {
    const viewer = { identity: 'u2', name: 'Hal', attributes: { role: 'hiring_manager' } };
    expect(
      timelineEntryOf(event({ event: 'participant_joined', room, participant: viewer }))
    ).toMatchObject({ kind: 'video_joined', role: 'hiring_manager', staffOnly: true });
  });

  it('ignores participants without our role (Egress, agents) and rooms we did not name', () => {
    const egressBot = { identity: 'EG_abc', name: '', attributes: {} };
    expect(
      timelineEntryOf(event({ event: 'participant_joined', room, participant: egressBot }))
    ).toBeNull();
    const person = { identity: 'u1', name: 'Ida', attributes: { role: 'interviewer' } };
    expect(
      timelineEntryOf(
        event({ event: 'participant_left', room: { name: 'lobby' }, participant: person })
      )
    ).toBeNull();
    expect(
      timelineEntryOf(event({ event: 'track_published', room, participant: person }))
    ).toBeNull();
  });

  it('records recordings for staff only, with where the file went', () => {
    const entry = timelineEntryOf(
      event({
        event: 'egress_ended',
        egressInfo: {
          egressId: 'EG_1',
          roomName: room.name,
          status: 'EGRESS_COMPLETE',
          fileResults: [
            {
              filename: 'tandem/r.mp4',
              location: 's3://bucket/tandem/r.mp4',
              duration: '61500000000',
              size: '1048576'
            }
          ]
        }
      })
    );
    expect(entry).toMatchObject({
      kind: 'recording_ended',
      staffOnly: true,
      data: {
        egressId: 'EG_1',
        status: 'complete',
        filename: 'tandem/r.mp4',
        location: 's3://bucket/tandem/r.mp4',
        durationSeconds: 61.5,
        sizeBytes: 1048576
      }
    });
  });
});

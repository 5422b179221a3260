/**
 * Video through LiveKit, in the real app (docs/video.md). A LiveKit server
 * cannot be installed here, and none is needed: tokens are checked by
 * verifying and decoding the JWT, and webhooks are signed exactly as LiveKit
 * signs them (a JWT in Authorization whose `sha256` claim is the body's hash)
 * and verified by the SDK's real WebhookReceiver. The only "LiveKit" contacted
 * is a fake of the Egress API on 127.0.0.1, which records what it is asked.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTPayload } from 'jose';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoConfigSchema } from '../../src/lib/contracts/video';
import { expectApiError, readResponse, type ApiResponse } from '../helpers/api';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, type Sql } from '../helpers/db';
import { rawPost } from '../helpers/raw-http';
import { createInterview, giveConsent, type CreatedInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';

const API_KEY = 'devkey';
const API_SECRET = 'tandem-test-livekit-secret-0123456789abcdef';
const TTL = 900;

/** The Egress API's two calls we use, over Twirp JSON; `failRooms` answer 500. */
type EgressCall = { method: string; body: Record<string, unknown>; authorized: boolean };
const egress = {
  calls: [] as EgressCall[],
  active: new Map<string, string>(),
  failRooms: new Set<string>()
};
let fakeLiveKit: Server;

let app: TestApp;
let sql: Sql;
let interviewer: SeededActor;
let hiringManager: SeededActor;
let outsider: SeededActor;

async function startFakeLiveKit(): Promise<string> {
  fakeLiveKit = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<
          string,
          unknown
        >;
        const method = request.url?.split('/').pop() ?? '';
        const auth = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        const authorized = await jwtVerify(auth, new TextEncoder().encode(API_SECRET), {
          issuer: API_KEY
        }).then(
          ({ payload }) => (payload.video as { roomRecord?: boolean } | undefined)?.roomRecord,
          () => false
        );
        egress.calls.push({ method, body, authorized: authorized === true });
        const room = String(body.roomName ?? body.room_name ?? '');
        const send = (status: number, payload: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(payload));
        };
        if (method === 'ListEgress') {
          const id = egress.active.get(room);
          send(200, {
            items: id ? [{ egressId: id, roomName: room, status: 'EGRESS_ACTIVE' }] : []
          });
        } else if (method === 'StartRoomCompositeEgress') {
          if (egress.failRooms.has(room)) {
            send(500, { code: 'internal', msg: 'egress unavailable' });
            return;
          }
          const id = `EG_${randomUUID().slice(0, 8)}`;
          egress.active.set(room, id);
          send(200, { egressId: id, roomName: room, status: 'EGRESS_STARTING' });
        } else {
          send(404, { code: 'bad_route', msg: 'no such method' });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => fakeLiveKit.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(fakeLiveKit.address() as AddressInfo).port}`;
}

let livekitUrl: string;

beforeAll(async () => {
  livekitUrl = await startFakeLiveKit();
  app = await startApp({
    env: {
      LIVEKIT_URL: livekitUrl,
      LIVEKIT_API_KEY: API_KEY,
      LIVEKIT_API_SECRET: API_SECRET,
      LIVEKIT_EGRESS: 'room',
      VIDEO_TOKEN_TTL_SECONDS: String(TTL),
      LOG_LEVEL: 'info'
    }
  });
  sql = connectSql(app.databaseUrl ?? '');
  ({ interviewer, hiringManager, outsider } = await seed(app.databaseUrl ?? '', async (s) => {
    const org = await s.org('Video');
    const other = await s.org('Elsewhere');
    return {
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'iv@video.test',
        role: 'interviewer',
        name: 'Ida Interviewer'
      }),
      hiringManager: await s.actor({
        organizationId: org.id,
        email: 'hm@video.test',
        role: 'hiring_manager',
        name: 'Hal Manager'
      }),
      outsider: await s.actor({ organizationId: other.id, email: 'x@else.test', role: 'admin' })
    };
  }));
});

afterAll(async () => {
  await sql?.end();
  await app?.stop();
  await new Promise((resolve) => fakeLiveKit?.close(resolve));
});

const secret = new TextEncoder().encode(API_SECRET);

async function claimsOf(token: string): Promise<JWTPayload & Record<string, unknown>> {
  const { payload } = await jwtVerify(token, secret, { issuer: API_KEY, algorithms: ['HS256'] });
  return payload;
}

async function staffVideo(actor: SeededActor, interviewId: string): Promise<ApiResponse> {
  return app.api(actor.token).post(`/interviews/${interviewId}/video/token`);
}

async function candidateVideo(created: CreatedInterview): Promise<ApiResponse> {
  return readResponse(await app.fetch(`/c/${created.token}/video/token`, { method: 'POST' }));
}

async function livekitConfig(response: ApiResponse) {
  expect(response.status, response.text).toBe(201);
  const config = videoConfigSchema.parse(response.body);
  if (config.mode !== 'livekit') throw new Error(`expected LiveKit mode, got ${response.text}`);
  return { config, claims: await claimsOf(config.token) };
}

describe('tokens: one room per interview, grants by role', () => {
  let created: CreatedInterview;

  beforeAll(async () => {
    created = await createInterview(app.api(interviewer.token));
  });

  it('the interviewer publishes and is seen', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { config, claims } = await livekitConfig(
      await staffVideo(interviewer, created.interview.id)
    );
    const room = `interview-${created.interview.id}`;
    expect(config).toMatchObject({
      mode: 'livekit',
      url: livekitUrl,
      room,
      canPublish: true,
      expiresInSeconds: TTL
    });
    expect(claims).toMatchObject({
      iss: API_KEY,
      sub: interviewer.user.id,
      name: 'Ida Interviewer',
      attributes: { role: 'interviewer' },
      video: {
        room,
        roomJoin: true,
        canPublish: true,
        canPublishData: true,
        canSubscribe: true,
        hidden: false
      }
    });
    // Short-lived: expires within the configured TTL of now.
    expect(claims.exp).toBeGreaterThanOrEqual(before + TTL);
    expect(claims.exp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + TTL);
  });

  it('a hiring manager subscribes only and stays hidden', async () => {
    const { config, claims } = await livekitConfig(
      await staffVideo(hiringManager, created.interview.id)
    );
    expect(config.canPublish).toBe(false);
    expect(claims).toMatchObject({
      sub: hiringManager.user.id,
      attributes: { role: 'hiring_manager' },
      video: {
        room: `interview-${created.interview.id}`,
        roomJoin: true,
        canPublish: false,
        canPublishData: false,
        canSubscribe: true,
        hidden: true
      }
    });
  });

  it('the candidate needs consent, then publishes under candidate:<id>', async () => {
    expectApiError(await candidateVideo(created), 403, 'consent_required');
    await giveConsent(app, created.token);
    const { config, claims } = await livekitConfig(await candidateVideo(created));
    expect(config.canPublish).toBe(true);
    expect(claims).toMatchObject({
      sub: `candidate:${created.interview.candidate.id}`,
      name: created.interview.candidate.name,
      attributes: { role: 'candidate' },
      video: {
        room: `interview-${created.interview.id}`,
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        hidden: false
      }
    });
  });

  it('once the session has ended the candidate may watch, not publish', async () => {
    const ended = await createInterview(app.api(interviewer.token));
    await giveConsent(app, ended.token);
    await sql.query("UPDATE interviews SET status = 'completed' WHERE id = $1", [
      ended.interview.id
    ]);
    const { config, claims } = await livekitConfig(await candidateVideo(ended));
    expect(config.canPublish).toBe(false);
    expect(claims.video).toMatchObject({ canPublish: false, canSubscribe: true });
  });

  it('another organization gets 404, nobody gets 401, a bad link 404', async () => {
    expectApiError(await staffVideo(outsider, created.interview.id), 404, 'not_found');
    expectApiError(
      await app.api(null).post(`/interviews/${created.interview.id}/video/token`),
      401,
      'unauthorized'
    );
    expectApiError(
      await readResponse(await app.fetch(`/c/${'x'.repeat(43)}/video/token`, { method: 'POST' })),
      404,
      'not_found'
    );
  });
});

// --- Webhooks ---------------------------------------------------------------

/** Signs a body as LiveKit does: a JWT from the API key whose sha256 claim is the body's hash. */
async function signature(body: string, key = API_KEY, signingSecret = API_SECRET) {
  const token = new AccessToken(key, signingSecret, { ttl: 300 });
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

async function postWebhook(body: string, authorization?: string): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/webhook+json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return readResponse(
    await app.fetch('/api/v1/livekit/webhook', { method: 'POST', headers, body })
  );
}

function participantEvent(
  event: 'participant_joined' | 'participant_left',
  interviewId: string,
  participant: { identity: string; name: string; role?: string }
) {
  const { role, ...rest } = participant;
  return JSON.stringify({
    event,
    id: `EV_${randomUUID()}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { sid: 'RM_test', name: `interview-${interviewId}` },
    participant: {
      sid: `PA_${randomUUID().slice(0, 8)}`,
      ...rest,
      state: 'ACTIVE',
      attributes: role ? { role } : {},
      permission: { canPublish: role === 'interviewer' || role === 'candidate' }
    }
  });
}

type EventRow = {
  kind: string;
  participant_id: string;
  participant_name: string;
  role: string;
  staff_only: boolean;
  data: Record<string, unknown>;
};

function eventRows(interviewId: string): Promise<EventRow[]> {
  return sql.query<EventRow>(
    'SELECT kind, participant_id, participant_name, role, staff_only, data FROM events WHERE interview_id = $1 ORDER BY id',
    [interviewId]
  );
}

async function until<T>(probe: () => T | Promise<T>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const startsFor = (room: string) =>
  egress.calls.filter((c) => c.method === 'StartRoomCompositeEgress' && c.body.roomName === room);

describe('the webhook', () => {
  let created: CreatedInterview;
  let room: string;

  beforeAll(async () => {
    created = await createInterview(app.api(interviewer.token));
    room = `interview-${created.interview.id}`;
  });

  it('records a signed join on the timeline, without Origin (no CSRF check applies)', async () => {
    const body = participantEvent('participant_joined', created.interview.id, {
      identity: interviewer.user.id,
      name: 'Ida Interviewer',
      role: 'interviewer'
    });
    const response = await postWebhook(body, await signature(body));
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ received: true, recorded: 'video_joined' });
    expect(await eventRows(created.interview.id)).toEqual([
      {
        kind: 'video_joined',
        participant_id: interviewer.user.id,
        participant_name: 'Ida Interviewer',
        role: 'interviewer',
        staff_only: false,
        data: { room, webhookId: expect.stringMatching(/^EV_/) }
      }
    ]);
  });

  it('refuses and logs a tampered body, a wrong secret, a wrong key and a missing signature', async () => {
    const marker = `secret-marker-${randomUUID()}`;
    const body = participantEvent('participant_joined', created.interview.id, {
      identity: interviewer.user.id,
      name: marker,
      role: 'interviewer'
    });
    const before = await eventRows(created.interview.id);
    const tampered = body.replace('participant_joined', 'participant_left');
    const cases: [string, string | undefined, string][] = [
      ['tampered body', await signature(body), tampered],
      [
        'wrong secret',
        await signature(body, API_KEY, 'another-secret-of-at-least-32-chars!'),
        body
      ],
      ['wrong key', await signature(body, 'otherkey'), body],
      ['missing header', undefined, body],
      ['garbage header', 'Bearer not-a-jwt', body]
    ];
    for (const [what, authorization, sent] of cases) {
      const response = await postWebhook(sent, authorization);
      expectApiError(response, 401, 'unauthorized');
      expect(response.text, what).not.toContain(marker);
    }
    expect(await eventRows(created.interview.id)).toEqual(before);
    await until(
      () =>
        app
          .stdout()
          .split('\n')
          .filter((l) => l.includes('LiveKit webhook refused')).length >= 5,
      'five refusals in the log'
    );
    const refusals = app
      .stdout()
      .split('\n')
      .filter((line) => line.includes('LiveKit webhook refused'));
    const reasons = refusals.map((line) => (JSON.parse(line) as { reason: string }).reason);
    expect(reasons).toContain('sha256 checksum of body does not match');
    expect(reasons).toContain('authorization header is empty');
    // The reason, never the body or the signature.
    expect(app.stdout()).not.toContain(marker);
  });

  it('stores a redelivered event once', async () => {
    const body = participantEvent('participant_left', created.interview.id, {
      identity: `candidate:${created.interview.candidate.id}`,
      name: created.interview.candidate.name,
      role: 'candidate'
    });
    const authorization = await signature(body);
    for (let i = 0; i < 2; i++) {
      const response = await postWebhook(body, authorization);
      expect(response.body).toEqual({ received: true, recorded: 'video_left' });
    }
    const left = (await eventRows(created.interview.id)).filter((r) => r.kind === 'video_left');
    expect(left).toEqual([
      expect.objectContaining({
        participant_id: `candidate:${created.interview.candidate.id}`,
        role: 'candidate'
      })
    ]);
  });

  it('answers 200 and records nothing for rooms that are not an interview of ours', async () => {
    const unknownInterview = randomUUID();
    for (const body of [
      participantEvent('participant_joined', unknownInterview, {
        identity: 'u',
        name: 'U',
        role: 'interviewer'
      }),
      JSON.stringify({ event: 'room_started', id: 'EV_x', room: { name: 'some-other-room' } }),
      JSON.stringify({
        event: 'participant_joined',
        id: 'EV_y',
        room: { name: 'lobby' },
        participant: { identity: 'u', attributes: { role: 'interviewer' } }
      })
    ]) {
      const response = await postWebhook(body, await signature(body));
      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({ received: true, recorded: null });
    }
    expect(
      await sql.query('SELECT 1 FROM events WHERE interview_id = $1', [unknownInterview])
    ).toEqual([]);
  });

  it('records recordings for staff only, and the room closing', async () => {
    const started = JSON.stringify({
      event: 'egress_started',
      id: `EV_${randomUUID()}`,
      egressInfo: { egressId: 'EG_abc', roomName: room, status: 'EGRESS_ACTIVE' }
    });
    const ended = JSON.stringify({
      event: 'egress_ended',
      id: `EV_${randomUUID()}`,
      egressInfo: {
        egressId: 'EG_abc',
        roomName: room,
        status: 'EGRESS_COMPLETE',
        fileResults: [
          {
            filename: `tandem/${room}-1.mp4`,
            location: `s3://recordings/tandem/${room}-1.mp4`,
            duration: '125000000000',
            size: '2048'
          }
        ]
      }
    });
    const finished = JSON.stringify({
      event: 'room_finished',
      id: `EV_${randomUUID()}`,
      room: { name: room }
    });
    for (const body of [started, ended, finished]) {
      const response = await postWebhook(body, await signature(body));
      expect(response.status, response.text).toBe(200);
    }
    const rows = (await eventRows(created.interview.id)).slice(-3);
    expect(rows).toEqual([
      {
        kind: 'recording_started',
        participant_id: 'livekit',
        participant_name: 'LiveKit',
        role: 'observer',
        staff_only: true,
        data: { room, webhookId: expect.any(String), egressId: 'EG_abc', status: 'active' }
      },
      {
        kind: 'recording_ended',
        participant_id: 'livekit',
        participant_name: 'LiveKit',
        role: 'observer',
        staff_only: true,
        data: {
          room,
          webhookId: expect.any(String),
          egressId: 'EG_abc',
          status: 'complete',
          filename: `tandem/${room}-1.mp4`,
          location: `s3://recordings/tandem/${room}-1.mp4`,
          durationSeconds: 125,
          sizeBytes: 2048
        }
      },
      expect.objectContaining({ kind: 'video_ended', staff_only: false })
    ]);
  });

  it('answers 405 to other methods and 413 to a body over 1 MB, even one sent without a length', async () => {
    expect((await app.fetch('/api/v1/livekit/webhook')).status).toBe(405);
    const url = `${app.url}/api/v1/livekit/webhook`;
    const headers = { 'content-type': 'application/webhook+json', authorization: 'x.y.z' };
    const size = 1024 * 1024 + 1;
    // Refused on its Content-Length alone, before any of the body is sent.
    const declared = await rawPost(url, headers, { size, chunked: false, sendBody: false });
    expectApiError(declared, 413, 'payload_too_large');
    // Without a length the webhook reads, and stops at the limit.
    expectApiError(await rawPost(url, headers, { size, chunked: true }), 413, 'payload_too_large');
  });
});

describe('recording with Egress (LIVEKIT_EGRESS=room)', () => {
  const join = async (
    interviewId: string,
    who: { identity: string; name: string; role: string }
  ) => {
    const body = participantEvent('participant_joined', interviewId, who);
    const response = await postWebhook(body, await signature(body));
    expect(response.status, response.text).toBe(200);
  };

  it('starts one Room Composite Egress when the first publisher joins', async () => {
    const created = await createInterview(app.api(interviewer.token));
    const room = `interview-${created.interview.id}`;
    // A hidden viewer does not start a recording.
    await join(created.interview.id, {
      identity: hiringManager.user.id,
      name: 'Hal',
      role: 'hiring_manager'
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(startsFor(room)).toEqual([]);
    // Their joining is on the timeline, for staff only.
    expect(await eventRows(created.interview.id)).toEqual([
      expect.objectContaining({ kind: 'video_joined', role: 'hiring_manager', staff_only: true })
    ]);

    await join(created.interview.id, {
      identity: interviewer.user.id,
      name: 'Ida',
      role: 'interviewer'
    });
    await until(() => startsFor(room).length > 0, 'an egress start');
    const [start] = startsFor(room);
    expect(start).toMatchObject({
      authorized: true,
      body: {
        roomName: room,
        layout: 'grid',
        fileOutputs: [expect.objectContaining({ filepath: 'tandem/{room_name}-{time}.mp4' })]
      }
    });

    // The candidate joins next: one recording is already running.
    const lists = () =>
      egress.calls.filter((c) => c.method === 'ListEgress' && c.body.roomName === room);
    const listed = lists().length;
    await join(created.interview.id, {
      identity: `candidate:${created.interview.candidate.id}`,
      name: 'Cy',
      role: 'candidate'
    });
    await until(() => lists().length > listed, 'the second check');
    expect(startsFor(room)).toHaveLength(1);
  });

  it('starts one recording when publishers join at the same moment', async () => {
    const created = await createInterview(app.api(interviewer.token));
    const room = `interview-${created.interview.id}`;
    await Promise.all(
      [0, 1, 2].map((i) =>
        join(created.interview.id, { identity: `u${i}`, name: `P${i}`, role: 'interviewer' })
      )
    );
    await until(() => startsFor(room).length > 0, 'an egress start');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(startsFor(room)).toHaveLength(1);
  });

  it('a failing Egress is logged and the call goes on', async () => {
    const created = await createInterview(app.api(interviewer.token));
    const room = `interview-${created.interview.id}`;
    egress.failRooms.add(room);
    await join(created.interview.id, {
      identity: interviewer.user.id,
      name: 'Ida',
      role: 'interviewer'
    });
    await until(
      () =>
        app
          .stdout()
          .split('\n')
          .some((l) => l.includes('could not start recording') && l.includes(room)),
      'the failure in the log'
    );
    expect((await eventRows(created.interview.id)).map((r) => r.kind)).toEqual(['video_joined']);
    // The interviewer still gets a token: the call does not depend on recording.
    expect((await staffVideo(interviewer, created.interview.id)).status).toBe(201);
  });
});

/**
 * Video without LiveKit: the video endpoints send the browser to the
 * peer-to-peer mesh with the configured ICE servers, and the LiveKit webhook
 * does not exist. (The default, no ICE servers at all, is asserted by the
 * authorization matrix, whose app has no video configuration.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, readResponse } from '../helpers/api';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql } from '../helpers/db';
import { createInterview, giveConsent } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';

const iceServers = [
  { urls: 'stun:turn.example.test:3478' },
  {
    urls: ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349'],
    username: 'tandem',
    credential: 'coturn-password'
  }
];

let app: TestApp;
let interviewer: SeededActor;
let hiringManager: SeededActor;

beforeAll(async () => {
  app = await startApp({
    env: {
      ICE_SERVERS: JSON.stringify(iceServers),
      LIVEKIT_URL: undefined,
      LIVEKIT_API_KEY: undefined,
      LIVEKIT_API_SECRET: undefined
    }
  });
  ({ interviewer, hiringManager } = await seed(app.databaseUrl ?? '', async (s) => {
    const org = await s.org('P2P');
    return {
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'iv@p2p.test',
        role: 'interviewer'
      }),
      hiringManager: await s.actor({
        organizationId: org.id,
        email: 'hm@p2p.test',
        role: 'hiring_manager'
      })
    };
  }));
});

afterAll(async () => {
  await app?.stop();
});

describe('peer-to-peer mode', () => {
  it('staff get the ICE servers; hiring managers do not publish', async () => {
    const created = await createInterview(app.api(interviewer.token));
    const path = `/interviews/${created.interview.id}/video/token`;
    const asInterviewer = await app.api(interviewer.token).post(path);
    expect(asInterviewer.status, asInterviewer.text).toBe(201);
    expect(asInterviewer.body).toEqual({ mode: 'p2p', iceServers, canPublish: true });
    const asManager = await app.api(hiringManager.token).post(path);
    expect(asManager.body).toEqual({ mode: 'p2p', iceServers, canPublish: false });
  });

  it('the candidate after consent; read-only once the session has ended', async () => {
    const created = await createInterview(app.api(interviewer.token));
    const ask = async () =>
      readResponse(await app.fetch(`/c/${created.token}/video/token`, { method: 'POST' }));
    expectApiError(await ask(), 403, 'consent_required');
    await giveConsent(app, created.token);
    const response = await ask();
    expect(response.status, response.text).toBe(201);
    expect(response.body).toEqual({ mode: 'p2p', iceServers, canPublish: true });

    const sql = connectSql(app.databaseUrl ?? '');
    try {
      await sql.query("UPDATE interviews SET status = 'completed' WHERE id = $1", [
        created.interview.id
      ]);
    } finally {
      await sql.end();
    }
    expect((await ask()).body).toEqual({ mode: 'p2p', iceServers, canPublish: false });
  });

  it('the LiveKit webhook answers 404', async () => {
    const body = JSON.stringify({ event: 'room_started', id: 'EV_1' });
    const response = await readResponse(
      await app.fetch('/api/v1/livekit/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', authorization: 'x.y.z' },
        body
      })
    );
    expectApiError(response, 404, 'not_found');
  });
});

/**
 * ARCHITECTURE.md, "Access rules", as a matrix: every staff API endpoint ×
 * every kind of caller → the one status it must get. Denied writes must
 * also leave no trace (same rows, same interview).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, type ApiResponse, type Credential } from '../helpers/api';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, type Sql } from '../helpers/db';
import { seed, type SeededActor } from '../helpers/seed';
import type { Organization } from '../../src/lib/server/services/organizations';
import {
  candidatePageSchema,
  candidateWithInterviewsSchema,
  createInterview,
  getInterview,
  interviewInput,
  interviewPageSchema,
  tokenOf,
  uniqueSuffix,
  type CreatedInterview
} from '../helpers/interviews';
import { interviewSchema, interviewWithLinkSchema } from '../helpers/contracts';
import { z } from 'zod';

const actors = [
  'adminA',
  'interviewerA',
  'hiringManagerA',
  'adminB',
  'anonymous',
  'deactivatedUser',
  'revokedToken',
  'garbageToken',
  'garbageCookie',
  'candidateLink'
] as const;
type ActorName = (typeof actors)[number];

let app: TestApp;
let sql: Sql;
let orgA: Organization;
let orgB: Organization;
let staff: Record<
  'adminA' | 'interviewerA' | 'hiringManagerA' | 'adminB' | 'deactivated',
  SeededActor
>;
let revokedToken: string;
/** An interview of A, its link and its candidate: the targets of the id endpoints. */
let shared: CreatedInterview;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function credentialOf(actor: ActorName): Credential {
  switch (actor) {
    case 'adminA':
    case 'interviewerA':
    case 'hiringManagerA':
    case 'adminB':
      return staff[actor].token;
    case 'deactivatedUser':
      return staff.deactivated.token;
    case 'revokedToken':
      return revokedToken;
    case 'garbageToken':
      // Well-formed (prefix and length of a real token) but never issued.
      return `tdm_${randomBytes(32).toString('base64url')}`;
    case 'garbageCookie':
      return { cookie: `tandem.session_token=${randomBytes(32).toString('base64url')}` };
    case 'candidateLink':
      return shared.token;
    case 'anonymous':
      return null;
  }
}

beforeAll(async () => {
  app = await startApp();
  sql = connectSql(app.databaseUrl ?? '');
  const revoked = await seed(app.databaseUrl ?? '', async (seeder) => {
    [orgA, orgB] = await Promise.all([seeder.org('Org A'), seeder.org('Org B')]);
    const [adminA, interviewerA, hiringManagerA, adminB, deactivated] = await Promise.all([
      seeder.actor({ organizationId: orgA.id, email: 'admin@a.test', role: 'admin' }),
      seeder.actor({ organizationId: orgA.id, email: 'interviewer@a.test', role: 'interviewer' }),
      seeder.actor({ organizationId: orgA.id, email: 'hm@a.test', role: 'hiring_manager' }),
      seeder.actor({ organizationId: orgB.id, email: 'admin@b.test', role: 'admin' }),
      seeder.actor({ organizationId: orgA.id, email: 'gone@a.test', role: 'interviewer' })
    ]);
    staff = { adminA, interviewerA, hiringManagerA, adminB, deactivated };
    const second = await seeder.token(adminA);
    // Both credentials must have worked before, or their 401s would prove nothing.
    expect((await app.api(second.token).get('/me')).status).toBe(200);
    expect((await app.api(deactivated.token).get('/me')).status).toBe(200);
    await seeder.revokeToken(adminA, second.tokenId);
    await seeder.setActive(deactivated, false);
    return second.token;
  });
  revokedToken = revoked;
  shared = await createInterview(app.api(staff.adminA.token));
});

afterAll(async () => {
  await sql?.end();
  await app?.stop();
});

const codeOf = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' } as const;
type DeniedStatus = keyof typeof codeOf;
const isDenied = (status: number): status is DeniedStatus => status in codeOf;

/** Every caller without a valid staff credential gets 401 on every staff endpoint. */
const unauthenticated = {
  anonymous: 401,
  deactivatedUser: 401,
  revokedToken: 401,
  garbageToken: 401,
  garbageCookie: 401,
  candidateLink: 401
} as const;

type Request = { method: 'GET' | 'POST'; path: string; json?: unknown; interviewId?: string };

type Endpoint = {
  name: string;
  /** Builds the request; write endpoints get a fresh interview of A so each cell starts clean. */
  request(): Promise<Request>;
  expected: Record<ActorName, number>;
  /** Extra checks on an allowed call. */
  allowed?(response: ApiResponse, actor: ActorName): void | Promise<void>;
};

let sharedRun: Promise<string> | undefined;
/** One run of A, made on first use: the target of GET /runs/:id. */
function sharedRunOfA(): Promise<string> {
  sharedRun ??= app
    .api(staff.adminA.token)
    .post('/runs', { language: 'python', files: { 'main.py': 'print("shared run")\n' } })
    .then((response) => {
      expect(response.status, response.text).toBe(201);
      return (response.body as { id: string }).id;
    });
  return sharedRun;
}

async function freshInterviewOfA(): Promise<string> {
  return (await createInterview(app.api(staff.adminA.token))).interview.id;
}

const endpoints: Endpoint[] = [
  {
    name: 'GET /me',
    request: async () => ({ method: 'GET', path: '/me' }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 200,
      ...unauthenticated
    },
    allowed(response, actor) {
      const expectations: Partial<
        Record<ActorName, { organizationId: string; role: string; email: string }>
      > = {
        adminA: { organizationId: orgA.id, role: 'admin', email: 'admin@a.test' },
        interviewerA: { organizationId: orgA.id, role: 'interviewer', email: 'interviewer@a.test' },
        hiringManagerA: { organizationId: orgA.id, role: 'hiring_manager', email: 'hm@a.test' },
        adminB: { organizationId: orgB.id, role: 'admin', email: 'admin@b.test' }
      } as const;
      expect(response.body).toMatchObject({ ...expectations[actor], via: 'token' });
    }
  },
  {
    name: 'GET /interviews',
    request: async () => ({ method: 'GET', path: '/interviews?pageSize=100' }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 200,
      ...unauthenticated
    },
    allowed(response, actor) {
      const ids = interviewPageSchema.parse(response.body).items.map((i) => i.id);
      if (actor === 'adminB') expect(ids).not.toContain(shared.interview.id);
      else expect(ids).toContain(shared.interview.id);
    }
  },
  {
    name: 'POST /interviews',
    request: async () => ({ method: 'POST', path: '/interviews', json: interviewInput() }),
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 403,
      adminB: 201,
      ...unauthenticated
    },
    async allowed(response, actor) {
      const { id } = interviewWithLinkSchema.parse(response.body).interview;
      const [row] = await sql.query<{ organization_id: string }>(
        'SELECT organization_id FROM interviews WHERE id = $1',
        [id]
      );
      // Created in the caller's own organization, whatever the body says.
      expect(row?.organization_id).toBe(actor === 'adminB' ? orgB.id : orgA.id);
    }
  },
  {
    name: 'GET /interviews/:id',
    request: async () => ({ method: 'GET', path: `/interviews/${shared.interview.id}` }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      expect(interviewSchema.parse(response.body).id).toBe(shared.interview.id);
    }
  },
  {
    name: 'POST /interviews/:id/cancel',
    request: async () => {
      const id = await freshInterviewOfA();
      return { method: 'POST', path: `/interviews/${id}/cancel`, interviewId: id };
    },
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 403,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      expect(interviewSchema.parse(response.body)).toMatchObject({
        status: 'cancelled',
        link: { state: 'revoked' }
      });
    }
  },
  {
    name: 'POST /interviews/:id/link',
    request: async () => {
      const id = await freshInterviewOfA();
      return { method: 'POST', path: `/interviews/${id}/link`, interviewId: id };
    },
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 403,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      expect(response.body).toMatchObject({
        candidateLink: expect.stringMatching(/\/c\/[A-Za-z0-9_-]{43}$/)
      });
    }
  },
  {
    name: 'POST /interviews/:id/link/revoke',
    request: async () => {
      const id = await freshInterviewOfA();
      return { method: 'POST', path: `/interviews/${id}/link/revoke`, interviewId: id };
    },
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 403,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      expect(interviewSchema.parse(response.body).link.state).toBe('revoked');
    }
  },
  {
    name: 'GET /candidates',
    request: async () => ({ method: 'GET', path: '/candidates?pageSize=100' }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 200,
      ...unauthenticated
    },
    allowed(response, actor) {
      const ids = candidatePageSchema.parse(response.body).items.map((c) => c.id);
      if (actor === 'adminB') expect(ids).not.toContain(shared.interview.candidate.id);
      else expect(ids).toContain(shared.interview.candidate.id);
    }
  },
  {
    name: 'POST /candidates',
    request: async () => ({
      method: 'POST',
      path: '/candidates',
      json: { name: 'New Candidate', email: `new-${uniqueSuffix()}@example.org` }
    }),
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 403,
      adminB: 201,
      ...unauthenticated
    }
  },
  {
    name: 'GET /candidates/:id',
    request: async () => ({ method: 'GET', path: `/candidates/${shared.interview.candidate.id}` }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      const candidate = candidateWithInterviewsSchema.parse(response.body);
      expect(candidate.interviews.map((i) => i.id)).toContain(shared.interview.id);
    }
  },
  {
    name: 'POST /runs',
    request: async () => ({
      method: 'POST',
      path: '/runs',
      json: { language: 'python', files: { 'main.py': 'print("matrix")\n' } }
    }),
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 403,
      adminB: 201,
      ...unauthenticated
    },
    allowed(response) {
      expect(response.body).toMatchObject({ status: 'ok', stdout: 'matrix\n' });
    }
  },
  {
    name: 'GET /runs/:id',
    request: async () => ({ method: 'GET', path: `/runs/${await sharedRunOfA()}` }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      expect(response.body).toMatchObject({ status: 'ok', stdout: 'shared run\n' });
    }
  },
  {
    name: 'GET /languages',
    request: async () => ({ method: 'GET', path: '/languages' }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 200,
      ...unauthenticated
    }
  },
  {
    name: 'POST /interviews/:id/docs/:doc/token',
    request: async () => ({
      method: 'POST',
      path: `/interviews/${shared.interview.id}/docs/code/token`
    }),
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 201,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response, actor) {
      expect(response.body).toMatchObject({ readOnly: actor === 'hiringManagerA' });
    }
  },
  {
    name: 'POST /interviews/:id/session/token',
    request: async () => ({
      method: 'POST',
      path: `/interviews/${shared.interview.id}/session/token`
    }),
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 201,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response, actor) {
      expect(response.body).toMatchObject({
        role: actor === 'hiringManagerA' ? 'hiring_manager' : 'interviewer',
        readOnly: actor === 'hiringManagerA'
      });
    }
  },
  {
    name: 'POST /interviews/:id/video/token',
    request: async () => ({
      method: 'POST',
      path: `/interviews/${shared.interview.id}/video/token`
    }),
    expected: {
      adminA: 201,
      interviewerA: 201,
      hiringManagerA: 201,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response, actor) {
      // No LiveKit and no ICE_SERVERS here: the mesh, and nothing outside contacted.
      expect(response.body).toEqual({
        mode: 'p2p',
        iceServers: [],
        canPublish: actor !== 'hiringManagerA'
      });
    }
  },
  {
    // Authenticated by LiveKit's signature, never by our credentials; this app has no LiveKit.
    name: 'POST /livekit/webhook',
    request: async () => ({
      method: 'POST',
      path: '/livekit/webhook',
      json: { event: 'room_started' }
    }),
    expected: {
      adminA: 404,
      interviewerA: 404,
      hiringManagerA: 404,
      adminB: 404,
      anonymous: 404,
      deactivatedUser: 404,
      revokedToken: 404,
      garbageToken: 404,
      garbageCookie: 404,
      candidateLink: 404
    }
  },
  {
    name: 'GET /interviews/:id/transcript',
    request: async () => ({ method: 'GET', path: `/interviews/${shared.interview.id}/transcript` }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 404,
      ...unauthenticated
    },
    allowed(response) {
      expect(response.body).toMatchObject({ messages: [], evaluation: null });
    }
  },
  {
    name: 'GET /openapi.json (public)',
    request: async () => ({ method: 'GET', path: '/openapi.json' }),
    expected: {
      adminA: 200,
      interviewerA: 200,
      hiringManagerA: 200,
      adminB: 200,
      anonymous: 200,
      deactivatedUser: 200,
      revokedToken: 200,
      garbageToken: 200,
      garbageCookie: 200,
      candidateLink: 200
    },
    allowed(response) {
      expect(response.body).toMatchObject({ openapi: '3.1.0' });
    }
  },
  {
    name: 'GET /no-such-endpoint',
    request: async () => ({ method: 'GET', path: '/no-such-endpoint' }),
    expected: {
      adminA: 404,
      interviewerA: 404,
      hiringManagerA: 404,
      adminB: 404,
      anonymous: 404,
      deactivatedUser: 404,
      revokedToken: 404,
      garbageToken: 404,
      garbageCookie: 404,
      candidateLink: 404
    }
  }
];

/** What a denied request must not change. */
async function snapshot(interviewId: string | undefined) {
  const [interviews, candidates, audit, tokens] = await Promise.all([
    sql.count('interviews'),
    sql.count('candidates'),
    sql.count('audit_log'),
    sql.query('SELECT id, revoked_at FROM api_tokens ORDER BY id')
  ]);
  const interview = interviewId
    ? await sql.query('SELECT * FROM interviews WHERE id = $1', [interviewId])
    : null;
  return { interviews, candidates, audit, tokens, interview };
}

describe.each(endpoints)('$name', (endpoint) => {
  it.each(actors.map((actor) => ({ actor, status: endpoint.expected[actor] })))(
    '$actor → $status',
    async ({ actor, status }) => {
      const request = await endpoint.request();
      const before = isDenied(status) ? await snapshot(request.interviewId) : null;
      const response = await app
        .api(credentialOf(actor))
        .request(
          request.method,
          request.path,
          request.json === undefined ? {} : { json: request.json }
        );
      if (isDenied(status)) {
        expectApiError(response, status, codeOf[status]);
        expect(await snapshot(request.interviewId)).toEqual(before);
      } else {
        expect(response.status, response.text).toBe(status);
        await endpoint.allowed?.(response, actor);
      }
    }
  );
});

describe('the matrix itself', () => {
  it('covers every endpoint the OpenAPI document declares', async () => {
    const response = await app.api(null).get('/openapi.json');
    const document = z
      .object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) })
      .parse(response.body);
    const declared = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map(
        (method) =>
          `${method.toUpperCase()} ${path.replace('{id}', ':id').replace('{doc}', ':doc')}`
      )
    );
    const tested = endpoints.map((e) => e.name);
    for (const operation of declared) expect(tested).toContain(operation);
  });
});

describe('candidate links', () => {
  let x: CreatedInterview;
  let y: CreatedInterview;

  beforeAll(async () => {
    const client = app.api(staff.adminA.token);
    x = await createInterview(client, { title: `Interview X ${uniqueSuffix()}` });
    y = await createInterview(client, { title: `Interview Y ${uniqueSuffix()}` });
  });

  const page = (token: string) => app.fetch(`/c/${token}`);

  it('a link opens its own interview and shows nothing of another', async () => {
    const response = await page(x.token);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(x.interview.title);
    expect(html).not.toContain(y.interview.title);
    expect(html).not.toContain(y.interview.candidate.email);
    expect(html).not.toContain(y.interview.id);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('a candidate token is not an API credential, as Bearer or as a session cookie', async () => {
    const paths = [
      '/me',
      '/interviews',
      `/interviews/${x.interview.id}`,
      `/interviews/${y.interview.id}`
    ];
    for (const credential of [x.token, { cookie: `tandem.session_token=${x.token}` }]) {
      for (const path of paths)
        expectApiError(await app.api(credential).get(path), 401, 'unauthorized');
    }
  });

  it('an expired link answers 410', async () => {
    const z = await createInterview(app.api(staff.adminA.token));
    expect((await page(z.token)).status).toBe(200);
    await sql.query(
      "UPDATE interviews SET invite_expires_at = now() - interval '1 second' WHERE id = $1",
      [z.interview.id]
    );
    expect((await page(z.token)).status).toBe(410);
    expect((await getInterview(app.api(staff.adminA.token), z.interview.id)).link.state).toBe(
      'expired'
    );
  });

  it('a revoked link answers 410, and other links keep working', async () => {
    const client = app.api(staff.adminA.token);
    const z = await createInterview(client);
    expect((await client.post(`/interviews/${z.interview.id}/link/revoke`)).status).toBe(200);
    expect((await page(z.token)).status).toBe(410);
    expect((await page(x.token)).status).toBe(200);
  });

  it("a cancelled interview's link answers 410", async () => {
    const client = app.api(staff.adminA.token);
    const z = await createInterview(client);
    expect((await client.post(`/interviews/${z.interview.id}/cancel`)).status).toBe(200);
    expect((await page(z.token)).status).toBe(410);
  });

  it('a new link replaces the old one', async () => {
    const client = app.api(staff.adminA.token);
    const z = await createInterview(client);
    const rotated = await client.post(`/interviews/${z.interview.id}/link`);
    expect(rotated.status).toBe(201);
    const token = tokenOf(interviewWithLinkSchema.parse(rotated.body).candidateLink);
    expect(token).not.toBe(z.token);
    expect((await page(token)).status).toBe(200);
    // The old token's hash is gone: to the server it is just an unknown token.
    expect((await page(z.token)).status).toBe(404);
  });

  it('an unknown or malformed token answers 404', async () => {
    expect((await page(randomBytes(32).toString('base64url'))).status).toBe(404);
    expect((await page('not-a-token')).status).toBe(404);
    expect((await page(`${x.token}x`)).status).toBe(404);
    expect((await page(x.token.slice(0, -1))).status).toBe(404);
  });

  it('only a hash of the link is stored', async () => {
    const rows = await sql.query<{ invite_token_hash: string }>(
      'SELECT invite_token_hash FROM interviews WHERE id = $1',
      [x.interview.id]
    );
    expect(rows[0]?.invite_token_hash).toBe(sha256(x.token));
  });
});

describe('nobody crosses organizations', () => {
  let ofA: CreatedInterview;

  beforeAll(async () => {
    ofA = await createInterview(app.api(staff.adminA.token));
  });

  it("B's admin finds none of A's interviews or candidates, whatever the filter", async () => {
    const b = app.api(staff.adminB.token);
    const email = ofA.interview.candidate.email;
    for (const path of [
      '/interviews?pageSize=100',
      `/interviews?candidate=${ofA.interview.candidate.id}`,
      `/interviews?candidate=${encodeURIComponent(email)}`,
      '/interviews?status=scheduled&pageSize=100'
    ]) {
      const response = await b.get(path);
      expect(response.status).toBe(200);
      const items = interviewPageSchema.parse(response.body).items;
      expect(items.map((i) => i.id)).not.toContain(ofA.interview.id);
      expect(items.every((i) => i.candidate.email !== email)).toBe(true);
    }
    const candidates = candidatePageSchema.parse(
      (await b.get(`/candidates?q=${encodeURIComponent(email)}`)).body
    );
    expect(candidates).toMatchObject({ items: [], total: 0 });
  });

  it("B's admin gets 404, not 403, for every id of A (existence does not leak)", async () => {
    const b = app.api(staff.adminB.token);
    const id = ofA.interview.id;
    for (const [method, path] of [
      ['GET', `/interviews/${id}`],
      ['POST', `/interviews/${id}/cancel`],
      ['POST', `/interviews/${id}/link`],
      ['POST', `/interviews/${id}/link/revoke`],
      ['GET', `/candidates/${ofA.interview.candidate.id}`]
    ] as const) {
      expectApiError(await b.request(method, path), 404, 'not_found');
    }
    expect((await getInterview(app.api(staff.adminA.token), id)).status).toBe('scheduled');
  });

  it("B may use a candidate email A uses: B gets its own candidate and A's is untouched", async () => {
    const b = app.api(staff.adminB.token);
    const { email, name, id } = ofA.interview.candidate;
    const created = await b.post('/candidates', { name: 'Someone Else', email });
    expect(created.status, created.text).toBe(201);
    const inB = await createInterview(b, { candidate: { name: 'Renamed By B', email } });
    expect(inB.interview.candidate.id).not.toBe(id);
    const inA = candidateWithInterviewsSchema.parse(
      (await app.api(staff.adminA.token).get(`/candidates/${id}`)).body
    );
    expect(inA).toMatchObject({ name, email });
    expect(inA.interviews.map((i) => i.id)).not.toContain(inB.interview.id);
  });
});

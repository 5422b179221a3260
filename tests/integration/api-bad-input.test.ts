/**
 * What the API does with input it must refuse: every refusal is a JSON
 * `{ error: { code, message } }` with the documented status, gives nothing
 * of the server away, and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, expectNoInternals, type ApiClient } from '../helpers/api';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, type Sql } from '../helpers/db';
import {
  candidatePageSchema,
  createInterview,
  interviewInput,
  interviewPageSchema,
  uniqueSuffix
} from '../helpers/interviews';
import { rawPost } from '../helpers/raw-http';
import { seed } from '../helpers/seed';
import { errorBodySchema } from '../helpers/contracts';

const MAX_BODY_BYTES = 1024 * 1024;
const UNKNOWN_ID = '3f0a4c57-1c1e-4d0b-9a53-6c1f2f8f0b4e';

let app: TestApp;
let sql: Sql;
let client: ApiClient;
let token: string;

beforeAll(async () => {
  app = await startApp();
  sql = connectSql(app.databaseUrl ?? '');
  token = await seed(app.databaseUrl ?? '', async (seeder) => {
    const org = await seeder.org('Bad input org');
    return (await seeder.actor({ organizationId: org.id, email: 'admin@bad.test', role: 'admin' }))
      .token;
  });
  client = app.api(token);
});

afterAll(async () => {
  await sql?.end();
  await app?.stop();
});

/** Rows a refused write must not add or change. */
async function counts() {
  const [candidates, interviews, audit] = await Promise.all([
    sql.count('candidates'),
    sql.count('interviews'),
    sql.count('audit_log')
  ]);
  return { candidates, interviews, audit };
}

const postRaw = (path: string, body: string, contentType = 'application/json') =>
  client.request('POST', path, { body, headers: { 'content-type': contentType } });

describe('malformed JSON', () => {
  it.each(['{', '{"kind": "live",}', "{'kind': 'live'}", '', 'NaN', '{"kind": "live"} trailing'])(
    '%j → 400 invalid_json',
    async (body) => {
      const before = await counts();
      expectApiError(await postRaw('/interviews', body), 400, 'invalid_json');
      expectApiError(await postRaw('/candidates', body), 400, 'invalid_json');
      expect(await counts()).toEqual(before);
    }
  );

  it.each(['null', '[]', '"a string"', '42', 'true'])(
    'valid JSON of the wrong shape (%s) → 400 validation_failed',
    async (body) => {
      expectApiError(await postRaw('/interviews', body), 400, 'validation_failed');
      expectApiError(await postRaw('/candidates', body), 400, 'validation_failed');
    }
  );
});

describe('unknown fields and wrong types', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an unknown top-level field', { ...interviewInput(), extra: 1 }, '(body)'],
    [
      'an unknown field in candidate',
      { ...interviewInput(), candidate: { name: 'A', email: 'a@example.org', phone: '1' } },
      'candidate'
    ],
    ['status set by the client', { ...interviewInput(), status: 'completed' }, '(body)'],
    [
      'organizationId set by the client',
      { ...interviewInput(), organizationId: UNKNOWN_ID },
      '(body)'
    ],
    ['an unknown kind', { ...interviewInput(), kind: 'onsite' }, 'kind'],
    ['kind as a number', { ...interviewInput(), kind: 1 }, 'kind'],
    ['a missing kind', { title: 'x', candidate: { name: 'A', email: 'a@example.org' } }, 'kind'],
    ['title as a number', { ...interviewInput(), title: 12 }, 'title'],
    ['an empty title', { ...interviewInput(), title: '   ' }, 'title'],
    ['a title over 200 characters', { ...interviewInput(), title: 'x'.repeat(201) }, 'title'],
    ['candidate as a string', { ...interviewInput(), candidate: 'Ada' }, 'candidate'],
    ['candidate null', { ...interviewInput(), candidate: null }, 'candidate'],
    ['scheduledAt in words', { ...interviewInput(), scheduledAt: 'tomorrow' }, 'scheduledAt'],
    [
      'scheduledAt as epoch seconds',
      { ...interviewInput(), scheduledAt: 1_700_000_000 },
      'scheduledAt'
    ],
    [
      'scheduledAt without a zone',
      { ...interviewInput(), scheduledAt: '2030-01-01T10:00:00' },
      'scheduledAt'
    ],
    [
      'scheduledAt on 30 February',
      { ...interviewInput(), scheduledAt: '2030-02-30T10:00:00Z' },
      'scheduledAt'
    ]
  ];

  it.each(cases)('%s → 400 validation_failed naming the field', async (_label, body, path) => {
    const before = await counts();
    const response = await client.post('/interviews', body);
    expectApiError(response, 400, 'validation_failed');
    const parsed = errorBodySchema.parse(response.body);
    expect(parsed.error.issues?.map((issue) => issue.path)).toContain(path);
    expect(await counts()).toEqual(before);
  });

  it('a __proto__ key → 400, not a polluted object', async () => {
    const body = `{"__proto__": {"admin": true}, ${JSON.stringify(interviewInput()).slice(1)}`;
    const response = await postRaw('/interviews', body);
    expectApiError(response, 400, 'validation_failed');
    expect(errorBodySchema.parse(response.body).error.issues?.map((i) => i.path)).toContain(
      '(body)'
    );
  });

  it('an unknown field on a candidate → 400', async () => {
    expectApiError(
      await client.post('/candidates', {
        name: 'A',
        email: `a-${uniqueSuffix()}@example.org`,
        role: 'admin'
      }),
      400,
      'validation_failed'
    );
  });

  it('scheduledAt may be omitted, null, or an ISO date-time with an offset', async () => {
    for (const scheduledAt of [
      undefined,
      null,
      '2030-01-01T10:00:00Z',
      '2030-01-01T10:00:00+02:00'
    ]) {
      const response = await client.post('/interviews', interviewInput({ scheduledAt }));
      expect(response.status, response.text).toBe(201);
    }
  });
});

describe('content types', () => {
  it('a charset parameter is fine', async () => {
    const response = await postRaw(
      '/interviews',
      JSON.stringify(interviewInput()),
      'application/json; charset=utf-8'
    );
    expect(response.status, response.text).toBe(201);
  });

  it.each(['application/xml', 'application/octet-stream', 'application/jsonp'])(
    '%s → 400 bad_request',
    async (type) => {
      const before = await counts();
      expectApiError(
        await postRaw('/interviews', JSON.stringify(interviewInput()), type),
        400,
        'bad_request'
      );
      expect(await counts()).toEqual(before);
    }
  );

  // Regression test: SvelteKit's CSRF check answers form-like content types (text/plain, what fetch() sends for a string body by default) with a plain-text 403 "Cross-site POST form submissions are forbidden" before the endpoint can answer with the API's JSON 400 bad_request.
  it('text/plain → 400 bad_request as JSON, like any other wrong content type', async () => {
    expectApiError(
      await postRaw('/interviews', JSON.stringify(interviewInput()), 'text/plain'),
      400,
      'bad_request'
    );
  });
});

describe('bodies over 1 MB', () => {
  const url = () => new URL('/api/v1/interviews', app.url).toString();
  const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  /** A JSON body of exactly `size` bytes whose title is far too long: valid JSON, invalid interview. */
  const jsonOfSize = (size: number, chunked: boolean) => ({
    size,
    chunked,
    prefix: '{"kind":"live","candidate":{"name":"Big","email":"big@example.org"},"title":"',
    suffix: '"}'
  });

  it.each([false, true])(
    'exactly 1 MB is read (chunked: %s) and judged on its content',
    async (chunked) => {
      const response = await rawPost(url(), headers(), jsonOfSize(MAX_BODY_BYTES, chunked));
      expectApiError(response, 400, 'validation_failed');
    }
  );

  it('1 MB + 1 byte with a Content-Length → 413 payload_too_large', async () => {
    const before = await counts();
    const response = await rawPost(url(), headers(), {
      ...jsonOfSize(MAX_BODY_BYTES + 1, false),
      sendBody: false
    });
    expectApiError(response, 413, 'payload_too_large');
    expect(await counts()).toEqual(before);
  });

  it('20 MB with a Content-Length is refused on its headers, before any of it is sent', async () => {
    const response = await rawPost(url(), headers(), {
      size: 20 * MAX_BODY_BYTES,
      chunked: false,
      sendBody: false
    });
    expectApiError(response, 413, 'payload_too_large');
  });

  // Regression: the body stream used to be cancelled at 1 MB, which reset the
  // socket before the 413 could be read.
  it('1 MB + 1 byte, chunked → 413 payload_too_large', async () => {
    expectApiError(
      await rawPost(url(), headers(), jsonOfSize(MAX_BODY_BYTES + 1, true)),
      413,
      'payload_too_large'
    );
  });

  it('20 MB, chunked → 413 payload_too_large', async () => {
    expectApiError(
      await rawPost(url(), headers(), { size: 20 * MAX_BODY_BYTES, chunked: true }),
      413,
      'payload_too_large'
    );
  });

  it('an oversized chunked body writes nothing and the server keeps serving', async () => {
    const before = await counts();
    const outcome = await rawPost(url(), headers(), jsonOfSize(MAX_BODY_BYTES + 1, true)).then(
      (response) => response.status,
      (error: unknown) => (error instanceof Error ? error.message : String(error))
    );
    // 413 once the bug above is fixed; a reset today. Never a success.
    expect(outcome === 413 || typeof outcome === 'string', String(outcome)).toBe(true);
    expect(await counts()).toEqual(before);
    expect((await app.fetch('/healthz')).status).toBe(200);
  });

  it('a Content-Length over the limit is refused before authentication is even consulted', async () => {
    const response = await rawPost(
      url(),
      { 'content-type': 'application/json' },
      { size: MAX_BODY_BYTES + 1, chunked: false, sendBody: false }
    );
    expectApiError(response, 413, 'payload_too_large');
  });
});

describe('emails', () => {
  it.each([
    'not-an-email',
    'a@',
    '@example.org',
    'a b@example.org',
    'a@example',
    '',
    `${'a'.repeat(250)}@x.io`
  ])('%j → 400 validation_failed', async (email) => {
    const before = await counts();
    expectApiError(
      await client.post('/candidates', { name: 'A', email }),
      400,
      'validation_failed'
    );
    expectApiError(
      await client.post('/interviews', interviewInput({ candidate: { name: 'A', email } })),
      400,
      'validation_failed'
    );
    expect(await counts()).toEqual(before);
  });

  it('a duplicate candidate email → 409 conflict, whatever its case and spacing', async () => {
    const email = `dup-${uniqueSuffix()}@example.org`;
    const first = await client.post('/candidates', { name: 'First', email });
    expect(first.status, first.text).toBe(201);
    const before = await counts();
    expectApiError(await client.post('/candidates', { name: 'Second', email }), 409, 'conflict');
    expectApiError(
      await client.post('/candidates', { name: 'Third', email: `  ${email.toUpperCase()} ` }),
      409,
      'conflict'
    );
    expect(await counts()).toEqual(before);
    const page = candidatePageSchema.parse((await client.get(`/candidates?q=${email}`)).body);
    expect(page.items.map((c) => c.name)).toEqual(['First']);
  });
});

describe('ids', () => {
  const idPaths = (id: string) =>
    [
      ['GET', `/interviews/${id}`],
      ['POST', `/interviews/${id}/cancel`],
      ['POST', `/interviews/${id}/link`],
      ['POST', `/interviews/${id}/link/revoke`],
      ['GET', `/candidates/${id}`]
    ] as const;

  it.each([UNKNOWN_ID, '00000000-0000-0000-0000-000000000000'])(
    'an unknown id (%s) → 404 not_found everywhere',
    async (id) => {
      for (const [method, path] of idPaths(id))
        expectApiError(await client.request(method, path), 404, 'not_found');
    }
  );

  it.each([
    'abc',
    '123',
    `${UNKNOWN_ID}0`,
    UNKNOWN_ID.replaceAll('-', ''),
    encodeURIComponent("1' OR '1'='1"),
    '%00',
    '..%2F..%2Fetc%2Fpasswd'
  ])('a malformed id (%s) → 404 not_found everywhere, never 500', async (id) => {
    for (const [method, path] of idPaths(id))
      expectApiError(await client.request(method, path), 404, 'not_found');
  });

  it('an unknown path under /api/v1 → 404 JSON', async () => {
    expectApiError(await client.get('/interviews/x/y/z'), 404, 'not_found');
    expectApiError(await client.post('/nothing-here', {}), 404, 'not_found');
  });

  // Regression test: SvelteKit answers a method an endpoint does not export with a plain-text 405 ("DELETE method not allowed"), not the API's error shape.
  it('a method an endpoint does not support gets a JSON error body', async () => {
    const response = await client.request('DELETE', '/interviews');
    expect(errorBodySchema.safeParse(response.body).success, response.text).toBe(true);
  });
});

describe('state changes that are not allowed twice', () => {
  it('cancelling twice → 409, and the first cancellation stands', async () => {
    const { interview } = await createInterview(client);
    expect((await client.post(`/interviews/${interview.id}/cancel`)).status).toBe(200);
    const before = await counts();
    expectApiError(await client.post(`/interviews/${interview.id}/cancel`), 409, 'conflict');
    expect(await counts()).toEqual(before);
    const [row] = await sql.query<{ status: string }>(
      'SELECT status FROM interviews WHERE id = $1',
      [interview.id]
    );
    expect(row?.status).toBe('cancelled');
  });

  it('revoking a link twice → 409', async () => {
    const { interview } = await createInterview(client);
    expect((await client.post(`/interviews/${interview.id}/link/revoke`)).status).toBe(200);
    expectApiError(await client.post(`/interviews/${interview.id}/link/revoke`), 409, 'conflict');
  });

  it('a cancelled interview cannot get a new link (409)', async () => {
    const { interview } = await createInterview(client);
    expect((await client.post(`/interviews/${interview.id}/cancel`)).status).toBe(200);
    expectApiError(await client.post(`/interviews/${interview.id}/link`), 409, 'conflict');
  });
});

describe('lists', () => {
  const marker = `zq${uniqueSuffix()}`;
  let live: string;
  let asynchronous: string;
  let cancelled: string;

  beforeAll(async () => {
    // Created one after another: the list is newest first.
    live = (
      await createInterview(client, {
        kind: 'live',
        candidate: { name: `Ada ${marker}`, email: `ada-${marker}@example.org` }
      })
    ).interview.id;
    asynchronous = (
      await createInterview(client, {
        kind: 'async',
        candidate: { name: `Alan ${marker}`, email: `alan-${marker}@example.org` }
      })
    ).interview.id;
    cancelled = (
      await createInterview(client, {
        kind: 'live',
        candidate: { name: `Grace ${marker}`, email: `grace-${marker}@example.org` }
      })
    ).interview.id;
    expect((await client.post(`/interviews/${cancelled}/cancel`)).status).toBe(200);
  });

  const list = async (query: string) => {
    const response = await client.get(`/interviews?${query}`);
    expect(response.status, response.text).toBe(200);
    return interviewPageSchema.parse(response.body);
  };

  it.each([
    'pageSize=101',
    'pageSize=0',
    'pageSize=-1',
    'pageSize=abc',
    'pageSize=1.5',
    'page=0',
    'page=-3',
    'page=two',
    'status=deleted',
    'kind=onsite',
    `candidate=${'x'.repeat(201)}`
  ])('%s → 400 validation_failed', async (query) => {
    expectApiError(await client.get(`/interviews?${query}`), 400, 'validation_failed');
  });

  it('candidates: pageSize=101 → 400, pageSize=100 → 200', async () => {
    expectApiError(await client.get('/candidates?pageSize=101'), 400, 'validation_failed');
    expect((await client.get('/candidates?pageSize=100')).status).toBe(200);
  });

  it('pageSize=100 is allowed and the defaults are page 1 of 20', async () => {
    expect(await list('pageSize=100')).toMatchObject({ page: 1, pageSize: 100 });
    expect(await list('')).toMatchObject({ page: 1, pageSize: 20 });
  });

  it('pages split the results without gaps or repeats, newest first', async () => {
    const pages = await Promise.all(
      [1, 2, 3].map((page) => list(`candidate=${marker}&pageSize=2&page=${page}`))
    );
    expect(pages.map((p) => p.items.length)).toEqual([2, 1, 0]);
    expect(pages.every((p) => p.total === 3)).toBe(true);
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual([cancelled, asynchronous, live]);
  });

  it('status filters', async () => {
    const onlyCancelled = await list(`status=cancelled&candidate=${marker}`);
    expect(onlyCancelled.items.map((i) => i.id)).toEqual([cancelled]);
    const scheduled = await list('status=scheduled&pageSize=100');
    expect(scheduled.items.every((i) => i.status === 'scheduled')).toBe(true);
    expect(scheduled.items.map((i) => i.id)).toEqual(expect.arrayContaining([live, asynchronous]));
  });

  it('kind filters', async () => {
    expect((await list(`kind=async&candidate=${marker}`)).items.map((i) => i.id)).toEqual([
      asynchronous
    ]);
    expect((await list(`kind=live&candidate=${marker}`)).items.map((i) => i.id)).toEqual([
      cancelled,
      live
    ]);
  });

  it('candidate matches name or email, in any case, and by id', async () => {
    expect(
      (await list(`candidate=${encodeURIComponent(`ALAN ${marker.toUpperCase()}`)}`)).items.map(
        (i) => i.id
      )
    ).toEqual([asynchronous]);
    expect((await list(`candidate=grace-${marker}@example`)).items.map((i) => i.id)).toEqual([
      cancelled
    ]);
    const adaId = (await list(`candidate=ada-${marker}`)).items[0]?.candidate.id ?? '';
    expect((await list(`candidate=${adaId}`)).items.map((i) => i.id)).toEqual([live]);
    expect(await list(`candidate=${UNKNOWN_ID}`)).toMatchObject({ items: [], total: 0 });
  });

  it('LIKE wildcards in the candidate filter are plain text', async () => {
    for (const text of ['%', '_', `${marker}%`, `%${marker}`, '\\']) {
      expect(await list(`candidate=${encodeURIComponent(text)}`)).toMatchObject({
        items: [],
        total: 0
      });
    }
  });

  it('filters combine', async () => {
    expect(await list(`candidate=${marker}&kind=async&status=cancelled`)).toMatchObject({
      items: [],
      total: 0
    });
  });
});

describe('a failed create writes nothing', () => {
  it('a refused create leaves no candidate behind', async () => {
    const email = `ghost-${uniqueSuffix()}@example.org`;
    const before = await counts();
    expectApiError(
      await client.post('/interviews', {
        ...interviewInput({ candidate: { name: 'Ghost', email } }),
        kind: 'onsite'
      }),
      400,
      'validation_failed'
    );
    expect(await counts()).toEqual(before);
    expect(candidatePageSchema.parse((await client.get(`/candidates?q=${email}`)).body).total).toBe(
      0
    );
  });

  // These inputs pass validation but fail inside the transaction, after the
  // candidate row has been written: the transaction must take it back.
  it.each([
    ['a year PostgreSQL cannot store', { scheduledAt: '0000-01-01T00:00:00Z' }],
    ['a NUL character in the title', { title: 'Pairing \u0000 session' }]
  ])('%s: no candidate, interview or audit row survives', async (_label, overrides) => {
    const email = `half-${uniqueSuffix()}@example.org`;
    const before = await counts();
    const response = await client.post(
      '/interviews',
      interviewInput({ ...overrides, candidate: { name: 'Half', email } })
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(errorBodySchema.safeParse(response.body).success, response.text).toBe(true);
    expectNoInternals(response);
    expect(await counts()).toEqual(before);
  });

  // Regression test: these are the client's mistakes, yet they reach PostgreSQL and come back as 500 internal_error instead of 400 validation_failed.
  it('scheduledAt in year 0 → 400 validation_failed, not 500', async () => {
    expectApiError(
      await client.post('/interviews', interviewInput({ scheduledAt: '0000-01-01T00:00:00Z' })),
      400,
      'validation_failed'
    );
  });

  it('a NUL character in a text field → 400 validation_failed, not 500', async () => {
    expectApiError(
      await client.post('/candidates', {
        name: 'Nul \u0000 Name',
        email: `nul-${uniqueSuffix()}@example.org`
      }),
      400,
      'validation_failed'
    );
  });
});

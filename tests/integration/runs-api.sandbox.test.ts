/**
 * POST /api/v1/runs and GET /api/v1/runs/:id against the real app with its
 * in-process sandbox: results, live NDJSON output, bad input refused before
 * any run starts, and who may run and read what.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchema, type Run } from '../../src/lib/contracts/runs';
import { expectApiError } from '../helpers/api';
import { startApp, type TestApp } from '../helpers/app';
import { seed, type SeededActor } from '../helpers/seed';

let app: TestApp;
let admin: SeededActor;
let interviewer: SeededActor;
let hiringManager: SeededActor;
let outsider: SeededActor;
let interviewId: string;

beforeAll(async () => {
  app = await startApp();
  ({ admin, interviewer, hiringManager, outsider } = await seed(app.databaseUrl!, async (s) => {
    const org = await s.org('Runs A');
    const other = await s.org('Runs B');
    return {
      admin: await s.actor({ organizationId: org.id, email: 'admin@runs-a.test', role: 'admin' }),
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'interviewer@runs-a.test',
        role: 'interviewer'
      }),
      hiringManager: await s.actor({
        organizationId: org.id,
        email: 'hm@runs-a.test',
        role: 'hiring_manager'
      }),
      outsider: await s.actor({
        organizationId: other.id,
        email: 'admin@runs-b.test',
        role: 'admin'
      })
    };
  }));
  const created = await app.api(admin.token).post('/interviews', {
    kind: 'live',
    title: 'Runs interview',
    candidate: { name: 'Runner', email: 'runner@example.com' }
  });
  interviewId = (created.body as { interview: { id: string } }).interview.id;
});

afterAll(async () => {
  await app?.stop();
});

async function countRuns(): Promise<number> {
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM runs');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

const hello = {
  language: 'python',
  files: { 'main.py': 'print(input()[::-1])\n' },
  stdin: 'olleh\n'
};

describe('POST /api/v1/runs', () => {
  it('runs the program and records the run', async () => {
    const response = await app.api(interviewer.token).post('/runs', { ...hello, interviewId });
    expect(response.status, response.text).toBe(201);
    const run = runSchema.parse(response.body);
    expect(run.status).toBe('ok');
    expect(run.stdout).toBe('hello\n');
    expect(run.exitCode).toBe(0);
    expect(run.interviewId).toBe(interviewId);
    expect(run.wallMs).toBeGreaterThan(0);
    expect(response.headers.get('location')).toBe(`/api/v1/runs/${run.id}`);

    const fetched = await app.api(hiringManager.token).get(`/runs/${run.id}`);
    expect(fetched.status).toBe(200);
    expect(runSchema.parse(fetched.body)).toEqual(run);
  });

  it('reports what the program did, not an HTTP error, when the program fails', async () => {
    const response = await app.api(admin.token).post('/runs', {
      language: 'python',
      files: { 'main.py': 'import sys\nprint("partial")\nsys.exit(3)\n' }
    });
    expect(response.status).toBe(201);
    const run = runSchema.parse(response.body);
    expect(run.status).toBe('runtime_error');
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('partial\n');
  });

  it('gives compile errors with the compiler output', async () => {
    const response = await app.api(admin.token).post('/runs', {
      language: 'c',
      files: { 'main.c': 'int main(void) { return missing; }\n' }
    });
    const run = runSchema.parse(response.body);
    expect(run.status).toBe('compile_error');
    expect(run.compileOutput).toMatch(/missing/);
  });

  it('runs hidden tests and reports each case', async () => {
    const response = await app.api(admin.token).post('/runs', {
      language: 'python',
      files: { 'main.py': 'a, b = map(int, input().split())\nprint(a + b)\n' },
      tests: [
        { id: 'small', stdin: '1 2\n', expectedStdout: '3\n' },
        { id: 'hidden', stdin: '40 2\n', expectedStdout: '42\n', hidden: true },
        { id: 'wrong', stdin: '1 1\n', expectedStdout: '3\n' }
      ]
    });
    const run = runSchema.parse(response.body);
    const cases = (run.tests ?? []) as { id: string; passed: boolean }[];
    expect(cases.map((c) => [c.id, c.passed])).toEqual([
      ['small', true],
      ['hidden', true],
      ['wrong', false]
    ]);
  });

  it('streams output as NDJSON before the result when asked', async () => {
    const response = await fetch(new URL('/api/v1/runs', app.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': 'application/json',
        accept: 'application/x-ndjson'
      },
      body: JSON.stringify({
        language: 'python',
        files: {
          'main.py': 'import sys\nfor i in range(3):\n    print(i)\n    sys.stdin.readline()\n'
        },
        stdin: '\n\n\n'
      })
    });
    expect(response.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string; run?: Run });
    const last = events.at(-1);
    expect(last?.type).toBe('result');
    const output = events
      .filter((e) => e.type === 'output')
      .map((e) => e.data)
      .join('');
    expect(output).toBe('0\n1\n2\n');
    expect(events.findIndex((e) => e.type === 'output')).toBeLessThan(events.length - 1);
    expect(last?.run?.stdout).toBe('0\n1\n2\n');
  });
});

describe('bad input is refused before any run starts', () => {
  const cases: [string, unknown, number, string][] = [
    ['unknown language', { language: 'cobol', files: { 'a.cob': 'x' } }, 400, 'unknown_language'],
    ['empty files', { language: 'python', files: {} }, 400, 'validation_failed'],
    [
      'a path with ..',
      { language: 'python', files: { '../x.py': 'print(1)' } },
      400,
      'validation_failed'
    ],
    [
      'an absolute path',
      { language: 'python', files: { '/etc/x.py': 'print(1)' } },
      400,
      'validation_failed'
    ],
    [
      'a file over the size limit',
      { language: 'python', files: { 'main.py': '#'.repeat(300 * 1024) } },
      400,
      'validation_failed'
    ],
    [
      'limits above the maximum',
      { language: 'python', files: { 'main.py': 'print(1)' }, limits: { wallMs: 10_000_000 } },
      422,
      'limit_exceeded'
    ],
    [
      'invalid UTF-8 in stdin (a lone surrogate)',
      { language: 'python', files: { 'main.py': 'print(1)' }, stdin: '\ud800' },
      400,
      'validation_failed'
    ],
    [
      'an unknown field',
      { language: 'python', files: { 'main.py': 'print(1)' }, shell: true },
      400,
      'validation_failed'
    ],
    [
      'a malformed interview id',
      { language: 'python', files: { 'main.py': 'print(1)' }, interviewId: 'x' },
      400,
      'validation_failed'
    ]
  ];

  it.each(cases)('%s', async (_name, body, status, code) => {
    const before = await countRuns();
    const response = await app.api(admin.token).post('/runs', body);
    expectApiError(response, status, code as Parameters<typeof expectApiError>[2]);
    expect(await countRuns()).toBe(before);
  });
});

describe('who may run and read', () => {
  it('refuses anonymous callers', async () => {
    expectApiError(await app.api(null).post('/runs', hello), 401, 'unauthorized');
  });

  it('lets hiring managers read but not run', async () => {
    expectApiError(await app.api(hiringManager.token).post('/runs', hello), 403, 'forbidden');
  });

  it('hides runs and interviews of other organizations', async () => {
    const mine = runSchema.parse((await app.api(admin.token).post('/runs', hello)).body);
    expectApiError(await app.api(outsider.token).get(`/runs/${mine.id}`), 404, 'not_found');
    expectApiError(
      await app.api(outsider.token).post('/runs', { ...hello, interviewId }),
      404,
      'not_found'
    );
  });

  it('lists languages with their availability', async () => {
    const response = await app.api(hiringManager.token).get('/languages');
    expect(response.status).toBe(200);
    const items = (response.body as { items: { id: string; available: boolean }[] }).items;
    expect(items.map((l) => l.id).sort()).toEqual(
      ['bash', 'c', 'cpp', 'go', 'java', 'javascript', 'python', 'sql', 'typescript'].sort()
    );
    expect(items.find((l) => l.id === 'python')?.available).toBe(true);
  });
});

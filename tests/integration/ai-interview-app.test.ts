/**
 * The asynchronous AI interview through the real app, on the offline engine:
 * start, answers (JSON and streamed), refusals, the end, the evaluation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadLibrary } from '../../interviewer/index';
import { NodeWebSocket, synced } from '../../realtime/test-harness';
import { readCode } from '../../src/lib/pad/code-doc';
import type { AiInterviewView, AnswerStreamEvent } from '../../src/lib/contracts/ai-interview';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, createTestDatabase, type TestDatabase } from '../helpers/db';
import { createInterview, giveConsent, type CreatedInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';

let database: TestDatabase;
let app: TestApp;
let interviewer: SeededActor;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startApp({ database });
  ({ interviewer } = await seed(database.url, async (s) => {
    const org = await s.org('Async');
    return {
      interviewer: await s.actor({
        organizationId: org.id,
        email: 'iv@async.test',
        role: 'interviewer'
      })
    };
  }));
});

afterAll(async () => {
  await app?.stop();
  await database?.drop();
});

async function asyncInterview(): Promise<CreatedInterview> {
  const created = await createInterview(app.api(interviewer.token), { kind: 'async' });
  await giveConsent(app, created.token);
  return created;
}

async function call(
  created: CreatedInterview,
  path: string,
  body?: unknown
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await app.fetch(`/c/${created.token}/interview${path}`, {
    method: body === undefined && path === '' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const viewOf = (r: { json: Record<string, unknown> }) => r.json as unknown as AiInterviewView;
const lastId = (view: AiInterviewView) => view.messages.at(-1)?.id ?? null;

const strongAnswer =
  'I would add a version in the URL path and keep old fields backward compatible, using an idempotency key with a unique constraint, retries with exponential backoff and jitter, a transaction with the outbox pattern, cache invalidation with a TTL, and metrics, logs and traces with alerts on error rate and latency.';

describe('AI interviews in the app', () => {
  it('starts once, answers, refuses stale and bad messages, and resumes after a reload', async () => {
    const created = await asyncInterview();
    const before = viewOf(await call(created, ''));
    expect(before.status).toBe('not_started');

    const started = viewOf(await call(created, '/start', {}));
    expect(started.status).toBe('in_progress');
    expect(started.messages).toHaveLength(1);
    expect(started.messages[0]?.speaker).toBe('interviewer');
    expect(started.sections.map((s) => s.state)[0]).toBe('current');
    expect(started.deadlineAt).not.toBeNull();
    // Idempotent: a second start (another tab) changes nothing.
    expect(viewOf(await call(created, '/start', {})).messages).toHaveLength(1);

    const empty = await call(created, '/messages', { text: '   ', after: lastId(started) });
    expect(empty.status).toBe(400);
    expect(empty.json).toMatchObject({ error: { code: 'validation_failed' } });
    const huge = await call(created, '/messages', {
      text: 'x'.repeat(4001),
      after: lastId(started)
    });
    expect(huge.status).toBe(400);

    const answered = await call(created, '/messages', {
      text: strongAnswer,
      after: lastId(started)
    });
    expect(answered.status).toBe(200);
    const afterAnswer = viewOf(answered);
    expect(afterAnswer.messages.map((m) => m.speaker)).toEqual([
      'interviewer',
      'candidate',
      'interviewer'
    ]);
    expect(afterAnswer.messages[1]?.text).toBe(strongAnswer);

    // A stale tab still pointing at the first message is refused, and nothing is lost.
    const stale = await call(created, '/messages', {
      text: 'from the old tab',
      after: lastId(started)
    });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ error: { code: 'conflict' } });

    const reloaded = viewOf(await call(created, ''));
    expect(reloaded.messages.map((m) => m.id)).toEqual(afterAnswer.messages.map((m) => m.id));
  });

  it('streams the interviewer’s reply as NDJSON and stores it even when the reader leaves', async () => {
    const created = await asyncInterview();
    const started = viewOf(await call(created, '/start', {}));
    const response = await app.fetch(`/c/${created.token}/interview/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/x-ndjson',
        origin: app.url
      },
      body: JSON.stringify({ text: strongAnswer, after: lastId(started) })
    });
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AnswerStreamEvent);
    expect(events[0]).toMatchObject({ type: 'candidate', message: { text: strongAnswer } });
    const tokens = events
      .filter((e) => e.type === 'token')
      .map((e) => e.text)
      .join('');
    const final = events.at(-1);
    if (final?.type !== 'view') throw new Error(`ended with ${JSON.stringify(final)}`);
    expect(tokens).toBe(final.view.messages.at(-1)?.text);

    // The reader goes away as soon as its message is stored; the reply is stored all the same.
    const controller = new AbortController();
    const dropped = await app.fetch(`/c/${created.token}/interview/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/x-ndjson',
        origin: app.url
      },
      body: JSON.stringify({ text: 'I am not sure.', after: lastId(final.view) }),
      signal: controller.signal
    });
    const reader = dropped.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"type":"candidate"');
    controller.abort();
    const deadline = Date.now() + 10_000;
    let view = viewOf(await call(created, ''));
    while (view.messages.length < final.view.messages.length + 2) {
      if (Date.now() > deadline) throw new Error('the reply to a dropped request was not stored');
      await new Promise((resolve) => setTimeout(resolve, 50));
      view = viewOf(await call(created, ''));
    }
    expect(view.messages.at(-1)?.speaker).toBe('interviewer');
  });

  it('runs to the end, refuses messages afterwards, and shows staff the transcript and evaluation', async () => {
    const created = await asyncInterview();
    let view = viewOf(await call(created, '/start', {}));
    for (let turn = 0; turn < 120 && view.status !== 'finished'; turn++) {
      const text = turn % 3 === 2 ? "I don't know." : strongAnswer;
      const answered = await call(created, '/messages', { text, after: lastId(view) });
      expect(answered.status, JSON.stringify(answered.json)).toBe(200);
      view = viewOf(answered);
    }
    expect(view.status).toBe('finished');
    const late = await call(created, '/messages', { text: 'one more thing', after: lastId(view) });
    expect(late.status).toBe(409);

    const staff = app.api(interviewer.token);
    const deadline = Date.now() + 15_000;
    let transcript = (await staff.get(`/interviews/${created.interview.id}/transcript`)).body as {
      messages: { speaker: string; questionId?: string }[];
      evaluation: { scores: { score: number; evidence: string[] }[]; summary: string } | null;
    };
    while (!transcript.evaluation) {
      if (Date.now() > deadline) throw new Error('no evaluation was stored');
      await new Promise((resolve) => setTimeout(resolve, 100));
      transcript = (await staff.get(`/interviews/${created.interview.id}/transcript`))
        .body as typeof transcript;
    }
    expect(transcript.messages.length).toBe(view.messages.length);
    expect(transcript.messages.some((m) => m.questionId)).toBe(true);
    expect(transcript.evaluation.scores.length).toBeGreaterThan(0);
    for (const score of transcript.evaluation.scores) {
      expect(score.score).toBeGreaterThanOrEqual(1);
      expect(score.score).toBeLessThanOrEqual(4);
      // Evidence is verbatim candidate text.
      for (const quote of score.evidence) expect(strongAnswer + " I don't know.").toContain(quote);
    }
    const interview = (await staff.get(`/interviews/${created.interview.id}`)).body as {
      status: string;
    };
    expect(interview.status).toBe('completed');
  });

  it('wraps up and scores an interview the candidate abandoned, once past its deadline', async () => {
    const created = await asyncInterview();
    const started = viewOf(await call(created, '/start', {}));
    await call(created, '/messages', { text: strongAnswer, after: lastId(started) });
    const sql = connectSql(database.url);
    try {
      await sql.query(
        "UPDATE ai_interviews SET deadline_at = now() - interval '1 minute' WHERE interview_id = $1",
        [created.interview.id]
      );
    } finally {
      await sql.end();
    }
    const staff = app.api(interviewer.token);
    const read = async () =>
      (await staff.get(`/interviews/${created.interview.id}/transcript`)).body as {
        finishedAt: string | null;
        messages: { speaker: string; action?: string }[];
        evaluation: unknown;
      };
    const first = await read();
    expect(first.finishedAt).not.toBeNull();
    expect(first.messages.at(-1)).toMatchObject({ speaker: 'interviewer', action: 'wrap_up' });
    const deadline = Date.now() + 15_000;
    while (!(await read()).evaluation) {
      if (Date.now() > deadline) throw new Error('the abandoned interview was not scored');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(viewOf(await call(created, '')).status).toBe('finished');
  });

  it('shows the sections before the start, and starts the coding pad with the task’s starter code', async () => {
    const created = await asyncInterview();
    const before = viewOf(await call(created, ''));
    expect(before.sections.map((s) => s.state)).toEqual(['upcoming', 'upcoming', 'upcoming']);
    expect(before.sections.at(-1)?.kind).toBe('coding');
    await call(created, '/start', {});
    const response = await app.fetch(`/c/${created.token}/docs/code/token`, { method: 'POST' });
    const { token } = (await response.json()) as { token: string };
    const pad = new WebsocketProvider(
      `${app.url.replace('http', 'ws')}/yjs/${created.interview.id}`,
      'code',
      new Y.Doc(),
      { WebSocketPolyfill: NodeWebSocket, params: { token }, disableBc: true }
    );
    try {
      await synced(pad);
      const task = [...loadLibrary().questions.values()].find((q) => q.kind === 'coding');
      if (!task || task.kind !== 'coding') throw new Error('the library has no coding task');
      expect(readCode(pad.doc)).toEqual({
        language: 'python',
        entry: 'main.py',
        files: { 'main.py': task.starter.python }
      });
    } finally {
      pad.destroy();
    }
  });

  it('is refused to a live interview’s link and before consent', async () => {
    const live = await createInterview(app.api(interviewer.token), { kind: 'live' });
    const early = await call(live, '');
    expect(early.status).toBe(403);
    expect(early.json).toMatchObject({ error: { code: 'consent_required' } });
    await giveConsent(app, live.token);
    expect((await call(live, '/start', {})).status).toBe(404);
  });
});

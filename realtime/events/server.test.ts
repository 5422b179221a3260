import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, waitFor as waitUntil } from '../test-harness';
import type { PadRun } from './contracts';
import { createMemorySessionStore, type MemorySessionStore } from './memory-store';
import { createSessionServer, type SessionServer } from './server';
import { ask, joinSession, type JoinedSession, type SessionClient } from './test-client';
import type { RunGateway } from './store';
import { createSessionTokens, type SessionClaims } from './tokens';

const secret = 'x'.repeat(40);
const tokens = createSessionTokens({ secret });
const library = [
  { id: 'q1', title: 'Rate limiter', prompt: 'Build a token bucket.' },
  { id: 'q2', title: 'LRU cache', prompt: 'Build an LRU cache.' }
];

/** Prints its stdin back line by line, like a tiny program would, and honours cancel. */
const echoRuns: RunGateway = {
  async start(context, input, hooks) {
    const run: PadRun = {
      id: randomUUID(),
      byId: context.participantId,
      byName: context.participantName,
      language: 'python',
      entry: 'main.py',
      status: 'running',
      exitCode: null,
      wallMs: null,
      memoryKb: null,
      stdout: '',
      stderr: '',
      compileOutput: '',
      startedAt: new Date().toISOString(),
      finishedAt: null
    };
    hooks.onStarted(run);
    let stdout = '';
    for (const line of (input.stdin ?? 'hello\n').split(/(?<=\n)/)) {
      if (line === 'wait\n') {
        await new Promise<void>((resolve) =>
          hooks.signal.addEventListener('abort', () => resolve())
        );
      }
      if (hooks.signal.aborted) {
        return { ...run, stdout, status: 'cancelled', finishedAt: new Date().toISOString() };
      }
      stdout += line;
      hooks.onOutput({ stream: 'stdout', data: line });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { ...run, stdout, status: 'ok', exitCode: 0, finishedAt: new Date().toISOString() };
  }
};

let server: HttpServer | undefined;
let sessions: SessionServer | undefined;
const clients: SessionClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await sessions?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  sessions = undefined;
});

async function start(
  options: { store?: MemorySessionStore; onSessionEnded?: (id: string) => void } = {}
) {
  const store = options.store ?? createMemorySessionStore(library);
  sessions = createSessionServer({
    tokens,
    store,
    runs: echoRuns,
    logger: createMemoryLogger(),
    idleUnloadMs: 20,
    onSessionEnded: options.onSessionEnded
  });
  const active = sessions;
  server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => active.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { store, url: `http://127.0.0.1:${port}` };
}

const interviewId = randomUUID();
const interviewer: SessionClaims = {
  interviewId,
  role: 'interviewer',
  participantId: 'user-1',
  name: 'Ines Interviewer'
};
const candidate: SessionClaims = {
  interviewId,
  role: 'candidate',
  participantId: 'candidate:c1',
  name: 'Cam Candidate'
};
const manager: SessionClaims = {
  interviewId,
  role: 'hiring_manager',
  participantId: 'user-2',
  name: 'Hana Manager'
};

const join = (url: string, claims: SessionClaims | string): Promise<JoinedSession> =>
  (typeof claims === 'string' ? Promise.resolve(claims) : tokens.mint(claims)).then((token) =>
    joinSession(url, token, clients)
  );

describe('session events server', () => {
  it('shares chat and presence, and hands each participant a snapshot on join', async () => {
    const { url, store } = await start();
    const a = await join(url, interviewer);
    const b = await join(url, candidate);
    expect(b.state.you).toMatchObject({ id: 'candidate:c1', role: 'candidate' });
    expect(b.state.participants.map((p) => p.name)).toEqual(['Cam Candidate', 'Ines Interviewer']);
    await waitUntil(
      () => a.seen.some((s) => s.event === 'presence'),
      "a.seen.some((s) => s.event === 'presence')"
    );

    const ack = await ask(b.socket, 'chat:send', { text: '  hello there  ' });
    expect(ack).toMatchObject({ ok: true, data: { text: 'hello there', role: 'candidate' } });
    await waitUntil(
      () => a.seen.some((s) => s.event === 'chat:message'),
      "a.seen.some((s) => s.event === 'chat:message')"
    );
    expect(store.chat.get(interviewId)?.map((m) => m.text)).toEqual(['hello there']);

    const c = await join(url, interviewer);
    expect(c.state.chat.map((m) => m.text)).toEqual(['hello there']);
  });

  it('never sends the candidate integrity markers or the question library', async () => {
    const { url } = await start();
    const staff = await join(url, interviewer);
    const cand = await join(url, candidate);
    expect(cand.state.library).toEqual([]);
    expect(staff.state.library.map((q) => q.id)).toEqual(['q1', 'q2']);

    const ack = await ask(cand.socket, 'integrity:report', {
      kind: 'paste',
      chars: 420,
      external: true
    });
    expect(ack.ok).toBe(true);
    await waitUntil(
      () => staff.seen.some((s) => s.event === 'integrity'),
      "staff.seen.some((s) => s.event === 'integrity')"
    );
    expect(staff.seen.find((s) => s.event === 'integrity')?.args[0]).toMatchObject({
      kind: 'paste',
      participantName: 'Cam Candidate',
      data: { chars: 420, external: true }
    });
    // A chat round trip after the report proves the candidate's socket has had time to get it.
    await ask(cand.socket, 'chat:send', { text: 'ping' });
    await waitUntil(
      () => cand.seen.some((s) => s.event === 'chat:message'),
      "cand.seen.some((s) => s.event === 'chat:message')"
    );
    expect(cand.seen.some((s) => s.event === 'integrity')).toBe(false);

    const again = await join(url, candidate);
    expect(again.state.integrity).toEqual([]);
    const staffAgain = await join(url, interviewer);
    expect(staffAgain.state.integrity.map((e) => e.kind)).toEqual(['paste']);
  });

  it('refuses unknown events, bad payloads and other roles’ actions with codes, and keeps the connection', async () => {
    const { url } = await start();
    const cand = await join(url, candidate);
    const mgr = await join(url, manager);

    (cand.socket as unknown as Socket).emit('drop:tables', { x: 1 });
    await waitUntil(
      () => cand.seen.some((s) => s.event === 'problem'),
      "cand.seen.some((s) => s.event === 'problem')"
    );
    expect(cand.seen.find((s) => s.event === 'problem')?.args[0]).toMatchObject({
      code: 'unknown_event'
    });

    expect(await ask(cand.socket, 'chat:send', { text: '' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' }
    });
    expect(await ask(cand.socket, 'chat:send', 'not an object')).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' }
    });
    expect(await ask(cand.socket, 'chat:send', { text: 'x'.repeat(2001) })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' }
    });
    expect(await ask(cand.socket, 'chat:send', { text: 'hi', extra: true })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' }
    });
    for (const [event, payload] of [
      ['question:reveal', { questionId: 'q1' }],
      ['session:end', {}],
      ['settings:update', { candidateCanRun: true }],
      ['timer:start', { minutes: 5 }]
    ] as const) {
      expect(await ask(cand.socket, event, payload)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' }
      });
    }
    expect(await ask(mgr.socket, 'chat:send', { text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    expect(await ask(mgr.socket, 'integrity:report', { kind: 'focus_lost' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    // Still connected and useful.
    expect(await ask(cand.socket, 'chat:send', { text: 'still here' })).toMatchObject({ ok: true });
  });

  it('refuses a forged token and another audience’s token at the handshake', async () => {
    const { url } = await start();
    const forged = await createSessionTokens({ secret: 'y'.repeat(40) }).mint(candidate);
    await expect(join(url, forged)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    await expect(join(url, 'not-a-jwt')).rejects.toMatchObject({ data: { code: 'unauthorized' } });
  });

  it('streams a run to everyone and honours the interviewer turning running off', async () => {
    const { url } = await start();
    const staff = await join(url, interviewer);
    const cand = await join(url, candidate);

    const started = await ask(cand.socket, 'run:start', { stdin: 'one\ntwo\n' });
    expect(started).toMatchObject({
      ok: true,
      data: { status: 'running', byName: 'Cam Candidate' }
    });
    await waitUntil(
      () => staff.seen.some((s) => s.event === 'run:finished'),
      "staff.seen.some((s) => s.event === 'run:finished')"
    );
    const output = staff.seen
      .filter((s) => s.event === 'run:output')
      .map((s) => (s.args[0] as { data: string }).data)
      .join('');
    expect(output).toBe('one\ntwo\n');

    expect(await ask(staff.socket, 'settings:update', { candidateCanRun: false })).toMatchObject({
      ok: true
    });
    await waitUntil(
      () => cand.seen.some((s) => s.event === 'settings'),
      "cand.seen.some((s) => s.event === 'settings')"
    );
    expect(await ask(cand.socket, 'run:start', {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' }
    });
    // The interviewer may still run.
    expect(await ask(staff.socket, 'run:start', {})).toMatchObject({ ok: true });
  });

  it('lets one run at a time per person, and cancels it on request', async () => {
    const { url } = await start();
    const cand = await join(url, candidate);
    const first = await ask(cand.socket, 'run:start', { stdin: 'a\nwait\nb\n' });
    expect(first.ok).toBe(true);
    expect(await ask(cand.socket, 'run:start', {})).toMatchObject({
      ok: false,
      error: { code: 'run_in_progress' }
    });
    const runId = first.ok ? (first.data as PadRun).id : '';
    expect(await ask(cand.socket, 'run:cancel', { runId })).toMatchObject({ ok: true });
    await waitUntil(
      () => cand.seen.some((s) => s.event === 'run:finished'),
      "cand.seen.some((s) => s.event === 'run:finished')"
    );
    expect(cand.seen.find((s) => s.event === 'run:finished')?.args[0]).toMatchObject({
      status: 'cancelled'
    });
  });

  it('ends the session: the candidate can no longer run, and the app is told', async () => {
    const ended: string[] = [];
    const { url } = await start({ onSessionEnded: (id) => ended.push(id) });
    const staff = await join(url, interviewer);
    const cand = await join(url, candidate);
    const ack = await ask(staff.socket, 'session:end', {});
    expect(ack.ok).toBe(true);
    await waitUntil(
      () => cand.seen.some((s) => s.event === 'session:ended'),
      "cand.seen.some((s) => s.event === 'session:ended')"
    );
    expect(ended).toEqual([interviewId]);
    expect(await ask(cand.socket, 'run:start', {})).toMatchObject({
      ok: false,
      error: { code: 'session_ended' }
    });
    const later = await join(url, candidate);
    expect(later.state.endedAt).not.toBeNull();
  });

  it('rebuilds the session from its log after it was unloaded', async () => {
    const { url, store } = await start();
    const staff = await join(url, interviewer);
    await ask(staff.socket, 'question:reveal', { questionId: 'q2' });
    await ask(staff.socket, 'timer:start', { minutes: 45 });
    expect(await ask(staff.socket, 'question:reveal', { questionId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' }
    });
    staff.socket.disconnect();
    await waitUntil(() => sessions?.stats().sessions === 0, 'sessions?.stats().sessions === 0');
    expect(store.events.get(interviewId)?.map((e) => e.kind)).toEqual([
      'join',
      'question_shown',
      'timer_started',
      'leave'
    ]);
    const cand = await join(url, candidate);
    expect(cand.state.revealed.map((q) => q.id)).toEqual(['q2']);
    expect(cand.state.timer.durationSeconds).toBe(2700);
  });

  it('relays WebRTC signals between peers of one call only, and refuses malformed ones', async () => {
    const { url } = await start();
    const a = await join(url, interviewer);
    const b = await join(url, candidate);
    const elsewhere = await join(url, {
      ...candidate,
      interviewId: randomUUID(),
      participantId: 'candidate:other'
    });
    const joinedA = await ask(a.socket, 'rtc:join', { audio: true, video: true });
    expect(joinedA).toMatchObject({ ok: true, data: { peers: [] } });
    const joinedB = await ask(b.socket, 'rtc:join', { audio: true, video: false });
    const idA = (joinedA as { ok: true; data: { you: string } }).data.you;
    const idB = (joinedB as { ok: true; data: { you: string } }).data.you;
    expect(joinedB).toMatchObject({
      ok: true,
      data: { peers: [{ id: idA, name: 'Ines Interviewer' }] }
    });
    await waitUntil(
      () => a.seen.some((s) => s.event === 'rtc:peer-joined'),
      'the peer-joined notice'
    );

    const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
    expect(await ask(a.socket, 'rtc:signal', { to: idB, description: offer })).toMatchObject({
      ok: true
    });
    await waitUntil(() => b.seen.some((s) => s.event === 'rtc:signal'), 'the offer');
    expect(b.seen.find((s) => s.event === 'rtc:signal')?.args[0]).toEqual({
      from: idA,
      description: offer
    });

    expect(
      await ask(a.socket, 'rtc:signal', {
        to: idB,
        description: { type: 'offer', sdp: 'DROP TABLE' }
      })
    ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await ask(a.socket, 'rtc:signal', { to: idB })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' }
    });
    expect(
      await ask(a.socket, 'rtc:signal', { to: idB, candidate: { candidate: 'x'.repeat(5000) } })
    ).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    // A socket of another interview can neither be reached nor reach in.
    await ask(elsewhere.socket, 'rtc:join', { audio: true, video: true });
    expect(
      await ask(elsewhere.socket, 'rtc:signal', { to: idA, candidate: { candidate: '' } })
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Not in the call: no signalling.
    const outsider = await join(url, interviewer);
    expect(
      await ask(outsider.socket, 'rtc:signal', { to: idA, candidate: { candidate: '' } })
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    b.socket.disconnect();
    await waitUntil(() => a.seen.some((s) => s.event === 'rtc:peer-left'), 'the peer-left notice');
    expect(a.seen.find((s) => s.event === 'rtc:peer-left')?.args[0]).toEqual({ peerId: idB });
  });

  it('keeps a peer-to-peer call to four peers', async () => {
    const { url } = await start();
    for (let i = 0; i < 4; i++) {
      const peer = await join(url, interviewer);
      expect(await ask(peer.socket, 'rtc:join', { audio: false, video: false })).toMatchObject({
        ok: true
      });
    }
    const fifth = await join(url, candidate);
    expect(await ask(fifth.socket, 'rtc:join', { audio: true, video: true })).toMatchObject({
      ok: false,
      error: { code: 'call_full' }
    });
  });
});

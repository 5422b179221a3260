import { describe, expect, it } from 'vitest';
import type { AnswerStreamEvent } from '$lib/contracts/ai-interview';
import { AiClientError, createAiClient, isDropped } from './client';
import { message, view } from './test-fixtures';

type Call = { url: string; init: RequestInit };

function ndjson(lines: unknown[], { cutAfter }: { cutAfter?: number } = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      lines.forEach((line, index) => {
        if (cutAfter !== undefined && index >= cutAfter) return;
        controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
      });
      if (cutAfter !== undefined) controller.error(new TypeError('network error'));
      else controller.close();
    }
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const api = createAiClient({
    inviteToken: 'tok/en',
    fetch: async (input, init = {}) => {
      const call = { url: String(input), init };
      calls.push(call);
      return answer(call);
    }
  });
  return { api, calls };
}

describe('createAiClient', () => {
  it('reads the view and starts, with the token escaped in the path', async () => {
    const current = view();
    const { api, calls } = client(() => json(current));
    expect(await api.view()).toEqual(current);
    expect(await api.start()).toEqual(current);
    expect(calls.map((c) => [c.init.method, c.url])).toEqual([
      ['GET', '/c/tok%2Fen/interview'],
      ['POST', '/c/tok%2Fen/interview/start']
    ]);
    expect(new Headers(calls[1]?.init.headers).get('content-type')).toBe('application/json');
  });

  it('streams an answer: every event reaches the handler, the final view is returned', async () => {
    const before = view();
    const mine = message('candidate', 'With a version in the path.');
    const reply = message('interviewer', 'Why the path?');
    const after = view({ messages: [...before.messages, mine, reply] });
    const stream: AnswerStreamEvent[] = [
      { type: 'candidate', message: mine },
      { type: 'token', text: 'Why ' },
      { type: 'token', text: 'the path?' },
      { type: 'view', view: after }
    ];
    const { api, calls } = client(() => ndjson(stream));
    const seen: AnswerStreamEvent[] = [];
    const result = await api.answer(
      { text: mine.text, kind: 'answer', after: before.messages[0]?.id ?? null },
      { onEvent: (event) => seen.push(event) }
    );
    expect(result).toEqual(after);
    expect(seen).toEqual(stream);
    const call = calls[0];
    expect(call?.url).toBe('/c/tok%2Fen/interview/messages');
    expect(new Headers(call?.init.headers).get('accept')).toContain('application/x-ndjson');
    expect(JSON.parse(String(call?.init.body))).toEqual({
      text: mine.text,
      kind: 'answer',
      after: before.messages[0]?.id
    });
  });

  it('throws an error event with its code, after handing it to the handler', async () => {
    const { api } = client(() =>
      ndjson([{ type: 'error', error: { code: 'conflict', message: 'Reload to continue.' } }])
    );
    const seen: string[] = [];
    const error = await api
      .answer({ text: 'x', after: null }, { onEvent: (e) => seen.push(e.type) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiClientError);
    expect(error).toMatchObject({ code: 'conflict', status: 409, message: 'Reload to continue.' });
    expect(seen).toEqual(['error']);
  });

  it('says a stream that stops early, or a request that never left, was dropped', async () => {
    const mine = message('candidate', 'half way');
    const cut = client(() =>
      ndjson(
        [
          { type: 'candidate', message: mine },
          { type: 'token', text: 'a' }
        ],
        { cutAfter: 1 }
      )
    );
    const interrupted = await cut.api.resume().catch((e: unknown) => e);
    expect(interrupted).toMatchObject({ code: 'interrupted' });
    expect(isDropped(interrupted)).toBe(true);

    const ended = client(() => ndjson([{ type: 'token', text: 'a' }]));
    expect(isDropped(await ended.api.resume().catch((e: unknown) => e))).toBe(true);

    const offline = client(() => Promise.reject(new TypeError('Failed to fetch')));
    const network = await offline.api.view().catch((e: unknown) => e);
    expect(network).toMatchObject({ code: 'network', status: 0 });
    expect(isDropped(network)).toBe(true);
  });

  it('turns refusals into errors with the server’s code and message', async () => {
    const { api } = client(() =>
      json({ error: { code: 'validation_failed', message: 'text: must not be empty' } }, 400)
    );
    const error = await api.answer({ text: ' ', after: null }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(isDropped(error)).toBe(false);
  });

  it('refuses answers that do not fit the contract', async () => {
    const odd = client(() => json({ status: 'weird' }));
    expect(await odd.api.view().catch((e: unknown) => e)).toMatchObject({ code: 'bad_response' });
    const oddLine = client(() => ndjson([{ type: 'token', text: 7 }]));
    expect(await oddLine.api.resume().catch((e: unknown) => e)).toMatchObject({
      code: 'bad_response'
    });
  });

  it('accepts a plain JSON view where a stream was asked for', async () => {
    const current = view();
    const { api } = client(() => json(current));
    expect(await api.resume()).toEqual(current);
  });
});

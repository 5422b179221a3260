/**
 * The engine with the real OpenAI provider against an endpoint that fails: the interview goes
 * on offline and the candidate sees no error (issue 5, 2b). The provider's own behaviour is
 * tested in interviewer/providers/.
 */
import { describe, expect, it, vi } from 'vitest';
import { createOpenAIProvider } from '../providers/index';
import { createInterviewEngine } from './engine';
import { fixturePlan } from './test-fixtures';

const plan = fixturePlan();
const t0 = new Date('2025-01-06T09:00:00Z');

function engineWith(fetch: typeof globalThis.fetch, turnTimeoutMs = 5_000) {
  const warn = vi.fn();
  const provider = createOpenAIProvider({
    apiKey: 'test',
    model: 'test-model',
    maxRetries: 0,
    timeoutMs: 2_000,
    fetch
  });
  const logger = { info() {}, debug() {}, error() {}, warn };
  return { engine: createInterviewEngine({ provider, logger, turnTimeoutMs }), warn };
}

async function firstTurn(engine: ReturnType<typeof createInterviewEngine>) {
  const { state } = engine.start(plan, t0);
  return engine.turn({
    plan,
    state,
    transcript: [],
    answer: 'An idempotency key.',
    now: new Date(t0.getTime() + 60_000)
  });
}

describe('engine + OpenAI provider, failing endpoint', () => {
  it.each([
    ['a 503', 503, '{"error":{"message":"overloaded"}}'],
    ['a 429', 429, '{"error":{"message":"slow down"}}'],
    ['malformed output', 200, '{"not":"a completion"}']
  ])('%s: the offline engine answers', async (_name, status, body) => {
    const { engine, warn } = engineWith(
      async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })
    );
    const offline = await firstTurn(createInterviewEngine());
    const result = await firstTurn(engine);
    expect(result.usedFallback).toBe(true);
    expect(result.decision).toEqual(offline.decision);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ provider: 'openai' }),
      expect.any(String)
    );
  });

  it('an endpoint that never answers: the offline engine answers at the deadline', async () => {
    const { engine } = engineWith(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))
        ),
      200
    );
    const result = await firstTurn(engine);
    expect(result.usedFallback).toBe(true);
  });

  it('evaluation falls back to offline scoring', async () => {
    const { engine } = engineWith(async () => new Response('{"error":{}}', { status: 500 }));
    const evaluation = await engine.evaluate(plan, [
      {
        id: '1',
        speaker: 'interviewer',
        text: 'Q',
        at: t0.toISOString(),
        questionId: 'idempotent-payments'
      },
      { id: '2', speaker: 'candidate', text: 'An idempotency key.', at: t0.toISOString() }
    ]);
    expect(evaluation.source).toBe('offline');
  });
});

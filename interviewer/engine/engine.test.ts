import { describe, expect, it, vi } from 'vitest';
import type {
  Evaluation,
  InterviewerProvider,
  TranscriptMessage,
  TurnInput,
  TurnResult
} from '../types';
import { TURN_ACTIONS } from '../types';
import { createInterviewEngine } from './engine';
import { isInterviewerError } from './errors';
import type { InterviewerLogger } from './logger';
import { totalMinutes } from './plan';
import { sameTextKey } from './state';
import { fixturePlan, payments } from './test-fixtures';
import {
  evasiveCandidate,
  injectingCandidate,
  runInterview,
  silentCandidate,
  strongCandidate,
  weakCandidate,
  type Candidate
} from './test-script';

const plan = fixturePlan();
const t0 = new Date('2025-01-06T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function input(
  engine = createInterviewEngine(),
  answer = 'An idempotency key.',
  minutes = 1
): TurnInput {
  const { state } = engine.start(plan, t0);
  return { plan, state, transcript: [], answer, now: at(minutes) };
}

function recordingLogger() {
  const warn = vi.fn();
  const error = vi.fn();
  const logger: InterviewerLogger = { info() {}, debug() {}, warn, error };
  return { logger, warn, error };
}

/** A provider whose turn is `turn`; evaluation delegates to nothing (not used). */
function provider(
  turn: InterviewerProvider['turn'],
  evaluate?: InterviewerProvider['evaluate']
): InterviewerProvider {
  return {
    name: 'openai',
    turn,
    evaluate: evaluate ?? (() => Promise.reject(new Error('no evaluation')))
  };
}

describe('scripted candidates', () => {
  const candidates: [string, () => Candidate][] = [
    ['strong', strongCandidate],
    ['weak', weakCandidate],
    ['evasive', evasiveCandidate],
    ['prompt-injecting', injectingCandidate],
    ['silent', silentCandidate]
  ];

  it.each(candidates)(
    '%s: reaches wrap-up within the budgets, never repeating a message',
    async (_name, make) => {
      const engine = createInterviewEngine();
      const played = await runInterview(engine, plan, make());
      expect(played.state.finished).toBe(true);
      expect(played.decisions.at(-1)?.action).toBe('wrap_up');
      expect(played.minutes).toBeLessThanOrEqual(totalMinutes(plan));
      const said = played.transcript
        .filter((m) => m.speaker === 'interviewer')
        .map((m) => sameTextKey(m.text));
      expect(new Set(said).size).toBe(said.length);
      for (const d of played.decisions) expect(TURN_ACTIONS).toContain(d.action);
      expect(played.state.asked).toEqual(
        played.transcript.filter((m) => m.speaker === 'interviewer').map((m) => m.text)
      );
      expect(played.usedFallback).toBe(0);
    }
  );

  it('covers every question in order, and the state survives JSON between turns', async () => {
    const engine = createInterviewEngine();
    const direct = await runInterview(engine, plan, strongCandidate());
    const roundTripping: InterviewerProvider = createInterviewEngineProviderThroughJson();
    const viaJson = await runInterview(
      createInterviewEngine({ provider: roundTripping }),
      plan,
      strongCandidate()
    );
    expect(viaJson.transcript).toEqual(direct.transcript);
    const asked = direct.decisions.filter((d) => d.action === 'ask' || d.action === 'move_on');
    expect(asked.map((d) => d.questionId)).toEqual([
      'idempotent-payments',
      'queue-backpressure',
      'rate-limiter'
    ]);
  });
});

/** The offline engine, but every state it sees and returns goes through JSON, like a stored interview. */
function createInterviewEngineProviderThroughJson(): InterviewerProvider {
  const inner = createInterviewEngine();
  return provider(async (turnInput) => {
    const stored = JSON.parse(JSON.stringify(turnInput.state)) as TurnInput['state'];
    const { decision, state } = await inner.turn({ ...turnInput, state: stored });
    return JSON.parse(JSON.stringify({ decision, state })) as TurnResult;
  });
}

describe('time budgets and turn caps', () => {
  it('moves on when the question is over its minutes, whatever the answer', async () => {
    const engine = createInterviewEngine();
    const { decision, state } = await engine.turn(
      input(engine, 'An idempotency key.', payments.minutes)
    );
    expect(decision.action).toBe('move_on');
    expect(decision.questionId).toBe('queue-backpressure');
    expect(decision.message).toMatch(
      /^We're at the time for this one, so let's move on\. Question 2 of 3/
    );
    expect(state.questionStartedAt).toBe(at(payments.minutes).toISOString());
    expect(state.covered['idempotent-payments']).toEqual(['idempotency-key']);
  });

  it('goes to the next section when the section is over its minutes', async () => {
    const engine = createInterviewEngine();
    const first = await engine.turn(input(engine, 'An idempotency key.', 5));
    // Still on question 1 (5 of 10 minutes); move the section clock back to make the section 20 minutes old.
    const state = { ...first.state, sectionStartedAt: at(-15).toISOString() };
    const { decision } = await engine.turn({
      plan,
      state,
      transcript: [],
      answer: 'More.',
      now: at(6)
    });
    expect(decision.action).toBe('move_on');
    expect(decision.questionId).toBe('rate-limiter');
    expect(decision.message).toMatch(/Next part: Coding\. Question 3 of 3/);
  });

  it('wraps up when the whole plan is over its minutes', async () => {
    const engine = createInterviewEngine();
    const base = input(engine);
    const { decision, state } = await engine.turn({
      ...base,
      state: {
        ...base.state,
        questionStartedAt: at(39).toISOString(),
        sectionStartedAt: at(39).toISOString()
      },
      now: at(totalMinutes(plan))
    });
    expect(decision.action).toBe('wrap_up');
    expect(decision.message).toMatch(/^We've reached the end of the time/);
    expect(state.finished).toBe(true);
  });

  it('moves on after maxTurnsPerQuestion interviewer messages, even when the provider would go on', async () => {
    let n = 0;
    const chatty = provider(async (turnInput) => {
      const message = `Tell me more, part ${++n}.`;
      return {
        decision: { action: 'probe', message, questionId: payments.id },
        state: {
          ...turnInput.state,
          asked: [...turnInput.state.asked, message],
          turnsOnQuestion: turnInput.state.turnsOnQuestion + 1
        }
      };
    });
    const engine = createInterviewEngine({ provider: chatty, limits: { maxTurnsPerQuestion: 4 } });
    let { state } = engine.start(plan, t0);
    const actions: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const result = await engine.turn({
        plan,
        state,
        transcript: [],
        answer: 'Something about keys.',
        now: at(i * 0.5)
      });
      actions.push(result.decision.action);
      state = result.state;
    }
    expect(actions).toEqual(['probe', 'probe', 'probe', 'move_on']);
    expect(state.questionIndex).toBe(1);
  });
});

describe('fallback to the offline engine', () => {
  const offlineTurn = async () => (await createInterviewEngine().turn(input())).decision;

  it.each([
    ['throws', provider(() => Promise.reject(new Error('429 Too Many Requests')))],
    [
      'throws synchronously',
      provider(() => {
        throw new Error('boom');
      })
    ],
    [
      'returns malformed output',
      provider(
        async () => ({ decision: { action: 'dance', message: '' } }) as unknown as TurnResult
      )
    ],
    [
      'repeats an earlier message',
      provider(async (i) => ({
        decision: { action: 'probe', message: ` ${i.state.asked[0]!.toUpperCase()} ` },
        state: i.state
      }))
    ],
    [
      'moves without saying so',
      provider(async (i) => ({
        decision: { action: 'probe', message: 'Something new?' },
        state: { ...i.state, questionIndex: 1 }
      }))
    ],
    [
      'skips a question',
      provider(async (i) => ({
        decision: { action: 'move_on', message: 'Jump!' },
        state: { ...i.state, sectionIndex: 1, questionIndex: 0 }
      }))
    ],
    [
      'wraps up early',
      provider(async (i) => ({
        decision: { action: 'wrap_up', message: 'Bye now.' },
        state: i.state
      }))
    ]
  ])(
    'when the provider %s, the offline engine answers and no error surfaces',
    async (_name, failing) => {
      const { logger, warn } = recordingLogger();
      const engine = createInterviewEngine({ provider: failing, logger });
      const result = await engine.turn(input(engine));
      expect(result.usedFallback).toBe(true);
      expect(result.decision).toEqual(await offlineTurn());
      expect(warn).toHaveBeenCalledTimes(1);
    }
  );

  it('falls back when the provider times out, even if it ignores its signal', async () => {
    const hung = provider(() => new Promise<TurnResult>(() => {}));
    const engine = createInterviewEngine({ provider: hung, turnTimeoutMs: 50 });
    const started = performance.now();
    const result = await engine.turn(input(engine));
    expect(result.usedFallback).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('aborts the provider signal at the deadline', async () => {
    let aborted = false;
    const slow = provider(
      (_i, options) =>
        new Promise<TurnResult>((_resolve, reject) => {
          options?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        })
    );
    const engine = createInterviewEngine({ provider: slow, turnTimeoutMs: 20 });
    await engine.turn(input(engine));
    expect(aborted).toBe(true);
  });

  it('tells the app to discard text streamed before a failure', async () => {
    const streamingThenFailing = provider(async (_i, options) => {
      options?.onToken?.('Half a sent');
      throw new Error('stream cut');
    });
    const tokens: string[] = [];
    const onDiscard = vi.fn();
    const engine = createInterviewEngine({ provider: streamingThenFailing });
    const result = await engine.turn(input(engine), { onToken: (t) => tokens.push(t), onDiscard });
    expect(onDiscard).toHaveBeenCalledTimes(1);
    expect(tokens).toEqual(['Half a sent', result.decision.message]);
  });

  it('accepts a valid provider turn and keeps the bookkeeping its own', async () => {
    const good = provider(async (i) => ({
      decision: {
        action: 'probe',
        message: 'What if two requests race?',
        dimensionId: 'concurrency',
        questionId: 'whatever'
      },
      state: {
        ...i.state,
        covered: { [payments.id]: ['lock', 'not-a-concept'] },
        asked: [],
        turnsOnQuestion: 99
      }
    }));
    const engine = createInterviewEngine({ provider: good });
    const base = input(engine, 'An idempotency key.');
    const result = await engine.turn(base);
    expect(result.usedFallback).toBe(false);
    expect(result.decision).toEqual({
      action: 'probe',
      message: 'What if two requests race?',
      questionId: payments.id,
      dimensionId: 'concurrency'
    });
    expect(result.state.covered[payments.id]).toEqual(['idempotency-key', 'lock']);
    expect(result.state.asked).toEqual([...base.state.asked, 'What if two requests race?']);
    expect(result.state.turnsOnQuestion).toBe(2);
  });

  it('moves on by itself when the fallback fails too', async () => {
    const failing = provider(() => Promise.reject(new Error('down')));
    const { logger, error } = recordingLogger();
    const engine = createInterviewEngine({ provider: failing, fallback: failing, logger });
    const result = await engine.turn(input(engine));
    expect(result.usedFallback).toBe(true);
    expect(result.decision.action).toBe('move_on');
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('a failure mid-interview carries on offline to the end', async () => {
    let calls = 0;
    const flaky = provider(async (i, options) => {
      calls++;
      if (calls >= 3) throw new Error('503');
      return createInterviewEngine().turn(i, options);
    });
    const played = await runInterview(
      createInterviewEngine({ provider: flaky }),
      plan,
      strongCandidate()
    );
    expect(played.state.finished).toBe(true);
    expect(played.usedFallback).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return isInterviewerError(error) ? error.code : 'not an InterviewerError';
    }
    return 'no error';
  };

  it('refuses turns after the interview ended', async () => {
    const engine = createInterviewEngine();
    const played = await runInterview(engine, plan, silentCandidate());
    const code = await codeOf(
      engine.turn({
        plan,
        state: played.state,
        transcript: played.transcript,
        answer: 'Wait!',
        now: at(30)
      })
    );
    expect(code).toBe('interview_finished');
  });

  it('refuses a message over the cap, and accepts one at the cap', async () => {
    const engine = createInterviewEngine();
    expect(engine.limits.maxMessageChars).toBe(4_000);
    expect(await codeOf(engine.turn(input(engine, 'x'.repeat(4_001))))).toBe('message_too_long');
    expect(await codeOf(engine.turn(input(engine, 'key '.repeat(1_000))))).toBe('no error');
  });

  it('clamps limits to their maxima', () => {
    const engine = createInterviewEngine({
      limits: { maxMessageChars: 1e9, maxTurnsPerQuestion: 0 },
      turnTimeoutMs: 1e9
    });
    expect(engine.limits).toMatchObject({
      maxMessageChars: 20_000,
      maxTurnsPerQuestion: 1,
      turnTimeoutMs: 120_000
    });
  });

  it('handles an empty message as silence', async () => {
    const engine = createInterviewEngine();
    const { decision } = await engine.turn(input(engine, '   \u0000  '));
    expect(decision.action).toBe('nudge');
  });

  it('refuses a state that is not one it wrote', async () => {
    const engine = createInterviewEngine();
    const base = input(engine);
    expect(await codeOf(engine.turn({ ...base, state: { ...base.state, sectionIndex: 7 } }))).toBe(
      'invalid_state'
    );
    expect(
      await codeOf(engine.turn({ ...base, state: { nope: true } as unknown as TurnInput['state'] }))
    ).toBe('invalid_state');
  });

  it('refuses a plan without questions or with duplicate ids', () => {
    const engine = createInterviewEngine();
    expect(() => engine.start({ ...plan, sections: [] }, t0)).toThrow(/no questions/);
    expect(() =>
      engine.start(
        {
          ...plan,
          sections: [{ id: 's', title: 'S', minutes: 5, questions: [payments, payments] }]
        },
        t0
      )
    ).toThrow(/appears twice/);
  });

  it("stops with 'aborted' when the caller aborts", async () => {
    const controller = new AbortController();
    const hung = provider(() => new Promise<TurnResult>(() => {}));
    const engine = createInterviewEngine({ provider: hung });
    const pending = engine.turn(input(engine), { signal: controller.signal });
    controller.abort();
    expect(await codeOf(pending)).toBe('aborted');
  });
});

describe('evaluate', () => {
  async function transcriptOf(candidate: Candidate): Promise<TranscriptMessage[]> {
    return (await runInterview(createInterviewEngine(), plan, candidate)).transcript;
  }

  it('drops LLM evidence that is not verbatim and counts it', async () => {
    const transcript = await transcriptOf(strongCandidate());
    const offline = await createInterviewEngine().evaluate(plan, transcript);
    const llm = provider(
      () => Promise.reject(new Error('unused')),
      async () => ({
        ...offline,
        source: 'llm',
        scores: offline.scores.map((s, i) => ({
          ...s,
          evidence: i === 0 ? [...s.evidence, 'I would use an idempotency token.'] : s.evidence
        }))
      })
    );
    const evaluation = await createInterviewEngine({ provider: llm }).evaluate(plan, transcript);
    expect(evaluation.source).toBe('llm');
    expect(evaluation.droppedEvidence).toBe(1);
    expect(evaluation.scores[0]!.evidence).toEqual(offline.scores[0]!.evidence);
  });

  it('falls back to offline scoring when the evaluation fails the schema, and fills missing pairs', async () => {
    const transcript = await transcriptOf(weakCandidate());
    const offline = await createInterviewEngine().evaluate(plan, transcript);
    const broken = provider(
      () => Promise.reject(new Error('unused')),
      async () => ({ source: 'llm', scores: 'lots' }) as unknown as Evaluation
    );
    expect(await createInterviewEngine({ provider: broken }).evaluate(plan, transcript)).toEqual(
      offline
    );

    const partial = provider(
      () => Promise.reject(new Error('unused')),
      async () => ({
        ...offline,
        source: 'llm',
        scores: offline.scores.slice(0, 2).map((s) => ({ ...s, score: 4 as const }))
      })
    );
    const filled = await createInterviewEngine({ provider: partial }).evaluate(plan, transcript);
    expect(filled.scores).toHaveLength(offline.scores.length);
    expect(filled.scores.slice(2)).toEqual(offline.scores.slice(2));
  });

  it('flags injection attempts even when the provider does not', async () => {
    const transcript = await transcriptOf(injectingCandidate());
    const offline = await createInterviewEngine().evaluate(plan, transcript);
    const blind = provider(
      () => Promise.reject(new Error('unused')),
      async () => ({
        ...offline,
        source: 'llm',
        injectionAttempts: ['something the candidate never said'],
        concerns: []
      })
    );
    const evaluation = await createInterviewEngine({ provider: blind }).evaluate(plan, transcript);
    expect(evaluation.injectionAttempts).toEqual(offline.injectionAttempts);
    expect(evaluation.injectionAttempts.length).toBeGreaterThan(0);
    expect(evaluation.concerns).toHaveLength(1);
  });

  it('refuses a transcript of the wrong shape', async () => {
    const engine = createInterviewEngine();
    await expect(
      engine.evaluate(plan, [
        { speaker: 'candidate', text: 'hi' }
      ] as unknown as TranscriptMessage[])
    ).rejects.toMatchObject({ code: 'invalid_transcript' });
  });

  it('scores the same transcript identically twice', async () => {
    const transcript = await transcriptOf(evasiveCandidate());
    const engine = createInterviewEngine();
    expect(await engine.evaluate(plan, transcript)).toEqual(
      await engine.evaluate(plan, transcript)
    );
  });
});

/**
 * The engine on the shipped library (content/): the backend-async template
 * played by candidates built from its own rubrics, so every question file is
 * exercised the way a real interview uses it.
 */
import { describe, expect, it } from 'vitest';
import type { Question } from '../types';
import { loadLibrary, resolvePlan } from '../content/index';
import { evaluateOffline } from '../evaluation/offline';
import { createInterviewEngine } from './engine';
import { totalMinutes } from './plan';
import { sameTextKey } from './state';
import { fromBank, runInterview, silentCandidate, evasiveCandidate } from './test-script';

const plan = resolvePlan(loadLibrary(), 'backend-async');
const questions: Question[] = plan.sections.flatMap((s) => s.questions);

/** Each concept named by its first phrase, one dimension an answer, with a number for specifics. */
const strongBank = Object.fromEntries(
  questions.map((q) => [
    q.id,
    q.rubric.map(
      (d) =>
        `For this I would rely on ${d.concepts.map((c) => c.phrases[0]).join(', and also ')}, checked every 5 minutes.`
    )
  ])
);
const weakBank = Object.fromEntries(
  questions.map((q) => [
    q.id,
    ['I would add more servers and look at the logs, I guess.', 'Maybe restart it.']
  ])
);

const scores = (transcript: Parameters<typeof evaluateOffline>[1]) =>
  evaluateOffline(plan, transcript).scores.map((s) => s.score);

describe('backend-async template', () => {
  it.each([
    ['strong', () => fromBank(strongBank, 'That is all I would add.')],
    ['weak', () => fromBank(weakBank, 'Not sure.')],
    ['evasive', evasiveCandidate],
    ['silent', silentCandidate]
  ])('%s candidate: wraps up within the budget, never repeating a message', async (_name, make) => {
    const played = await runInterview(createInterviewEngine(), plan, make());
    expect(played.state.finished).toBe(true);
    expect(played.minutes).toBeLessThanOrEqual(totalMinutes(plan));
    const said = played.state.asked.map(sameTextKey);
    expect(new Set(said).size).toBe(said.length);
  });

  it('scores a strong candidate above a weak one on every dimension', async () => {
    const engine = createInterviewEngine();
    const strong = scores(
      (await runInterview(engine, plan, fromBank(strongBank, 'That is all.'))).transcript
    );
    const weak = scores(
      (await runInterview(engine, plan, fromBank(weakBank, 'Not sure.'))).transcript
    );
    expect(strong).toHaveLength(weak.length);
    strong.forEach((s, i) => expect(s, String(i)).toBeGreaterThan(weak[i]!));
  });
});

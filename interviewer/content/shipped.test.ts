import { describe, expect, it } from 'vitest';
import type { Question } from '../types';
import { defaultContentDir } from './content-dir';
import { loadLibrary, resolvePlan } from './library';
import { normalizeText } from './schema';

// The shipped library holds itself to a stricter bar than the file format requires
// (issue 5, item 4): 3-6 concepts, 3-10 phrases, 2-4 probes, 6-10 minutes a discussion.
const library = loadLibrary();
const questions = [...library.questions.values()];
const discussions = questions.filter((q) => q.kind === 'discussion');

/** Whole-word, case-sensitive match: phrases and the text are both lower case here. */
function mentions(text: string, phrase: string): boolean {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`).test(text);
}

function allAsked(question: Question): string[] {
  return [
    ...question.rubric.flatMap((d) => d.probes),
    ...(question.kind === 'coding' ? question.followUps : [])
  ];
}

describe('the shipped library', () => {
  it('is found from source and loads without problems', () => {
    expect(defaultContentDir()).toMatch(/content$/);
    expect(library.questions.size).toBeGreaterThanOrEqual(13);
    expect(library.templates.has('backend-async')).toBe(true);
  });

  it('has at least 12 discussion questions covering the backend topics', () => {
    expect(discussions.length).toBeGreaterThanOrEqual(12);
    const tags = new Set(discussions.flatMap((q) => q.tags));
    const topics = [
      'api-design',
      'versioning',
      'idempotency',
      'retries',
      'data-modelling',
      'indexes',
      'slow-query',
      'transactions',
      'consistency',
      'caching',
      'invalidation',
      'queues',
      'backpressure',
      'rate-limiting',
      'authentication',
      'authorization',
      'observability',
      'incidents',
      'behavioural',
      'debugging'
    ];
    expect(topics.filter((t) => !tags.has(t))).toEqual([]);
    // An outage the candidate handled, and a given incident scenario: two different questions.
    const incidents = discussions.filter((q) => q.tags.includes('incidents'));
    expect(incidents.some((q) => q.tags.includes('behavioural'))).toBe(true);
    expect(incidents.some((q) => q.tags.includes('debugging'))).toBe(true);
  });

  it('gives every discussion question 6 to 10 minutes', () => {
    for (const q of discussions) expect(q.minutes, q.id).toBeGreaterThanOrEqual(6);
    for (const q of discussions) expect(q.minutes, q.id).toBeLessThanOrEqual(10);
  });

  it('gives every dimension 3-6 concepts of 3-10 phrases and 2-4 probes', () => {
    for (const q of questions) {
      for (const d of q.rubric) {
        const where = `${q.id}/${d.id}`;
        expect(d.concepts.length, where).toBeGreaterThanOrEqual(3);
        expect(d.concepts.length, where).toBeLessThanOrEqual(6);
        expect(d.probes.length, where).toBeGreaterThanOrEqual(2);
        expect(d.probes.length, where).toBeLessThanOrEqual(4);
        for (const c of d.concepts) {
          expect(c.phrases.length, `${where}/${c.id}`).toBeGreaterThanOrEqual(3);
          expect(c.phrases.length, `${where}/${c.id}`).toBeLessThanOrEqual(10);
        }
      }
    }
  });

  it('never repeats a probe or follow-up anywhere in the library', () => {
    const asked = questions.flatMap(allAsked).map(normalizeText);
    const duplicates = asked.filter((text, i) => asked.indexOf(text) !== i);
    expect(duplicates).toEqual([]);
  });

  it('keeps negations out of phrases, since the offline engine ignores negated mentions', () => {
    const negation = /(?<![a-z0-9])(no|not|never|without|none|nor|cannot|\w+n't)(?![a-z0-9])/;
    const offending = questions.flatMap((q) =>
      q.rubric.flatMap((d) => d.concepts.flatMap((c) => c.phrases.filter((p) => negation.test(p))))
    );
    expect(offending).toEqual([]);
  });

  it('uses no phrase that the prompt itself contains, so repeating the question covers nothing', () => {
    const echoed = questions.flatMap((q) => {
      const prompt = q.prompt.toLowerCase();
      return q.rubric.flatMap((d) =>
        d.concepts.flatMap((c) =>
          c.phrases.filter((p) => mentions(prompt, p)).map((p) => `${q.id}: ${p}`)
        )
      );
    });
    expect(echoed).toEqual([]);
  });

  it('ships the coding task with starters for five languages and at least three follow-ups', () => {
    const coding = questions.filter((q) => q.kind === 'coding');
    expect(coding.length).toBeGreaterThanOrEqual(1);
    for (const task of coding) {
      expect(Object.keys(task.starter).sort()).toEqual(
        ['go', 'java', 'javascript', 'python', 'typescript'].sort()
      );
      expect(task.followUps.length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('the backend-async template', () => {
  const plan = resolvePlan(library, 'backend-async');

  it('resolves into design, incident and coding sections', () => {
    expect(plan.title).toBe('Backend engineer (async)');
    expect(plan.sections.map((s) => s.questions.length)).toEqual([4, 2, 1]);
    const [design, incidents, coding] = plan.sections;
    expect(design?.questions.every((q) => q.kind === 'discussion')).toBe(true);
    expect(incidents?.questions.every((q) => q.kind === 'discussion')).toBe(true);
    expect(coding?.questions.map((q) => q.kind)).toEqual(['coding']);
  });

  it('gives each section the sum of its question minutes, 45 to 60 in all', () => {
    for (const section of plan.sections) {
      const sum = section.questions.reduce((total, q) => total + q.minutes, 0);
      expect(section.minutes, section.id).toBe(sum);
    }
    const total = plan.sections.reduce((t, s) => t + s.minutes, 0);
    expect(total).toBeGreaterThanOrEqual(45);
    expect(total).toBeLessThanOrEqual(60);
  });
});

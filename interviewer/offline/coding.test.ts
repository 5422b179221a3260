import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../engine/test-fixtures';
import { codeQuestions, functionNames } from './coding';

describe('functionNames', () => {
  it('finds definitions across languages, in file then source order, without boilerplate', () => {
    expect(
      functionNames({
        'b.go': 'package main\nfunc (l *Limiter) Allow(key string) bool {}\nfunc main() {}',
        'a.py': 'def refill(bucket):\n  pass\ndef allow(key, now):\n  pass\n',
        'c.ts':
          'export function take(n: number) {}\nconst drain = async (q: Q): Promise<void> => {};\nclass A { constructor() {} }',
        'd.rs': 'fn tokens_left<T>(b: &Bucket) -> u32 { 0 }',
        'e.java': 'public static boolean tryAcquire(String key) { return true; }'
      })
    ).toEqual(['refill', 'allow', 'Allow', 'take', 'drain', 'tokens_left', 'tryAcquire']);
  });
});

describe('codeQuestions', () => {
  const files = { 'main.py': 'def refill(b):\n  pass\n\ndef allow(key, now):\n  pass\n' };

  it('asks nothing about code before there is some', () => {
    expect(codeQuestions(rateLimiter, undefined)).toEqual([]);
    expect(
      codeQuestions(rateLimiter, { language: 'python', files: { 'main.py': '  \n' } })
    ).toEqual([]);
  });

  it('asks about a failing run first, quoting the last stderr line', () => {
    const [first] = codeQuestions(rateLimiter, {
      language: 'python',
      files,
      lastRun: {
        status: 'runtime_error',
        stdout: '',
        stderr: 'Traceback (most recent call last):\n  File "main.py"\nKeyError: \'tokens\'\n'
      }
    });
    expect(first).toBe(
      "Your last run ended with runtime error: “KeyError: 'tokens'”. What do you think causes it, and how would you fix it?"
    );
  });

  it("names the candidate's own functions, then the task's follow-ups", () => {
    const questions = codeQuestions(rateLimiter, {
      language: 'python',
      files,
      lastRun: { status: 'ok', stdout: 'True', stderr: '' }
    });
    expect(questions[0]).toContain('`refill`');
    expect(questions[0]).toContain('complexity');
    expect(questions[1]).toBe(rateLimiter.followUps[0]);
    expect(questions[2]).toContain('`allow`');
    expect(questions[2]).toContain('edge cases');
    expect(questions.slice(3)).toEqual(rateLimiter.followUps.slice(1));
  });

  it("does not treat a clean run or the sandbox failing as the candidate's failure", () => {
    for (const status of ['ok', 'internal_error'])
      expect(
        codeQuestions(rateLimiter, {
          language: 'python',
          files,
          lastRun: { status, stdout: '', stderr: 'warning: x' }
        })[0]
      ).toContain('`refill`');
  });

  it('is deterministic', () => {
    const code = { language: 'python', files };
    expect(codeQuestions(rateLimiter, code)).toEqual(codeQuestions(rateLimiter, code));
  });
});

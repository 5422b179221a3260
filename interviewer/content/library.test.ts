import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentError } from './errors';
import { loadLibrary, resolvePlan } from './library';
import { codingFile, discussionFile, templateFile } from './test-fixtures';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-content-'));
  mkdirSync(join(dir, 'questions'));
  mkdirSync(join(dir, 'templates'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(folder: 'questions' | 'templates', name: string, data: unknown): string {
  const file = join(dir, folder, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return file;
}

function loadError(): ContentError {
  try {
    loadLibrary(dir);
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error('expected loadLibrary to fail');
}

describe('loadLibrary', () => {
  it('reads every question and template, ignoring other files', () => {
    write('questions', 'sample-question.json', discussionFile());
    write('questions', 'sample-task.json', codingFile());
    write('questions', 'README.md', '# notes');
    write('templates', 'sample-template.json', templateFile());
    const library = loadLibrary(dir);
    expect([...library.questions.keys()]).toEqual(['sample-question', 'sample-task']);
    expect([...library.templates.keys()]).toEqual(['sample-template']);
  });

  it('names the template file and path of an unknown question', () => {
    write('questions', 'sample-question.json', discussionFile());
    const file = write(
      'templates',
      'sample-template.json',
      templateFile('sample-template', ['sample-question', 'missing-question'])
    );
    expect(loadError().message).toBe(
      `Invalid content: ${file}: sections[0].questionIds[1]: unknown question "missing-question" (no questions/missing-question.json)`
    );
  });

  it('lists the problems of every bad file at once', () => {
    const bad = discussionFile();
    bad.rubric[0]!.concepts[0]!.phrases[0] = 'Upper';
    const first = write('questions', 'sample-question.json', bad);
    const second = write('questions', 'other.json', { ...discussionFile('other'), version: 3 });
    const error = loadError();
    expect(error.problems.map((p) => `${p.file}: ${p.path}`)).toEqual([
      `${second}: version`,
      `${first}: rubric[0].concepts[0].phrases[0]`
    ]);
    expect(error.message.split('\n')).toHaveLength(3);
  });

  it('reports a broken question against its own file, not again in the template', () => {
    const file = write('questions', 'sample-question.json', { ...discussionFile(), version: 0 });
    write('templates', 'sample-template.json', templateFile());
    expect(loadError().problems).toEqual([
      { file, path: 'version', message: '"version" must be 1' }
    ]);
  });

  it('says "required" for a missing field', () => {
    const { title: _title, ...data } = discussionFile();
    const file = write('questions', 'sample-question.json', data);
    expect(loadError().message).toBe(`Invalid content: ${file}: title: required`);
  });

  it('refuses a folder with no content in it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tandem-empty-'));
    try {
      expect(() => loadLibrary(empty)).toThrow(
        /has neither a questions\/ nor a templates\/ folder/
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('resolvePlan', () => {
  it('replaces question ids with the questions, keeping the sections', () => {
    write('questions', 'sample-question.json', discussionFile());
    write('templates', 'sample-template.json', templateFile());
    const plan = resolvePlan(loadLibrary(dir), 'sample-template');
    expect(plan.templateId).toBe('sample-template');
    expect(plan.sections).toHaveLength(1);
    expect(plan.sections[0]?.questions.map((q) => q.id)).toEqual(['sample-question']);
    expect(plan.sections[0]?.minutes).toBe(7);
  });

  it('refuses an unknown template', () => {
    write('questions', 'sample-question.json', discussionFile());
    expect(() => resolvePlan(loadLibrary(dir), 'nope')).toThrow(
      'templates/nope.json: (file): no such template'
    );
  });

  it('refuses a template whose question is missing from the library', () => {
    write('questions', 'sample-question.json', discussionFile());
    write('templates', 'sample-template.json', templateFile());
    const library = loadLibrary(dir);
    library.questions.delete('sample-question');
    expect(() => resolvePlan(library, 'sample-template')).toThrow(
      /sections\[0\]\.questionIds\[0\]: unknown question "sample-question"/
    );
  });
});

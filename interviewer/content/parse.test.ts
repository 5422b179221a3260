import { describe, expect, it } from 'vitest';
import { ContentError } from './errors';
import { parseQuestionFile, parseTemplateFile } from './parse';
import { codingFile, discussionFile, templateFile } from './test-fixtures';

const FILE = 'content/questions/sample-question.json';

/** The problems a question file produces, as `path: message` lines. */
function problems(data: unknown, file = FILE): string[] {
  try {
    parseQuestionFile(JSON.stringify(data), file);
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    for (const p of error.problems) expect(p.file).toBe(file);
    expect(error.message).toContain(file);
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('parseQuestionFile', () => {
  it('returns the question without the version', () => {
    const question = parseQuestionFile(JSON.stringify(discussionFile()), FILE);
    expect(question.kind).toBe('discussion');
    expect(question).not.toHaveProperty('version');
    const task = parseQuestionFile(JSON.stringify(codingFile()), 'x/sample-task.json');
    expect(task.kind === 'coding' && task.starter.python).toBe('print("hello")\n');
  });

  it('names the file and the path of a wrong version', () => {
    expect(problems({ ...discussionFile(), version: 2 })).toEqual(['version: "version" must be 1']);
  });

  it('names a missing rubric', () => {
    const { rubric: _rubric, ...withoutRubric } = discussionFile();
    expect(problems(withoutRubric)).toEqual([expect.stringMatching(/^rubric: /)]);
  });

  it('refuses six dimensions', () => {
    const file = discussionFile();
    const extra = ['d4', 'd5', 'd6'].map((id, i) => ({
      ...structuredClone(file.rubric[0]!),
      id,
      concepts: file.rubric[0]!.concepts.map((c) => ({
        ...c,
        id: `${id}-${c.id}`,
        phrases: c.phrases.map((p) => `${p} ${i}`)
      })),
      probes: [`Probe ${id} one?`, `Probe ${id} two?`]
    }));
    file.rubric.push(...extra);
    expect(problems(file)).toEqual(['rubric: a rubric needs 3 to 5 dimensions']);
  });

  it('refuses an upper-case phrase at its exact path', () => {
    const file = discussionFile();
    file.rubric[1]!.concepts[2]!.phrases[1] = 'Cache Aside';
    expect(problems(file)).toEqual([
      'rubric[1].concepts[2].phrases[1]: phrases must be lower case'
    ]);
  });

  it('refuses untrimmed phrases, unknown fields and a bad id', () => {
    const file = { ...discussionFile(), id: 'Bad_Id', extra: true };
    file.rubric[0]!.concepts[0]!.phrases[0] = ' padded';
    const found = problems(file);
    expect(found).toContain(
      'rubric[0].concepts[0].phrases[0]: phrases must be trimmed, with single spaces between words'
    );
    expect(found).toContain('id: must be 1 to 64 lower-case letters, digits or dashes');
    expect(found.some((p) => p.startsWith('(file): ') && p.includes('extra'))).toBe(true);
  });

  it('refuses the same probe twice in a question, whatever the case and spacing', () => {
    const file = discussionFile();
    file.rubric[2]!.probes[1] = file.rubric[0]!.probes[0]!.toUpperCase().replace(' ', '  ');
    expect(problems(file)).toEqual([
      expect.stringMatching(
        /^rubric\[2\]\.probes\[1\]: duplicate probe .*first at rubric\[0\]\.probes\[0\]/
      )
    ]);
  });

  it('refuses a follow-up that repeats a probe', () => {
    const file = codingFile();
    file.followUps.push(file.rubric[1]!.probes[0]!);
    expect(problems(file, 'x/sample-task.json')).toEqual([
      expect.stringMatching(/^followUps\[1\]: duplicate probe/)
    ]);
  });

  it('refuses duplicate concept ids and a phrase shared by two concepts', () => {
    const file = discussionFile();
    file.rubric[1]!.concepts[0]!.id = file.rubric[0]!.concepts[0]!.id;
    file.rubric[2]!.concepts[1]!.phrases[0] = file.rubric[2]!.concepts[0]!.phrases[0]!;
    expect(problems(file)).toEqual([
      expect.stringMatching(/^rubric\[1\]\.concepts\[0\]\.id: duplicate concept id/),
      expect.stringMatching(/^rubric\[2\]\.concepts\[1\]\.phrases\[0\]: duplicate phrase/)
    ]);
  });

  it('refuses an unknown kind', () => {
    expect(problems({ ...discussionFile(), kind: 'quiz' })).toEqual([
      'kind: "kind" must be "discussion" or "coding"'
    ]);
  });

  it('refuses a file whose name does not match its id', () => {
    expect(problems(discussionFile('other-id'))).toEqual([
      'id: id "other-id" must match the file name: other-id.json'
    ]);
  });

  it('reports JSON syntax errors against the file', () => {
    expect(() => parseQuestionFile('{ "version": 1,', FILE)).toThrow(
      /sample-question\.json: \(file\): not valid JSON/
    );
  });
});

describe('parseTemplateFile', () => {
  const file = 'content/templates/sample-template.json';

  it('returns the template without the version', () => {
    const { version: _version, ...expected } = templateFile();
    expect(parseTemplateFile(JSON.stringify(templateFile()), file)).toEqual(expected);
  });

  it('refuses an empty section at its path', () => {
    const data = templateFile();
    data.sections.push({ id: 'empty', title: 'Empty', minutes: 5, questionIds: [] });
    expect(() => parseTemplateFile(JSON.stringify(data), file)).toThrow(
      'content/templates/sample-template.json: sections[1].questionIds: a section needs at least one question'
    );
  });

  it('refuses a question listed in two sections', () => {
    const data = templateFile();
    data.sections.push({
      id: 'again',
      title: 'Again',
      minutes: 5,
      questionIds: ['sample-question']
    });
    expect(() => parseTemplateFile(JSON.stringify(data), file)).toThrow(
      /sections\[1\]\.questionIds\[0\]: duplicate question "sample-question"/
    );
  });
});

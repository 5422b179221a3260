import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultContentDir } from './content-dir';
import { loadLibrary, resolvePlan } from './library';
import { parseQuestionFile, parseTemplateFile } from './parse';

// The example an organization copies first must itself be valid.
const doc = readFileSync(resolve(defaultContentDir(), '../docs/content-format.md'), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('docs/content-format.md', () => {
  it('shows an example question and template that load and resolve', () => {
    expect(blocks).toHaveLength(2);
    const question = parseQuestionFile(blocks[0]!, 'content/questions/pagination-design.json');
    const template = parseTemplateFile(blocks[1]!, 'content/templates/acme-backend.json');
    const library = loadLibrary();
    library.questions.set(question.id, question);
    library.templates.set(template.id, template);
    const plan = resolvePlan(library, 'acme-backend');
    expect(plan.sections.flatMap((s) => s.questions.map((q) => q.id))).toEqual([
      'pagination-design',
      'rate-limiting',
      'incident-checkout-errors'
    ]);
    for (const section of plan.sections) {
      expect(section.minutes).toBe(section.questions.reduce((t, q) => t + q.minutes, 0));
    }
  });

  it('lists every shipped question', () => {
    for (const id of loadLibrary().questions.keys()) expect(doc).toContain(`| \`${id}\``);
  });
});

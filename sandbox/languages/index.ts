import { bash } from './bash';
import { go } from './go';
import { java } from './java';
import { javascript } from './javascript';
import { c, cpp } from './native';
import { python } from './python';
import { sql } from './sql';
import { typescript } from './typescript';
import type { LanguageSpec } from './types';

export const LANGUAGES: readonly LanguageSpec[] = [
  python,
  javascript,
  typescript,
  go,
  java,
  c,
  cpp,
  bash,
  sql
];

const byId = new Map(LANGUAGES.map((language) => [language.id, language]));
const aliases = new Map<string, string>([
  ['py', 'python'],
  ['python3', 'python'],
  ['js', 'javascript'],
  ['node', 'javascript'],
  ['ts', 'typescript'],
  ['golang', 'go'],
  ['c++', 'cpp'],
  ['sh', 'bash'],
  ['sqlite', 'sql']
]);

export function findLanguage(id: string): LanguageSpec | undefined {
  return byId.get(id) ?? byId.get(aliases.get(id) ?? '');
}

export function languageForPath(path: string): LanguageSpec | undefined {
  return LANGUAGES.find((language) => language.extensions.some((ext) => path.endsWith(ext)));
}

export type { LanguageSpec, Program, StepPlan } from './types';

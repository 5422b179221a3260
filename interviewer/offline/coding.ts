/**
 * What the offline engine asks about a candidate's own code and latest run
 * (TurnInput.code), in the order it asks: why the last run failed, the
 * complexity of a function they wrote, the task's first follow-up, the edge
 * cases of their code, then the task's other follow-ups. Deterministic: files
 * in name order, functions in source order.
 */
import type { CodingTask, TurnInput } from '../types';

type Code = NonNullable<TurnInput['code']>;

/** Longest stderr line quoted back to the candidate. */
const STDERR_QUOTE_CHARS = 160;
/** Code scanned for function names, per file (the sandbox caps files well above this). */
const SCAN_CHARS = 50_000;

// Repetitions are bounded so that no code, however odd, makes a scan quadratic.
const DEFINITIONS = [
  /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/g, // JavaScript, TypeScript, PHP
  /\b(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/g, // Python, Ruby (with parentheses)
  /\bfunc\s+(?:\([^)]{0,200}\)\s*)?([A-Za-z_]\w*)\s*[(<[]/g, // Go, Swift
  /\bfn\s+([A-Za-z_]\w*)\s*[(<]/g, // Rust
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]{0,300}\)|[A-Za-z_$][\w$]*)\s*(?::[^=\n]{0,200})?=>/g, // arrow functions
  /\b(?:public|private|protected|internal|static)\s+(?:[\w<>[\],.?]+\s+){1,6}([A-Za-z_]\w*)\s*\(/g // Java, C#, Kotlin-ish
];

/** Entry points and boilerplate that say nothing about the candidate's approach. */
const BORING = new Set(['main', 'constructor', 'init', '__init__', 'setup', 'run', 'test']);

/** Function names the candidate defined, in file-name then source order, without duplicates. */
export function functionNames(files: Record<string, string>): string[] {
  const names: string[] = [];
  for (const name of Object.keys(files).sort()) {
    const source = (files[name] ?? '').slice(0, SCAN_CHARS);
    const found: { index: number; name: string }[] = [];
    for (const pattern of DEFINITIONS)
      for (const match of source.matchAll(pattern))
        if (match[1]) found.push({ index: match.index, name: match[1] });
    found.sort((a, b) => a.index - b.index);
    for (const f of found) if (!names.includes(f.name) && !BORING.has(f.name)) names.push(f.name);
  }
  return names;
}

/** Run statuses that say nothing about the candidate's code: a clean run, or the sandbox's own failure. */
const NOT_A_FAILURE = new Set(['ok', 'passed', 'success', 'succeeded', 'internal_error']);

function failure(run: NonNullable<Code['lastRun']>): string | undefined {
  if (NOT_A_FAILURE.has(run.status)) return undefined;
  const line = run.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .at(-1);
  const quote = line ? `: “${line.slice(0, STDERR_QUOTE_CHARS)}”` : '';
  return `Your last run ended with ${run.status.replace(/_/g, ' ')}${quote}. What do you think causes it, and how would you fix it?`;
}

/** True when the candidate has written something beyond whitespace. */
export function hasCode(code: TurnInput['code']): code is Code {
  return code !== undefined && Object.values(code.files).some((s) => s.trim().length > 0);
}

/** Questions about the candidate's code, most pressing first; the caller skips those already asked. */
export function codeQuestions(task: CodingTask, code: TurnInput['code']): string[] {
  // The task's follow-ups are about the candidate's code: nothing to ask before there is some.
  if (!hasCode(code)) return [];
  const out: string[] = [];
  const failed = code.lastRun ? failure(code.lastRun) : undefined;
  if (failed) out.push(failed);
  const [main, other] = functionNames(code.files);
  out.push(
    main
      ? `Walk me through \`${main}\` in your code: what are its time and space complexity, and why?`
      : 'Walk me through your code: what are its time and space complexity, and why?'
  );
  // The task's own first follow-up is sharper than a generic one: it goes before the edge cases.
  const [firstFollowUp, ...moreFollowUps] = task.followUps;
  if (firstFollowUp) out.push(firstFollowUp);
  const subject = other ?? main;
  out.push(
    subject
      ? `Which edge cases does \`${subject}\` handle (empty input, duplicates, very large input), and which would break it?`
      : 'Which edge cases does your code handle (empty input, duplicates, very large input), and which would break it?'
  );
  out.push(...moreFollowUps);
  return out;
}

/** Identifiers from the code, so that talking about one's own functions is on topic. */
export function codeVocabulary(code: TurnInput['code']): string[] {
  if (!hasCode(code)) return [];
  return functionNames(code.files).flatMap((n) =>
    n
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .split(/[_\s]+/)
      .filter((w) => w.length > 0)
  );
}

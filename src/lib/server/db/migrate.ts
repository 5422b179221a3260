import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client';

/** The repo's SQL migrations, found from source (tsx) and from the built server alike. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = resolve(dir, 'drizzle');
    if (existsSync(resolve(candidate, 'meta/_journal.json'))) return candidate;
    dir = resolve(dir, '..');
  }
  return resolve(process.cwd(), 'drizzle');
}

/** Applies pending migrations; an advisory lock keeps concurrent starts from racing. */
export async function runMigrations(db: Database): Promise<void> {
  const client = await db.$client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7261001)');
    try {
      await migrate(db, { migrationsFolder: migrationsFolder() });
    } finally {
      await client.query('SELECT pg_advisory_unlock(7261001)');
    }
  } finally {
    client.release();
  }
}

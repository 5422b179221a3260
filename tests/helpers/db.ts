/**
 * One PostgreSQL database per test app, so test files can run in parallel
 * without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { ADMIN_URL_KEY } from './provided';

export type TestDatabase = {
  /** Connection string of the new database. */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open to it. Safe to call twice. */
  drop(): Promise<void>;
};

function adminUrl(): string {
  const url = inject(ADMIN_URL_KEY);
  if (!url)
    throw new Error('No test PostgreSQL: is tests/helpers/global-setup.ts in the Vitest config?');
  return url;
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `tandem_t_<random>` on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tandem_t_${randomBytes(6).toString('hex')}`;
  // The name is generated from hex digits above, so quoting it is enough.
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      // WITH (FORCE) (PostgreSQL 13+) ends connections a killed app may have left behind.
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  };
}

/** A small client for looking at (and, for expiry tests, adjusting) an app's rows directly. */
export type Sql = {
  query<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<R[]>;
  /** Number of rows in a table of the Tandem schema. */
  count(table: string): Promise<number>;
  end(): Promise<void>;
};

export function connectSql(url: string): Sql {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    async query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []) {
      const result = await pool.query<R>(text, params);
      return result.rows;
    },
    async count(table) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`Not a table name: ${table}`);
      const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      return Number(result.rows[0]?.n ?? 'NaN');
    },
    end: () => pool.end()
  };
}

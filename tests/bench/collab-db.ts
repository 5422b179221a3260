/** A fresh PostgreSQL database for one tandem server of `npm run bench:collab`. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../src/lib/server/db/client';
import { runMigrations } from '../../src/lib/server/db/migrate';

/** The server the database is created on: trust auth, user postgres, as in the test setup. */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase = {
  url: string;
  /** One interview per room: doc_updates rows reference interviews. */
  interviewIds: string[];
  /** Transactions committed in this database so far (pg_stat_database, updated within ~1 s). */
  commits(): Promise<number>;
  /** Drops the database, ending connections still open to it. Safe to call twice. */
  drop(): Promise<void>;
};

async function admin<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Creates `tandem_bench_<random>`, applies the migrations and adds `rooms` interviews. */
export async function createBenchDatabase(rooms: number): Promise<BenchDatabase> {
  const name = `tandem_bench_${randomBytes(6).toString('hex')}`;
  // The name is generated from hex digits above, so quoting it is enough.
  await admin(`CREATE DATABASE "${name}"`);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    // WITH (FORCE) (PostgreSQL 13+) ends the connections of a server that was killed.
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = createDatabase(url.toString(), { max: 2 });
  try {
    await runMigrations(db);
    const org = await db.$client.query<{ id: string }>(
      `INSERT INTO organizations (name) VALUES ('Bench') RETURNING id`
    );
    const orgId = org.rows[0]?.id;
    const candidate = await db.$client.query<{ id: string }>(
      `INSERT INTO candidates (organization_id, name, email)
       VALUES ($1, 'Bench candidate', 'candidate@example.com') RETURNING id`,
      [orgId]
    );
    const interviews = await db.$client.query<{ id: string }>(
      `INSERT INTO interviews (organization_id, candidate_id, kind, title)
       SELECT $1, $2, 'live', 'Bench interview ' || g FROM generate_series(1, $3::int) g
       RETURNING id`,
      [orgId, candidate.rows[0]?.id, rooms]
    );
    const commits = async () => {
      const rows = await admin<{ n: string }>(
        'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1',
        [name]
      );
      return Number(rows[0]?.n ?? NaN);
    };
    return { url: url.toString(), interviewIds: interviews.rows.map((r) => r.id), commits, drop };
  } catch (error) {
    await drop();
    throw error;
  } finally {
    await db.$client.end();
  }
}

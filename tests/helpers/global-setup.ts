/**
 * Finds a PostgreSQL server the integration tests may create databases on:
 * TEST_DATABASE_URL, else a local server with trust auth on 127.0.0.1:5432,
 * else an embedded PostgreSQL started here for the whole run
 * (TEST_DATABASE_URL=embedded forces that last choice).
 *
 * Also snapshots build/ for the apps under test (see build-snapshot.ts).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './processes';
import { snapshotBuild } from './build-snapshot';
import { ADMIN_URL_KEY, APP_ROOT_KEY } from './provided';

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Connects and checks the role may create databases; returns why not, or null when usable. */
async function probe(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT (rolsuper OR rolcreatedb) AS ok FROM pg_roles WHERE rolname = current_user'
    );
    return rows[0]?.ok ? null : 'the role may not CREATE DATABASE';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const appRoot = snapshotBuild();
  // '' tells startApp() to explain that build/ is missing.
  project.provide(APP_ROOT_KEY, appRoot ?? '');
  const removeAppRoot = () => {
    if (appRoot) rmSync(appRoot, { recursive: true, force: true });
  };
  try {
    const stopDatabase = await provideDatabase(project);
    return async () => {
      await stopDatabase();
      removeAppRoot();
    };
  } catch (error) {
    removeAppRoot();
    throw error;
  }
}

async function provideDatabase(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured && configured !== 'embedded') {
    // An explicit choice must work: falling back silently would hide a broken CI service.
    const problem = await probe(configured);
    if (problem) throw new Error(`TEST_DATABASE_URL is not usable: ${problem}`);
    project.provide(ADMIN_URL_KEY, configured);
    return async () => undefined;
  }
  if (configured !== 'embedded' && (await probe(LOCAL_URL)) === null) {
    project.provide(ADMIN_URL_KEY, LOCAL_URL);
    return async () => undefined;
  }

  const dir = mkdtempSync(join(tmpdir(), 'tandem-test-pg-'));
  // When the tests run as root the server runs as the `postgres` user, which must reach the directory.
  chmodSync(dir, 0o755);
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'tests/helpers/embedded-pg-process.ts'), dir],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] }
  );
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The embedded PostgreSQL for the tests did not start:\n${output}`)),
      90_000
    );
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const ready = /^ready (\S+)$/m.exec(output)?.[1];
      if (ready) {
        clearTimeout(timer);
        resolve(ready);
      }
    });
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The embedded PostgreSQL for the tests exited (${code}):\n${output}`));
    });
  });
  const admin = new URL(url);
  admin.pathname = '/postgres';
  project.provide(ADMIN_URL_KEY, admin.toString());
  return async () => {
    server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
}

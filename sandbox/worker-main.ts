/** `npm run worker`: executes queued runs on this machine until SIGTERM. */
import { pino } from 'pino';
import { parseWorkerEnv } from './env';
import { createRunWorker } from './queue/index';

async function main(): Promise<void> {
  let env;
  try {
    env = parseWorkerEnv();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = pino({ level: env.LOG_LEVEL, base: { app: 'tandem-worker' } });
  const worker = await createRunWorker({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    slots: env.SANDBOX_SLOTS,
    uidBase: env.SANDBOX_UID_BASE,
    logger
  });
  // Machine-readable for tests and process managers.
  process.stdout.write('Tandem worker ready\n');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping after its current runs');
    await worker.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

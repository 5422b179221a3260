import { hostname } from 'node:os';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { isSandboxError } from '../errors';
import { silentLogger } from '../logger';
import { createSandbox } from '../sandbox';
import {
  ADVERT_TTL_MS,
  channels,
  QUEUE_NAME,
  workersKey,
  type OutputMessage,
  type RunJobData,
  type RunJobResult,
  type RunQueueOptions,
  type WorkerAdvert
} from './types';

export interface RunWorker {
  close(): Promise<void>;
}

/**
 * Consumes the run queue on a runner machine: one job per sandbox slot,
 * output published as it arrives, cancellation heard on the run's channel.
 */
export async function createRunWorker(
  options: RunQueueOptions & { redisUrl: string }
): Promise<RunWorker> {
  const logger = options.logger ?? silentLogger;
  const prefix = options.prefix ?? 'tandem';
  const sandbox = createSandbox(options);
  const slots = options.slots ?? (await import('node:os')).cpus().length;
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const cancels = new Map<string, AbortController>();
  subscriber.on('message', (channel: string) => cancels.get(channel)?.abort());
  const id = `${hostname()}:${process.pid}`;

  const advertise = async () => {
    const advert: WorkerAdvert = { at: Date.now(), slots, languages: await sandbox.languages() };
    await publisher.hset(workersKey(prefix), id, JSON.stringify(advert));
  };
  await advertise();
  const heartbeat = setInterval(() => {
    advertise().catch((err: unknown) => logger.warn({ err }, 'could not advertise the worker'));
  }, ADVERT_TTL_MS / 3);

  const worker = new Worker<RunJobData, RunJobResult>(
    QUEUE_NAME,
    async (job) => {
      const runId = job.id ?? 'unknown';
      const channel = channels(prefix, runId);
      const controller = new AbortController();
      cancels.set(channel.cancel, controller);
      await subscriber.subscribe(channel.cancel);
      let seq = 0;
      const published: Promise<number>[] = [];
      try {
        const result = await sandbox.run(job.data.request, {
          signal: controller.signal,
          onOutput: (chunk) => {
            const message: OutputMessage = { seq: seq++, stream: chunk.stream, data: chunk.data };
            published.push(publisher.publish(channel.output, JSON.stringify(message)));
          }
        });
        await Promise.all(published);
        return { ok: true, result, chunks: seq };
      } catch (error) {
        if (isSandboxError(error))
          return { ok: false, error: { code: error.code, message: error.message } };
        throw error;
      } finally {
        cancels.delete(channel.cancel);
        await subscriber.unsubscribe(channel.cancel).catch(() => undefined);
      }
    },
    {
      connection: new Redis(options.redisUrl, { maxRetriesPerRequest: null }),
      prefix,
      concurrency: slots,
      // Candidate code must never run twice because a worker died: fail instead.
      maxStalledCount: 0
    }
  );
  worker.on('failed', (job, err) => logger.error({ err, runId: job?.id }, 'run job failed'));
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  await worker.waitUntilReady();
  logger.info({ id, slots }, 'run worker ready');

  return {
    async close() {
      clearInterval(heartbeat);
      // Lets the runs in progress finish, then stops taking new ones.
      await worker.close();
      await publisher.hdel(workersKey(prefix), id).catch(() => undefined);
      await sandbox.close();
      publisher.disconnect();
      subscriber.disconnect();
    }
  };
}

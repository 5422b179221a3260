import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { SandboxError, type SandboxErrorCode } from '../errors';
import { emptyResult } from '../execute';
import { DEFAULT_LIMITS } from '../limits';
import { silentLogger } from '../logger';
import { parseRequest } from '../request';
import type { LanguageInfo, RunResult } from '../types';
import { LANGUAGES } from '../languages/index';
import {
  channels,
  PRIORITY,
  QUEUE_NAME,
  type OutputMessage,
  type RunJobData,
  type RunJobResult,
  type RunQueue,
  type RunQueueOptions,
  type WorkerAdvert,
  ADVERT_TTL_MS,
  workersKey
} from './types';

const CHUNK_DRAIN_MS = 2_000;
const WAITING_STATES = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children']);

const knownCodes: ReadonlySet<string> = new Set<SandboxErrorCode>([
  'invalid_request',
  'unknown_language',
  'language_unavailable',
  'limit_exceeded',
  'closed',
  'unsupported_host',
  'no_runner'
]);

function isCode(code: string): code is SandboxErrorCode {
  return knownCodes.has(code);
}

/**
 * The app side of scale-out: runs go to a BullMQ queue, `npm run worker`
 * processes execute them, output comes back over Redis pub/sub as it is
 * produced, and the result through BullMQ's completion event.
 */
export function createRedisRunQueue(options: RunQueueOptions & { redisUrl: string }): RunQueue {
  const logger = options.logger ?? silentLogger;
  const prefix = options.prefix ?? 'tandem';
  const queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
  const redis = () => new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<RunJobData, RunJobResult>(QUEUE_NAME, { connection: redis(), prefix });
  const events = new QueueEvents(QUEUE_NAME, { connection: redis(), prefix });
  const subscriber = redis();
  const publisher = redis();
  const handlers = new Map<string, (message: string) => void>();
  subscriber.on('message', (channel: string, message: string) => handlers.get(channel)?.(message));
  for (const client of [subscriber, publisher]) {
    client.on('error', (err: Error) => logger.warn({ err }, 'redis connection error'));
  }
  let closed = false;

  async function run(input: unknown, runOptions: Parameters<RunQueue['run']>[1] = {}) {
    if (closed) throw new SandboxError('closed', 'the run queue is closed');
    // Shape errors are answered here, without a round trip to a worker.
    const request = parseRequest(input);
    const runId = randomUUID();
    const channel = channels(prefix, runId);
    const signal = runOptions.signal;
    let received = 0;
    let drained: (() => void) | undefined;
    let expected = Number.POSITIVE_INFINITY;
    handlers.set(channel.output, (message) => {
      const chunk = JSON.parse(message) as OutputMessage;
      received += 1;
      runOptions.onOutput?.({ stream: chunk.stream, data: chunk.data });
      if (received >= expected) drained?.();
    });
    // Subscribe before the job exists, so no chunk is published to nobody.
    await subscriber.subscribe(channel.output);
    try {
      await events.waitUntilReady();
      const job = await queue.add(
        'run',
        { request: input },
        {
          jobId: runId,
          priority: PRIORITY[request.priority],
          removeOnComplete: { age: 600 },
          removeOnFail: { age: 600 }
        }
      );
      let timedOut = false;
      const removeIfWaiting = async (): Promise<boolean> => {
        const state = await job.getState();
        if (!WAITING_STATES.has(state)) return false;
        await job.remove().catch(() => undefined);
        return true;
      };
      const onAbort = () => {
        void removeIfWaiting();
        void publisher.publish(channel.cancel, 'cancel');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        void removeIfWaiting().then((removed) => {
          if (removed) timedOut = true;
        });
      }, queueTimeoutMs);
      try {
        const finished = job.waitUntilFinished(events) as Promise<RunJobResult>;
        const outcome = await Promise.race([
          finished,
          new Promise<'gone'>((resolve) => {
            // A job removed before it started never finishes: poll for that.
            const poll = setInterval(async () => {
              if ((timedOut || signal?.aborted) && !(await queue.getJob(runId))) {
                clearInterval(poll);
                resolve('gone');
              }
            }, 100);
            void finished.finally(() => clearInterval(poll)).catch(() => undefined);
          })
        ]);
        if (outcome === 'gone') {
          if (timedOut) {
            throw new SandboxError(
              'no_runner',
              'no code runner picked the run up: is a worker running?'
            );
          }
          return emptyResult('timeout', { ...DEFAULT_LIMITS }, { cancelled: true });
        }
        if (!outcome.ok) {
          const { code, message } = outcome.error;
          throw new SandboxError(isCode(code) ? code : 'invalid_request', message);
        }
        if (received < outcome.chunks) {
          expected = outcome.chunks;
          await new Promise<void>((resolve) => {
            drained = resolve;
            setTimeout(resolve, CHUNK_DRAIN_MS);
          });
        }
        return outcome.result;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    } catch (error) {
      if (error instanceof SandboxError) throw error;
      logger.error({ err: error, runId }, 'queued run failed');
      return emptyResult('internal_error', { ...DEFAULT_LIMITS }) satisfies RunResult;
    } finally {
      handlers.delete(channel.output);
      await subscriber.unsubscribe(channel.output).catch(() => undefined);
    }
  }

  return {
    mode: 'redis',
    run,
    async languages(): Promise<LanguageInfo[]> {
      // Workers advertise their toolchains; with none alive every language is unavailable.
      const advertised = await publisher.hvals(workersKey(prefix));
      const now = Date.now();
      const available = new Map<string, LanguageInfo>();
      for (const raw of advertised) {
        const ad = JSON.parse(raw) as WorkerAdvert;
        if (now - ad.at > ADVERT_TTL_MS) continue;
        for (const language of ad.languages) {
          if (language.available || !available.has(language.id))
            available.set(language.id, language);
        }
      }
      return LANGUAGES.map(
        (l) =>
          available.get(l.id) ?? {
            id: l.id,
            name: l.name,
            extensions: [...l.extensions],
            available: false,
            package: l.package,
            defaultLimits: { ...DEFAULT_LIMITS, ...l.limits }
          }
      );
    },
    async close() {
      closed = true;
      await Promise.allSettled([queue.close(), events.close()]);
      subscriber.disconnect();
      publisher.disconnect();
    }
  };
}

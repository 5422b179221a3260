import { createSandbox } from '../sandbox';
import { createRedisRunQueue } from './redis-queue';
import type { RunQueue, RunQueueOptions } from './types';

export type { RunQueue, RunQueueOptions } from './types';
export { createRunWorker, type RunWorker } from './worker';

/** An in-process slot pool without REDIS_URL; the BullMQ queue with it. */
export function createRunQueue(options: RunQueueOptions = {}): RunQueue {
  if (options.redisUrl) return createRedisRunQueue({ ...options, redisUrl: options.redisUrl });
  const sandbox = createSandbox(options);
  return { mode: 'local', ...sandbox };
}

/**
 * The Yjs server's document worker (realtime/worker-doc-host.ts): the documents and their log
 * in PostgreSQL, on a small pool of the worker's own. Built to build/doc-worker.js beside
 * build/server.js; docWorkerEntry() finds either form.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isDocWorker, serveDocuments } from '../../../../realtime/doc-worker';
import { createDatabase } from '../db/client';
import { createPgDocStore } from './doc-store';

const WorkerConfig = z.object({ databaseUrl: z.string().min(1) });
export type DocWorkerConfig = z.infer<typeof WorkerConfig>;

/** The worker's module: build/doc-worker.js in a build, this file under tsx or vitest. */
export function docWorkerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'doc-worker.js');
  return existsSync(built) ? built : join(here, 'doc-worker.ts');
}

// Only as the worker's entry: importing this module for docWorkerEntry() must not serve.
if (isDocWorker()) {
  serveDocuments(async (data) => {
    const { databaseUrl } = WorkerConfig.parse(data);
    // A few connections: one write at a time, plus loads of documents being opened.
    const db = createDatabase(databaseUrl, { max: 4 });
    db.$client.on('error', () => {
      // An idle client lost its connection; the pool replaces it on the next query.
    });
    return { store: createPgDocStore(db), close: () => db.$client.end() };
  });
}

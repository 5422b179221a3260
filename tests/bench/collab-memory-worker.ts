/** The document worker of the bench's tandem-memory mode: the realtime tests' in-memory store. */
import { createMemoryDocStore } from '../../realtime/index';
import { isDocWorker, serveDocuments } from '../../realtime/doc-worker';

if (isDocWorker()) serveDocuments(async () => ({ store: createMemoryDocStore() }));

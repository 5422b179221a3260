export { CloseCode } from './close-codes';
export type { Logger } from './logger';
export { createMemoryDocStore, type MemoryDocStore } from './memory-store';
export type { Seeder } from './room';
export type { DocKey, DocStore, LoadedDoc, NewUpdate, StoredUpdate } from './store';
export {
  DOC_ROLES,
  DOC_TOKEN_AUDIENCE,
  MAX_DOC_TOKEN_TTL_SECONDS,
  createDocTokens,
  isReadOnlyRole,
  type DocClaims,
  type DocRole,
  type DocTokens,
  type DocTokensOptions
} from './tokens';
export {
  DEFAULT_DOC_NAME,
  DEFAULT_MAX_MESSAGE_BYTES,
  createYjsServer,
  type YjsServer,
  type YjsServerOptions,
  type YjsServerStats
} from './yjs-server';
export { flushOnShutdown, type FlushOnShutdownOptions } from './shutdown';
export { STAFF_ONLY_DOCS } from './upgrade-auth';

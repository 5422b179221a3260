/** Public face of the live-session events server (socket.io). */
export * from './contracts';
export { SESSION_PROBLEM_CODES, SessionProblem, type SessionProblemCode } from './problems';
export {
  createSessionServer,
  MAX_SESSION_PACKET_BYTES,
  type SessionServer,
  type SessionServerOptions
} from './server';
export { createMemorySessionStore, type MemorySessionStore } from './memory-store';
export type {
  LoadedSession,
  NewSessionEvent,
  RunContext,
  RunGateway,
  RunHooks,
  SessionEventKind,
  SessionStore,
  StoredSessionEvent
} from './store';
export {
  createSessionTokens,
  SESSION_TOKEN_AUDIENCE,
  SESSION_TOKEN_TTL_SECONDS,
  type SessionClaims,
  type SessionTokens
} from './tokens';

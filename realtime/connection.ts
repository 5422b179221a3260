import type { WebSocket } from 'ws';
import type { Logger } from './logger';
import type { DocKey } from './store';
import type { DocClaims } from './tokens';

/** One authorized socket on one document. */
export type Connection = {
  ws: WebSocket;
  key: DocKey;
  claims: DocClaims;
  readOnly: boolean;
  logger: Logger;
  /** Awareness client ids this socket announced; removed for everyone when it closes. */
  awarenessIds: Set<number>;
  /** Cleared on each ping, set by the pong; still false at the next ping means dead. */
  alive: boolean;
};

export function send(conn: Connection, message: Uint8Array): void {
  // ws.OPEN is 1; comparing with the instance constant avoids importing the runtime class here.
  if (conn.ws.readyState !== conn.ws.OPEN) return;
  // No write callback: a failed write destroys the socket, which closes the connection anyway,
  // and a callback per message was garbage on the path every keystroke takes.
  conn.ws.send(message);
}

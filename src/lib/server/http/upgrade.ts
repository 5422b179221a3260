import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes HTTP upgrades (websockets) by path prefix. Realtime servers register
 * here; an upgrade nobody claims is answered 404 and closed.
 */
export function createUpgradeRouter(log: Logger) {
  const routes: { prefix: string; handler: UpgradeHandler }[] = [];
  return {
    register(prefix: string, handler: UpgradeHandler): void {
      routes.push({ prefix, handler });
    },
    handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const route = routes.find((r) => path === r.prefix || path.startsWith(r.prefix + '/'));
      if (!route) {
        log.debug({ path }, 'refused an upgrade for an unknown path');
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      route.handler(request, socket, head);
    }
  };
}

export type UpgradeRouter = ReturnType<typeof createUpgradeRouter>;

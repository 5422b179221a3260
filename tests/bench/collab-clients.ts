/** The bench's client processes (collab-client-process.ts), driven as one. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from './app';
import type { ClientCommand, ClientReply, ClientResults } from './collab-client-process';

export type Clients = {
  /** Opens a room per URL pair, spread over the processes; resolves when all are ready. */
  open(rooms: Array<[string, string]>, waitForSync: boolean): Promise<void>;
  startTyping(periodMs: number): Promise<void>;
  /** Starts the measured window in every process. */
  measure(durationMs: number): Promise<void>;
  stopTyping(): Promise<void>;
  /** Latencies and counts of the window, merged; cpuMs summed, loop delay the worst. */
  results(): Promise<ClientResults>;
  fill(chars: number): Promise<void>;
  close(): Promise<void>;
  /** Ends the processes. */
  stop(): Promise<void>;
};

function startProcess(): {
  child: ChildProcess;
  ask(command: ClientCommand): Promise<ClientReply>;
} {
  const child = fork(join(root, 'tests', 'bench', 'collab-client-process.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  const waiting: Array<(reply: ClientReply) => void> = [];
  child.on('message', (reply: ClientReply) => waiting.shift()?.(reply));
  child.once('exit', (code) => {
    for (const resolve of waiting.splice(0))
      resolve({ ok: false, error: `client process exited with ${code}` });
  });
  return {
    child,
    ask(command) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.send(command);
      });
    }
  };
}

export function startClients(count: number): Clients {
  const processes = Array.from({ length: count }, startProcess);
  const all = async (command: (index: number) => ClientCommand): Promise<ClientReply[]> => {
    const replies = await Promise.all(processes.map((p, i) => p.ask(command(i))));
    for (const reply of replies) if (!reply.ok) throw new Error(reply.error);
    return replies;
  };

  return {
    async open(rooms, waitForSync) {
      await all((i) => ({
        type: 'open',
        rooms: rooms.filter((_, r) => r % count === i),
        waitForSync
      }));
    },
    startTyping: async (periodMs) => void (await all(() => ({ type: 'start', periodMs }))),
    measure: async (durationMs) => void (await all(() => ({ type: 'measure', durationMs }))),
    stopTyping: async () => void (await all(() => ({ type: 'stop' }))),
    async results() {
      const merged: ClientResults = {
        latencies: [],
        sent: 0,
        errors: 0,
        cpuMs: 0,
        loopDelayP99Ms: 0
      };
      for (const reply of await all(() => ({ type: 'results' }))) {
        if (!reply.ok) continue;
        for (const latency of reply.latencies ?? []) merged.latencies.push(latency);
        merged.sent += reply.sent ?? 0;
        merged.errors += reply.errors ?? 0;
        merged.cpuMs += reply.cpuMs ?? 0;
        merged.loopDelayP99Ms = Math.max(merged.loopDelayP99Ms, reply.loopDelayP99Ms ?? 0);
      }
      return merged;
    },
    fill: async (chars) => void (await all(() => ({ type: 'fill', chars }))),
    close: async () => void (await all(() => ({ type: 'close' }))),
    async stop() {
      await Promise.all(
        processes.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              // The process exits when its channel closes (collab-client-process.ts).
              if (child.connected) child.disconnect();
              else child.kill();
            })
        )
      );
    }
  };
}

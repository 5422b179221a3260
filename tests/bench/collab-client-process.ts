/**
 * A process of bench clients for `npm run bench:collab`, forked by collab-clients.ts so that
 * 1000 clients are not limited to one event loop. Commands arrive over the IPC channel and each
 * is answered with one message: { ok: true, ...result } or { ok: false, error }. The process
 * exits when the channel closes (the bench ended or died).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRecorder, openRoom, type Room } from './collab-client';

export type ClientCommand =
  | { type: 'open'; rooms: Array<[string, string]>; waitForSync: boolean }
  | { type: 'start'; periodMs: number }
  /** Counts characters typed from now for `durationMs`. */
  | { type: 'measure'; durationMs: number }
  | { type: 'stop' }
  | { type: 'results' }
  | { type: 'fill'; chars: number }
  | { type: 'close' };

export type ClientResults = {
  latencies: number[];
  sent: number;
  errors: number;
  /** CPU time of this process during the measured window, in ms. */
  cpuMs: number;
  loopDelayP99Ms: number;
};

export type ClientReply = ({ ok: true } & Partial<ClientResults>) | { ok: false; error: string };

const recorder = createRecorder();
const rooms: Room[] = [];
const loop = monitorEventLoopDelay({ resolution: 5 });
let window: { cpu: NodeJS.CpuUsage; done: Promise<NodeJS.CpuUsage> } | null = null;

async function run(command: ClientCommand): Promise<Partial<ClientResults>> {
  switch (command.type) {
    case 'open': {
      const opened = command.rooms.map((urls) =>
        openRoom({ urls, waitForSync: command.waitForSync, recorder })
      );
      rooms.push(...opened);
      await Promise.all(opened.map((room) => room.ready));
      return {};
    }
    case 'start':
      for (const room of rooms) room.startTyping(command.periodMs);
      return {};
    case 'measure': {
      const cpu = process.cpuUsage();
      loop.reset();
      loop.enable();
      recorder.from = performance.now();
      recorder.to = recorder.from + command.durationMs;
      const done = new Promise<NodeJS.CpuUsage>((resolve) =>
        setTimeout(() => {
          loop.disable();
          resolve(process.cpuUsage(cpu));
        }, command.durationMs)
      );
      window = { cpu, done };
      return {};
    }
    case 'stop':
      for (const room of rooms) room.stopTyping();
      return {};
    case 'results': {
      const used = window ? await window.done : { user: 0, system: 0 };
      return {
        latencies: recorder.latencies,
        sent: recorder.sent,
        errors: recorder.errors,
        cpuMs: (used.user + used.system) / 1000,
        loopDelayP99Ms: loop.percentile(99) / 1e6
      };
    }
    case 'fill':
      for (const room of rooms) room.fill(command.chars);
      return {};
    case 'close':
      for (const room of rooms.splice(0)) room.close();
      return {};
  }
}

process.on('message', (command: ClientCommand) => {
  run(command).then(
    (result) => process.send?.({ ok: true, ...result } satisfies ClientReply),
    (error: unknown) => process.send?.({ ok: false, error: String(error) } satisfies ClientReply)
  );
});
process.on('disconnect', () => process.exit(0));

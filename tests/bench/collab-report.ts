/** The figures of `npm run bench:collab` and their verdicts against the targets. */
import type { ServerMode } from './collab-child';

/** Issue text, on 2 cores. */
export const TARGET = { p99AtRooms: 200, p99Ms: 50, relayRatio: 1.5, idleRoomMb: 1 };

export type Point = {
  mode: ServerMode;
  rooms: number;
  p50: number;
  p99: number;
  max: number;
  /** Remote applications per second in the window. */
  updatesPerSecond: number;
  /** Characters typed in the window, and how many of them never reached the other client. */
  sent: number;
  lost: number;
  /** Sockets that closed while the rooms were open. */
  errors: number;
  /** CPU in % of one core: the server child, the client process, all of PostgreSQL, the rest. */
  serverCpu: number;
  /** The server's main thread alone, which relays every edit (the rest is its workers). */
  socketThreadCpu: number;
  clientCpu: number;
  postgresCpu: number;
  otherCpu: number;
  serverRssMb: number;
  /** p99 of the event-loop delay of the client process and of the server: how late each ran. */
  clientLoopP99: number;
  serverLoopP99: number;
  /** The server's garbage-collection pauses in the window: their share of it and the longest. */
  serverGcPercent: number;
  serverGcMaxMs: number;
  commitsPerSecond: number;
};

export type IdleMemory = {
  rooms: number;
  charsPerRoom: number;
  /** Server RSS after GC: fresh, with the rooms loaded and their clients idle, clients gone. */
  emptyMb: number;
  connectedMb: number;
  disconnectedMb: number;
  heapPerRoomKb: number;
  /** Documents still loaded after the clients left (the server unloads after idleUnloadMs). */
  documentsLoaded: number;
};

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
const percent = (n: number) => `${n.toFixed(0)} %`;

/** A mode at a room count, measured `runs.length` times: its figures are the median run's. */
export type Summary = Point & { runs: number[] };

/**
 * The run with the median p99 of each (mode, rooms), whole, so that its figures belong together,
 * with every run's p99 beside it: one run on a shared 2-core machine says little.
 */
export function summarize(points: Point[]): Summary[] {
  const groups = new Map<string, Point[]>();
  for (const p of points) {
    const key = `${p.rooms} ${p.mode}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((runs) => {
    const sorted = [...runs].sort((a, b) => a.p99 - b.p99);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    return { ...median, runs: runs.map((r) => r.p99) };
  });
}

export function table(points: Summary[]): string[] {
  const header = [
    'Mode',
    'Rooms',
    'p50',
    'p99',
    'p99 of each run',
    'max',
    'Updates/s',
    'Server CPU',
    'Socket thread',
    'Server RSS',
    'Clients CPU',
    'PostgreSQL CPU',
    'Other CPU'
  ];
  const rows = points.map((p) => [
    p.mode,
    String(p.rooms),
    ms(p.p50),
    ms(p.p99),
    p.runs.map((r) => r.toFixed(1)).join(', '),
    ms(p.max),
    p.updatesPerSecond.toFixed(0),
    percent(p.serverCpu),
    percent(p.socketThreadCpu),
    `${p.serverRssMb.toFixed(0)} MB`,
    percent(p.clientCpu),
    percent(p.postgresCpu),
    percent(p.otherCpu)
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

export function verdicts(points: Summary[], idle: IdleMemory | null, drainMs: number): string[] {
  const lines: string[] = [];
  const find = (mode: ServerMode, rooms: number) =>
    points.find((p) => p.mode === mode && p.rooms === rooms);
  for (const p of points) {
    if (p.lost > 0 || p.errors > 0) {
      lines.push(
        `${p.mode} ${p.rooms}: ${p.lost} of ${p.sent} characters not applied within ` +
          `${drainMs} ms of the window's end; ${p.errors} sockets closed`
      );
    }
  }
  const at = find('tandem', TARGET.p99AtRooms);
  if (at) {
    lines.push(
      `p99 <= ${TARGET.p99Ms} ms at ${TARGET.p99AtRooms} rooms: ${ms(at.p99)}, ` +
        `${(at.p99 / TARGET.p99Ms).toFixed(2)}x the target (${verdict(at.p99 <= TARGET.p99Ms)})`
    );
  }
  for (const rooms of new Set(points.map((p) => p.rooms))) {
    const relay = find('relay', rooms);
    for (const mode of ['tandem-socket', 'tandem-memory', 'tandem'] as const) {
      const server = find(mode, rooms);
      if (!server || !relay) continue;
      const ratio = server.p99 / relay.p99;
      const target = mode === 'tandem' ? `; target <= ${TARGET.relayRatio}x` : '';
      const met = mode === 'tandem' ? ` (${verdict(ratio <= TARGET.relayRatio)})` : '';
      lines.push(
        `p99 ${mode} / relay at ${rooms} rooms: ${ms(server.p99)} / ${ms(relay.p99)} = ` +
          `${ratio.toFixed(2)}x${target}${met}`
      );
    }
  }
  if (idle) {
    const connected = (idle.connectedMb - idle.emptyMb) / idle.rooms;
    const disconnected = (idle.disconnectedMb - idle.emptyMb) / idle.rooms;
    lines.push(
      `idle rooms (tandem, ${idle.rooms} rooms of ${idle.charsPerRoom} typed characters, ` +
        `RSS after GC): ${idle.emptyMb.toFixed(1)} MB with 0 rooms, ` +
        `${idle.connectedMb.toFixed(1)} MB loaded with both clients connected and idle, ` +
        `${idle.disconnectedMb.toFixed(1)} MB loaded after the clients left ` +
        `(${idle.documentsLoaded} documents still loaded)`,
      `  per room: ${connected.toFixed(3)} MB with its clients connected (JS heap ` +
        `${idle.heapPerRoomKb.toFixed(0)} KB), ${disconnected.toFixed(3)} MB without sockets; ` +
        `target <= ${TARGET.idleRoomMb} MB (${verdict(connected <= TARGET.idleRoomMb)})`
    );
  }
  return lines;
}

/**
 * npm run bench:interviewer-openai [-- --turns 300 --warmup 30 --delay 50 --chunks 40]
 *
 * Server-side overhead of an interviewer turn through the OpenAI provider (issue 5:
 * "with the OpenAI provider, server-side overhead of a turn over the local test server's
 * response <= 30 ms").
 *
 * A local OpenAI-compatible server, in a child process so it does not share our event loop,
 * answers every chat completion with a canned streamed decision after a fixed delay. It
 * measures its own time per request, from the request arriving to its last byte written, and
 * reports it over IPC. Here, turns run one after another through `createOpenAIProvider` (the
 * real SDK over real HTTP, prompts, streaming JSON extraction, zod, state); a turn's overhead
 * is its time minus the server's time for that request. The same is measured for a bare
 * `fetch` that reads the same stream, to show what HTTP alone costs.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOpenAIProvider } from '../../interviewer/providers';
import { NOW, PLAN, stateAt } from '../../interviewer/providers/testing/plan-fixture';
import type { TranscriptMessage } from '../../interviewer/types';

const { values: flags } = parseArgs({
  options: {
    turns: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    /** Server-side delay before the first byte, ms (the "model"). */
    delay: { type: 'string', default: '50' },
    /** SSE chunks the decision is split into. */
    chunks: { type: 'string', default: '40' },
    serve: { type: 'boolean', default: false }
  }
});
const TURNS = Number(flags.turns);
const WARMUP = Number(flags.warmup);
const DELAY_MS = Number(flags.delay);
const CHUNKS = Number(flags.chunks);
const GOAL_MS = 30;

const MESSAGE =
  'Suppose two retries of the same payment reach two different app servers at the same moment. ' +
  'Walk me through what stops both of them from charging the card, and where that guarantee lives.';
const DECISION = JSON.stringify({
  action: 'probe',
  questionId: 'q-idempotency',
  dimensionId: 'keys',
  coveredConceptIds: ['idempotency-key'],
  message: MESSAGE
});

type ServerReport = { serverMs: number };

// ---------- the server child ----------

function sse(content: string | undefined, finish: string | null): string {
  const chunk = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'bench',
    choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }]
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function serve(): void {
  const size = Math.ceil(DECISION.length / CHUNKS);
  const pieces: string[] = [];
  for (let i = 0; i < DECISION.length; i += size)
    pieces.push(sse(DECISION.slice(i, i + size), null));
  pieces.push(sse(undefined, 'stop'), 'data: [DONE]\n\n');
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const piece of pieces.slice(0, -1)) res.write(piece);
        res.end(pieces.at(-1));
      }, DELAY_MS);
    });
    res.on('finish', () => {
      const report: ServerReport = { serverMs: Number(process.hrtime.bigint() - started) / 1e6 };
      process.send?.(report);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    process.send?.({ port: address.port });
  });
  process.on('disconnect', () => server.close(() => process.exit(0)));
}

// ---------- the benchmark ----------

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function isReport(value: unknown): value is ServerReport {
  return typeof value === 'object' && value !== null && 'serverMs' in value;
}

function isPort(value: unknown): value is { port: number } {
  return (
    typeof value === 'object' && value !== null && 'port' in value && typeof value.port === 'number'
  );
}

async function main(): Promise<void> {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', '--delay', String(DELAY_MS), '--chunks', String(CHUNKS)],
    {
      execArgv: ['--import', 'tsx']
    }
  );
  const reports: number[] = [];
  let wake: (() => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: unknown) => {
      if (isPort(message)) resolve(message.port);
      else if (isReport(message)) {
        reports.push(message.serverMs);
        wake?.();
      }
    });
  });
  /** The server's time for the n-th request (0-based), once it has reported it. */
  async function serverTime(n: number): Promise<number> {
    while (reports.length <= n) await new Promise<void>((resolve) => (wake = resolve));
    return reports[n]!;
  }

  const baseURL = `http://127.0.0.1:${port}/v1`;
  const provider = createOpenAIProvider({
    apiKey: 'bench',
    baseURL,
    model: 'bench',
    maxRetries: 0
  });
  const transcript: TranscriptMessage[] = Array.from({ length: 12 }, (_, i) => ({
    id: `m${i}`,
    speaker: i % 2 === 0 ? 'interviewer' : 'candidate',
    text: `${i % 2 === 0 ? 'Question' : 'Answer'} ${i}: ${'idempotency keys and retries '.repeat(10)}`,
    at: NOW.toISOString()
  }));
  const input = {
    plan: PLAN,
    state: stateAt(0, 0),
    transcript,
    answer: transcript.at(-1)!.text,
    now: NOW
  };

  let requests = 0;
  async function measure(label: string, run: () => Promise<void>): Promise<number[]> {
    const overheads: number[] = [];
    let cpu = process.cpuUsage();
    for (let i = 0; i < WARMUP + TURNS; i += 1) {
      if (i === WARMUP) cpu = process.cpuUsage();
      const started = performance.now();
      await run();
      const total = performance.now() - started;
      const server = await serverTime(requests);
      requests += 1;
      if (i >= WARMUP) overheads.push(total - server);
    }
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000 / TURNS;
    const p50 = percentile(overheads, 50);
    const p99 = percentile(overheads, 99);
    console.log(
      `${label.padEnd(9)} overhead over the server's ${DELAY_MS} ms response: ` +
        `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${percentile(overheads, 100).toFixed(2)} ms ` +
        `(${TURNS} turns, ${CHUNKS} chunks); CPU ${cpuMs.toFixed(2)} ms a turn`
    );
    return overheads;
  }

  console.log(
    `node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)}; ` +
      `goal: p99 overhead <= ${GOAL_MS} ms`
  );
  const raw = await measure('raw fetch', async () => {
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
      body: JSON.stringify({
        model: 'bench',
        stream: true,
        messages: [{ role: 'user', content: 'x' }]
      })
    });
    await response.text();
  });
  let tokens = 0;
  const overheads = await measure('provider', async () => {
    const result = await provider.turn(input, { onToken: () => (tokens += 1) });
    if (result.decision.message !== MESSAGE) throw new Error('unexpected decision');
  });
  const p99 = percentile(overheads, 99);
  const own = percentile(overheads, 50) - percentile(raw, 50);
  console.log(
    `provider's own cost over a bare fetch of the same stream: ${own.toFixed(2)} ms at p50`
  );
  console.log(
    `provider p99 / goal = ${(p99 / GOAL_MS).toFixed(3)} (${p99 <= GOAL_MS ? 'met' : 'NOT met'}); ` +
      `${(tokens / (WARMUP + TURNS)).toFixed(0)} onToken calls per turn`
  );
  child.disconnect();
  if (p99 > GOAL_MS) process.exitCode = 1;
}

if (flags.serve) serve();
else await main();

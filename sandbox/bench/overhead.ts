/**
 * Measures what the sandbox adds to a hello-world run: end-to-end latency of
 * `sandbox.run()` against spawning the same interpreter bare from Node.
 *   tsx sandbox/bench/overhead.ts [python|javascript|bash] [iterations]
 */
import { spawnSync } from 'node:child_process';
import { createSandbox } from '../index';

const programs: Record<string, { file: string; source: string; bare: string[] }> = {
  python: {
    file: 'main.py',
    source: 'print("hello")',
    bare: ['/usr/bin/python3', '-I', '-u', '-B', '-c', 'print("hello")']
  },
  javascript: {
    file: 'main.js',
    source: 'console.log("hello")',
    bare: ['/usr/bin/node', '-e', 'console.log("hello")']
  },
  bash: { file: 'main.sh', source: 'echo hello', bare: ['/usr/bin/bash', '-c', 'echo hello'] }
};

const language = process.argv[2] ?? 'python';
const iterations = Number(process.argv[3] ?? 20);
const program = programs[language];
if (!program) throw new Error(`no benchmark for ${language}`);

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const bare: number[] = [];
for (let i = 0; i < iterations; i++) {
  const [file = '', ...args] = program.bare;
  const start = performance.now();
  spawnSync(file, args, { env: {} });
  bare.push(performance.now() - start);
}

const sandbox = createSandbox({ slots: 1 });
await sandbox.run({ language, files: { [program.file]: program.source } });
const sandboxed: number[] = [];
const reported: number[] = [];
for (let i = 0; i < iterations; i++) {
  const start = performance.now();
  const result = await sandbox.run({ language, files: { [program.file]: program.source } });
  sandboxed.push(performance.now() - start);
  reported.push(result.wallMs);
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
}
await sandbox.close();
const line = {
  language,
  iterations,
  bareMedianMs: Math.round(median(bare) * 10) / 10,
  sandboxMedianMs: Math.round(median(sandboxed) * 10) / 10,
  reportedWallMedianMs: median(reported),
  overheadMs: Math.round((median(sandboxed) - median(bare)) * 10) / 10
};
process.stdout.write(`${JSON.stringify(line)}\n`);

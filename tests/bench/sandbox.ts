/**
 * npm run bench:sandbox
 * 1. Per language: hello world sandboxed (sandbox.run end to end) against the same
 *    command run bare (spawned from Node with piped output, no isolation), medians,
 *    their difference and ratio. Compiled languages compile once outside the timing
 *    for the bare run, and inside it for the sandboxed run (reported separately).
 * 2. Python hello-world runs per second at concurrency = slots, through the app's
 *    HTTP API (POST /api/v1/runs).
 * 3. Time from request to the first output chunk for Python (streamed NDJSON).
 * 4. Peak RSS of the app server during those runs (VmHWM).
 * Targets on 2 cores: overhead <= 15 ms for Python, JavaScript and Bash; >= 40
 * Python runs/s; first chunk <= 150 ms.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../sandbox/index';
import { benchToken, median, root, waitForListening } from './app';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_DURATION ?? 10);

type Hello = {
  language: string;
  file: string;
  source: string;
  /** Prepare the bare command in `dir`; returns argv. */
  bare(dir: string): string[];
};

const hellos: Hello[] = [
  {
    language: 'python',
    file: 'main.py',
    source: 'print("hello")\n',
    bare: (d) => (
      writeFileSync(join(d, 'main.py'), 'print("hello")\n'),
      ['/usr/bin/python3', '-I', '-u', '-B', join(d, 'main.py')]
    )
  },
  {
    language: 'javascript',
    file: 'main.js',
    source: 'console.log("hello");\n',
    bare: (d) => (
      writeFileSync(join(d, 'main.js'), 'console.log("hello");\n'),
      ['/usr/bin/node', join(d, 'main.js')]
    )
  },
  {
    language: 'typescript',
    file: 'main.ts',
    source: 'const greeting: string = "hello";\nconsole.log(greeting);\n',
    bare: (d) => (
      writeFileSync(join(d, 'main.js'), 'const greeting = "hello";\nconsole.log(greeting);\n'),
      ['/usr/bin/node', join(d, 'main.js')]
    )
  },
  {
    language: 'bash',
    file: 'main.sh',
    source: 'echo hello\n',
    bare: (d) => (
      writeFileSync(join(d, 'main.sh'), 'echo hello\n'),
      ['/usr/bin/bash', join(d, 'main.sh')]
    )
  },
  {
    language: 'c',
    file: 'main.c',
    source: '#include <stdio.h>\nint main(void){puts("hello");return 0;}\n',
    bare: (d) => {
      writeFileSync(
        join(d, 'main.c'),
        '#include <stdio.h>\nint main(void){puts("hello");return 0;}\n'
      );
      spawnSync('/usr/bin/gcc', ['-O2', '-o', join(d, 'c.out'), join(d, 'main.c')]);
      return [join(d, 'c.out')];
    }
  },
  {
    language: 'cpp',
    file: 'main.cpp',
    source: '#include <iostream>\nint main(){std::cout<<"hello"<<std::endl;}\n',
    bare: (d) => {
      writeFileSync(
        join(d, 'main.cpp'),
        '#include <iostream>\nint main(){std::cout<<"hello"<<std::endl;}\n'
      );
      spawnSync('/usr/bin/g++', ['-O2', '-o', join(d, 'cpp.out'), join(d, 'main.cpp')]);
      return [join(d, 'cpp.out')];
    }
  },
  {
    language: 'go',
    file: 'main.go',
    source: 'package main\nimport "fmt"\nfunc main(){fmt.Println("hello")}\n',
    bare: (d) => {
      writeFileSync(
        join(d, 'main.go'),
        'package main\nimport "fmt"\nfunc main(){fmt.Println("hello")}\n'
      );
      spawnSync('/usr/bin/go', ['build', '-o', join(d, 'go.out'), join(d, 'main.go')], {
        env: { HOME: d, GOCACHE: join(d, 'gocache'), PATH: '/usr/bin:/bin' }
      });
      return [join(d, 'go.out')];
    }
  },
  {
    language: 'java',
    file: 'Main.java',
    source:
      'public class Main { public static void main(String[] a){ System.out.println("hello"); } }\n',
    bare: (d) => {
      writeFileSync(
        join(d, 'Main.java'),
        'public class Main { public static void main(String[] a){ System.out.println("hello"); } }\n'
      );
      spawnSync('/usr/bin/javac', ['-d', d, join(d, 'Main.java')]);
      return ['/usr/bin/java', '-cp', d, 'Main'];
    }
  },
  {
    language: 'sql',
    file: 'query.sql',
    source: "SELECT 'hello';\n",
    bare: (d) => (
      writeFileSync(join(d, 'query.sql'), "SELECT 'hello';\n"),
      ['/bin/sh', '-c', `/usr/bin/sqlite3 :memory: < ${join(d, 'query.sql')}`]
    )
  }
];

const round = (n: number) => Math.round(n * 10) / 10;

/** The same command, spawned the way a runner without isolation would: async, output piped. */
function runBare(argv: string[]): Promise<number> {
  const [file = '', ...args] = argv;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0 || !out.includes('hello'))
        reject(new Error(`bare ${file} failed: ${code} ${out}`));
      else resolve(performance.now() - started);
    });
  });
}

/** Python hello-world runs per second with the sandbox library alone, concurrency = slots. */
async function libraryThroughput(): Promise<string> {
  const slots = cpus().length;
  const sandbox = createSandbox({ slots });
  const request = { language: 'python', files: { 'main.py': 'print("hello")\n' } };
  try {
    await Promise.all(Array.from({ length: slots }, () => sandbox.run(request)));
    let done = 0;
    const started = performance.now();
    const deadline = started + THROUGHPUT_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: slots }, async () => {
        while (performance.now() < deadline) {
          const result = await sandbox.run(request);
          if (result.status !== 'ok') throw new Error(`python: ${result.status}`);
          done += 1;
        }
      })
    );
    const rps = done / ((performance.now() - started) / 1000);
    return `  python runs/s at concurrency ${slots} (sandbox library): ${rps.toFixed(1)}; goal 40: ${(rps / 40).toFixed(2)}x`;
  } finally {
    await sandbox.close();
  }
}

async function overheads(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-bare-'));
  const sandbox = createSandbox({ slots: 1 });
  const languages = new Map((await sandbox.languages()).map((l) => [l.id, l.available]));
  const lines = [
    'hello world, median of ' + ITERATIONS + ' runs each (ms):',
    '  language     bare  sandboxed  overhead  ratio'
  ];
  try {
    for (const hello of hellos) {
      if (!languages.get(hello.language)) {
        lines.push(`  ${hello.language.padEnd(11)} unavailable on this machine`);
        continue;
      }
      const argv = hello.bare(dir);
      await runBare(argv);
      const bare: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) bare.push(await runBare(argv));
      const request = { language: hello.language, files: { [hello.file]: hello.source } };
      const warm = await sandbox.run(request);
      if (warm.status !== 'ok') throw new Error(`${hello.language}: ${JSON.stringify(warm)}`);
      const boxed: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const started = performance.now();
        const result = await sandbox.run(request);
        boxed.push(performance.now() - started);
        if (result.status !== 'ok') throw new Error(`${hello.language}: ${result.status}`);
      }
      const b = median(bare);
      const s = median(boxed);
      const compiled = ['c', 'cpp', 'go', 'java', 'typescript'].includes(hello.language)
        ? ' (sandboxed includes the compile step)'
        : '';
      lines.push(
        `  ${hello.language.padEnd(11)} ${String(round(b)).padStart(6)} ${String(round(s)).padStart(10)} ${String(round(s - b)).padStart(9)} ${(s / b).toFixed(2).padStart(6)}x${compiled}`
      );
    }
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024);
}

async function throughApp(): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-app-'));
  chmodSync(dataDir, 0o755);
  const slots = cpus().length;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    DATABASE_URL: '',
    REDIS_URL: '',
    PORT: '0'
  };
  const app = spawn(process.execPath, ['build/server.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit']
  });
  try {
    const port = await waitForListening(app);
    const token = benchToken(env);
    const url = `http://127.0.0.1:${port}/api/v1/runs`;
    const body = JSON.stringify({ language: 'python', files: { 'main.py': 'print("hello")\n' } });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const firstChunk: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...headers, accept: 'application/x-ndjson' },
        body
      });
      const reader = res.body!.getReader();
      let text = '';
      let first = NaN;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        if (Number.isNaN(first) && text.includes('"type":"output"'))
          first = performance.now() - started;
      }
      if (!text.includes('"status":"ok"')) throw new Error(`run failed: ${text}`);
      firstChunk.push(first);
    }

    let done = 0;
    let failed = 0;
    const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: slots }, async () => {
        while (performance.now() < deadline) {
          const res = await fetch(url, { method: 'POST', headers, body });
          const run = (await res.json()) as { status?: string };
          if (res.status === 201 && run.status === 'ok') done += 1;
          else failed += 1;
        }
      })
    );
    const elapsed = (performance.now() - started) / 1000;
    const rps = done / elapsed;
    const p = median(firstChunk);
    return [
      `through the app (POST /api/v1/runs, in-process pool of ${slots} slots):`,
      `  python runs/s at concurrency ${slots}: ${rps.toFixed(1)} (${done} ok, ${failed} failed in ${elapsed.toFixed(1)} s); goal 40: ${(rps / 40).toFixed(2)}x`,
      `  first output chunk, median of 20: ${round(p)} ms; goal 150 ms: ${(p / 150).toFixed(2)}x`,
      `  app server peak RSS: ${app.pid ? peakRssMb(app.pid) : NaN} MB`
    ];
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const header = `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${new Date().toISOString()}`;
  process.stdout.write(header + '\n');
  for (const line of await overheads()) process.stdout.write(line + '\n');
  process.stdout.write((await libraryThroughput()) + '\n');
  for (const line of await throughApp()) process.stdout.write(line + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

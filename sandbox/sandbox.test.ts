import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, redactForCandidate, SandboxError, type OutputChunk } from './index';

// Real runs through bwrap and cgroups: needs root, as the sandbox does in production.
const sandbox = createSandbox({ slots: 2, uidBase: 61500 });
afterAll(() => sandbox.close());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof SandboxError ? error.code : `other: ${String(error)}`;
  }
}

describe('languages', () => {
  const hello: [string, Record<string, string>][] = [
    ['python', { 'main.py': 'import sys\nprint("hello", sys.stdin.read())' }],
    [
      'javascript',
      {
        'main.js': 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log("hello",s))'
      }
    ],
    [
      'typescript',
      {
        'main.ts':
          'import { greet } from "./greet";\nlet s: string = "";\nprocess.stdin.on("data", (d) => (s += d)).on("end", () => console.log(greet(s)));',
        'greet.ts': 'export const greet = (s: string): string => `hello ${s}`;'
      }
    ],
    ['bash', { 'main.sh': 'read x; echo hello $x' }],
    [
      'c',
      {
        'main.c':
          '#include <stdio.h>\nint main(){char b[64];scanf("%63s",b);printf("hello %s\\n",b);}'
      }
    ],
    [
      'cpp',
      {
        'main.cpp':
          '#include <iostream>\n#include <string>\nint main(){std::string s;std::cin>>s;std::cout<<"hello "<<s<<"\\n";}'
      }
    ],
    [
      'java',
      {
        'Main.java':
          'public class Main{public static void main(String[] a){var s=new java.util.Scanner(System.in);System.out.println("hello "+s.next()+Util.x());}}',
        'Util.java': 'class Util{static String x(){return "";}}'
      }
    ],
    [
      'go',
      {
        'main.go':
          'package main\nimport "fmt"\nfunc main(){var s string;fmt.Scan(&s);fmt.Println("hello", s+suffix())}',
        'util.go': 'package main\nfunc suffix() string { return "" }'
      }
    ]
  ];

  it.each(hello)('%s runs a multi-file program with stdin', async (language, files) => {
    const available = (await sandbox.languages()).find((l) => l.id === language)?.available;
    if (!available) {
      // e.g. Go without golang-go: a typed refusal, never a crash.
      expect(await codeOf(sandbox.run({ language, files }))).toBe('language_unavailable');
      return;
    }
    const result = await sandbox.run({ language, files, stdin: 'world' });
    expect(result.status, JSON.stringify(result)).toBe('ok');
    expect(result.stdout.trim()).toBe('hello world');
    expect(result.memoryKb).toBeGreaterThan(0);
  });

  it('reports compile errors with the compiler output', async () => {
    const result = await sandbox.run({
      language: 'c',
      files: { 'main.c': 'int main( { return 0; }' }
    });
    expect(result.status).toBe('compile_error');
    expect(result.compileOutput).toMatch(/error/);
  });

  it('reports TypeScript syntax errors as compile errors', async () => {
    const result = await sandbox.run({
      language: 'typescript',
      files: { 'main.ts': 'const x: = 1;' }
    });
    expect(result.status).toBe('compile_error');
    expect(result.compileOutput).toMatch(/main\.ts/);
  });

  it('reports a non-zero exit as runtime_error with the exit code', async () => {
    const result = await sandbox.run({
      language: 'python',
      files: { 'main.py': 'import sys\nsys.exit(3)' }
    });
    expect(result.status).toBe('runtime_error');
    expect(result.exitCode).toBe(3);
  });

  it('reports the signal of a crashed program', async () => {
    const result = await sandbox.run({
      language: 'c',
      files: { 'main.c': 'int main(){ int *p = 0; return *p; }' }
    });
    expect(result.status).toBe('runtime_error');
    expect(result.signal).toBe('SIGSEGV');
  });

  it('lists every language with availability and package', async () => {
    const languages = await sandbox.languages();
    expect(languages.map((l) => l.id)).toEqual([
      'python',
      'javascript',
      'typescript',
      'go',
      'java',
      'c',
      'cpp',
      'bash',
      'sql'
    ]);
    expect(languages.find((l) => l.id === 'go')?.package).toBe('golang-go');
    expect(languages.find((l) => l.id === 'java')?.defaultLimits.memoryMb).toBe(512);
  });
});

describe('live output', () => {
  it('streams C output line by line without the program flushing', async () => {
    const chunks: OutputChunk[] = [];
    const result = await sandbox.run(
      {
        language: 'c',
        // No fflush: the force-included header line-buffers stdout even on a pipe.
        files: {
          'main.c':
            '#include <stdio.h>\n#include <unistd.h>\nint main(){ printf("first\\n"); usleep(300000); printf("second\\n"); return 0; }'
        }
      },
      { onOutput: (chunk) => chunks.push(chunk) }
    );
    expect(result.stdout).toBe('first\nsecond\n');
    expect(chunks).toEqual([
      { stream: 'stdout', data: 'first\n' },
      { stream: 'stdout', data: 'second\n' }
    ]);
  });

  it('delivers Python output before the program ends', async () => {
    let firstAt = 0;
    const started = Date.now();
    const result = await sandbox.run(
      {
        language: 'python',
        files: { 'main.py': 'import time\nprint("tick")\ntime.sleep(0.4)\nprint("tock")' }
      },
      {
        onOutput: (chunk) => {
          if (!firstAt && chunk.data.includes('tick')) firstAt = Date.now() - started;
        }
      }
    );
    expect(result.stdout).toBe('tick\ntock\n');
    expect(firstAt).toBeGreaterThan(0);
    expect(firstAt).toBeLessThan(Date.now() - started - 300);
  });
});

describe('hidden tests', () => {
  it('runs each case, compares with the whitespace mode, and redacts hidden ones', async () => {
    const result = await sandbox.run({
      language: 'python',
      priority: 'grading',
      files: { 'main.py': 'a, b = map(int, input().split())\nprint(a + b)' },
      tests: [
        { id: 'visible', stdin: '1 2\n', expectedStdout: '3' },
        { id: 'hidden-pass', stdin: '20 22\n', expectedStdout: '42\n\n', hidden: true },
        {
          id: 'hidden-fail',
          stdin: '1 1\n',
          expectedStdout: '3',
          hidden: true,
          whitespace: 'exact'
        }
      ]
    });
    expect(result.tests?.map((t) => [t.id, t.passed])).toEqual([
      ['visible', true],
      ['hidden-pass', true],
      ['hidden-fail', false]
    ]);
    const redacted = redactForCandidate(result);
    expect(redacted.tests?.[0]?.actualStdout).toBe('3\n');
    expect(redacted.tests?.[2]).toEqual({
      id: 'hidden-fail',
      passed: false,
      hidden: true,
      status: 'ok',
      wallMs: result.tests?.[2]?.wallMs
    });
  });

  it('compiles once and runs every case against the artifact', async () => {
    const result = await sandbox.run({
      language: 'cpp',
      files: {
        'main.cpp':
          '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a*b<<std::endl;}'
      },
      tests: [
        { id: 'a', stdin: '6 7', expectedStdout: '42' },
        { id: 'b', stdin: '100000 100000', expectedStdout: '10000000000' }
      ]
    });
    expect(result.tests?.every((t) => t.passed)).toBe(true);
  });

  it('grades SQL result sets, ordered and unordered, with per-case seeds', async () => {
    const result = await sandbox.run({
      language: 'sql',
      files: {
        'query.sql': 'SELECT name, total FROM orders WHERE total > 10 ORDER BY total DESC;'
      },
      sql: {
        schema: 'CREATE TABLE orders (name TEXT, total INTEGER);',
        data: "INSERT INTO orders VALUES ('a', 5), ('b', 20), ('c', 15);"
      },
      sqlTests: [
        {
          id: 'ordered',
          expectedRows: [
            { name: 'b', total: 20 },
            { name: 'c', total: 15 }
          ],
          ordered: true
        },
        {
          id: 'unordered',
          expectedRows: [
            { total: 15, name: 'c' },
            { name: 'b', total: 20 }
          ]
        },
        {
          id: 'other-data',
          data: "INSERT INTO orders VALUES ('z', 99);",
          expectedRows: [{ name: 'z', total: 99 }],
          hidden: true
        },
        { id: 'wrong', expectedRows: [], hidden: true }
      ]
    });
    expect(result.status, JSON.stringify(result)).toBe('ok');
    expect(result.tests?.map((t) => t.passed)).toEqual([true, true, true, false]);
  });

  it('reports SQL errors as runtime errors', async () => {
    const result = await sandbox.run({
      language: 'sql',
      files: { 'query.sql': 'SELEC 1;' },
      sql: { schema: '' }
    });
    expect(result.status).toBe('runtime_error');
    expect(result.stderr).toMatch(/syntax error/);
  });
});

describe('bad input', () => {
  it.each([
    ['unknown language', { language: 'cobol', files: { 'a.cob': '' } }, 'unknown_language'],
    ['empty files', { language: 'python', files: {} }, 'invalid_request'],
    ['path traversal', { language: 'python', files: { '../x.py': '' } }, 'invalid_request'],
    ['absolute path', { language: 'python', files: { '/x.py': '' } }, 'invalid_request'],
    [
      'limit above maximum',
      { language: 'python', files: { 'main.py': '' }, limits: { memoryMb: 1_000_000 } },
      'limit_exceeded'
    ],
    [
      'invalid UTF-8 stdin',
      { language: 'python', files: { 'main.py': '' }, stdin: new Uint8Array([0xc3, 0x28]) },
      'invalid_request'
    ],
    [
      'no entry point',
      { language: 'python', files: { 'a.py': '', 'b.py': '' } },
      'invalid_request'
    ],
    [
      'sql seed on python',
      { language: 'python', files: { 'main.py': '' }, sql: { schema: '' } },
      'invalid_request'
    ]
  ])('%s → %s', async (_name, request, code) => {
    expect(await codeOf(sandbox.run(request))).toBe(code);
  });
});

import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, redactForCandidate, SandboxError, type RunResult } from './index';

// Real servers in real sandboxes, probed by the real harness: needs root.
const sandbox = createSandbox({ slots: 2, uidBase: 61520 });
afterAll(() => sandbox.close());

const PORT = 8080;
const limits = { wallMs: 4000, cpuMs: 3000 };

/** A small JSON API on http.server: GET /items/<id>, POST /items, anything else 404. */
const pythonApi = `
import http.server, json
items = {"1": {"id": 1, "name": "apple"}}
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        key = self.path.rsplit("/", 1)[-1]
        if self.path.startswith("/items/") and key in items:
            self.reply(200, items[key])
        else:
            self.reply(404, {"error": "not found"})
    def do_POST(self):
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        item = {"id": len(items) + 1, "name": data["name"]}
        items[str(item["id"])] = item
        self.reply(201, item)
print("up", flush=True)
http.server.HTTPServer(("0.0.0.0", ${PORT}), H).serve_forever()
`;

function describeRun(result: RunResult): string {
  return JSON.stringify({ ...result, limits: undefined }).slice(0, 3000);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof SandboxError ? error.code : `other: ${String(error)}`;
  }
}

describe('HTTP tests', () => {
  it('passes a Python JSON API, cases in order against one server', async () => {
    const result = await sandbox.run({
      language: 'python',
      files: { 'main.py': pythonApi },
      limits,
      httpTests: {
        port: PORT,
        cases: [
          {
            id: 'get',
            request: { method: 'GET', path: '/items/1' },
            expect: {
              status: 200,
              headers: { 'Content-Type': 'application/json' },
              json: { name: 'apple', id: 1 }
            }
          },
          {
            id: 'create',
            request: { method: 'POST', path: '/items', body: { name: 'pear' } },
            expect: { status: 201, json: { name: 'pear' }, jsonSubset: true }
          },
          {
            id: 'created',
            request: { method: 'GET', path: '/items/2' },
            expect: { status: 200, bodyContains: '"pear"' }
          }
        ]
      }
    });
    expect(result.status, describeRun(result)).toBe('ok');
    expect(result.tests?.map((t) => [t.id, t.passed])).toEqual([
      ['get', true],
      ['create', true],
      ['created', true]
    ]);
    expect(result.stdout).toBe('up\n');
    // The server was stopped by us after its tests, not by a crash.
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBeNull();
    expect(result.tests?.[0]?.actual?.headers['content-type']).toBe('application/json');
    expect(result.tests?.every((t) => t.wallMs < 1000)).toBe(true);
  });

  it('fails only the case whose status is wrong, saying why', async () => {
    const result = await sandbox.run({
      language: 'python',
      files: { 'main.py': pythonApi },
      limits,
      httpTests: {
        port: PORT,
        cases: [
          { id: 'found', request: { method: 'GET', path: '/items/1' }, expect: { status: 200 } },
          { id: 'wrong', request: { method: 'GET', path: '/items/9' }, expect: { status: 200 } }
        ]
      }
    });
    expect(result.tests?.map((t) => [t.id, t.passed])).toEqual([
      ['found', true],
      ['wrong', false]
    ]);
    expect(result.tests?.[1]).toMatchObject({
      status: 'ok',
      actual: { status: 404, body: '{"error": "not found"}' },
      failures: ['status: expected 200, got 404']
    });
  });

  it('reports not_ready at once when the program exits before listening, with its stderr', async () => {
    const started = performance.now();
    const result = await sandbox.run({
      language: 'python',
      files: { 'main.py': 'import sys\nprint("boom: no server", file=sys.stderr)\nsys.exit(2)' },
      limits,
      httpTests: {
        port: PORT,
        readyTimeoutMs: 20_000,
        cases: [
          { id: 'a', request: { method: 'GET', path: '/' }, expect: { status: 200 } },
          { id: 'b', hidden: true, request: { method: 'GET', path: '/' }, expect: { status: 200 } }
        ]
      }
    });
    // Far below readyTimeoutMs: the host stops waiting when the program is gone.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.status).toBe('runtime_error');
    expect(result.exitCode).toBe(2);
    expect(result.tests?.map((t) => [t.passed, t.error])).toEqual([
      [false, 'not_ready'],
      [false, 'not_ready']
    ]);
    expect(redactForCandidate(result).stderr).toContain('boom: no server');
  });

  it('reports not_ready after readyTimeoutMs when the program listens on another port', async () => {
    const result = await sandbox.run({
      language: 'python',
      files: {
        'main.py':
          'import socket, time\ns = socket.socket()\ns.bind(("127.0.0.1", 9090))\ns.listen()\ntime.sleep(30)'
      },
      limits,
      httpTests: {
        port: PORT,
        readyTimeoutMs: 300,
        cases: [{ id: 'a', request: { method: 'GET', path: '/' }, expect: { status: 200 } }]
      }
    });
    expect(result.tests?.[0]).toMatchObject({ passed: false, error: 'not_ready' });
    // Stopped once the harness gave up, well before the 4 s wall limit.
    expect(result.status).toBe('ok');
    expect(result.wallMs).toBeLessThan(2500);
  });

  it('serves a Node.js server', async () => {
    const result = await sandbox.run({
      language: 'javascript',
      files: {
        'main.js': `
const http = require('http');
http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d)).on('end', () => {
    res.setHeader('X-Request-Id', 'abc-123');
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url, got: body ? JSON.parse(body) : null }));
  });
}).listen(${PORT});`
      },
      limits,
      httpTests: {
        port: PORT,
        cases: [
          {
            id: 'echo',
            request: {
              method: 'POST',
              path: '/echo?x=1',
              headers: { 'X-Trace': 't' },
              body: [1, 2]
            },
            expect: {
              status: 201,
              headers: { 'x-request-id': '/^abc-\\d+$/' },
              json: { method: 'POST', url: '/echo?x=1', got: [1, 2] }
            }
          }
        ]
      }
    });
    expect(result.tests?.[0]?.passed, describeRun(result)).toBe(true);
  });

  it('serves hidden cases from a separate server whose output the candidate never sees', async () => {
    const result = await sandbox.run({
      language: 'python',
      files: { 'main.py': pythonApi },
      limits,
      httpTests: {
        port: PORT,
        cases: [
          { id: 'shown', request: { method: 'GET', path: '/items/1' }, expect: { status: 200 } },
          {
            id: 'secret',
            hidden: true,
            request: { method: 'GET', path: '/items/hidden-input/1' },
            expect: { status: 200, json: { id: 1, name: 'apple' } }
          }
        ]
      }
    });
    expect(result.tests?.map((t) => t.passed)).toEqual([true, true]);
    // http.server logs each request line to stderr: the hidden one only reaches hiddenServer.
    expect(result.stderr).toContain('GET /items/1 HTTP');
    expect(result.stderr).not.toContain('hidden-input');
    expect(result.hiddenServer?.stderr).toContain('hidden-input');
    const redacted = redactForCandidate(result);
    expect(redacted.tests?.[1]).toEqual({
      id: 'secret',
      passed: true,
      hidden: true,
      status: 'ok',
      wallMs: result.tests?.[1]?.wallMs
    });
    expect(redacted.tests?.[0]?.actual?.status).toBe(200);
    expect(redacted.hiddenServer).toBeUndefined();
    expect(JSON.stringify(redacted)).not.toContain('hidden-input');
  });

  it('rejects HTTP tests for languages that cannot serve, and beside stdin tests', async () => {
    const httpTests = {
      port: PORT,
      cases: [{ id: 'a', request: { method: 'GET', path: '/' }, expect: { status: 200 } }]
    };
    expect(
      await codeOf(sandbox.run({ language: 'sql', files: { 'query.sql': 'select 1;' }, httpTests }))
    ).toBe('invalid_request');
    expect(
      await codeOf(sandbox.run({ language: 'bash', files: { 'main.sh': 'true' }, httpTests }))
    ).toBe('invalid_request');
  });
});

describe('HTTP harness isolation', () => {
  let host: Server;
  let hostPort = 0;
  let hostConnections = 0;

  beforeAll(async () => {
    // An HTTP responder on the host's loopback, where a harness in the wrong namespace would land.
    host = createServer((socket) => {
      hostConnections++;
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nhost');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const address = host.address();
    hostPort = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

  it("shares the candidate's network namespace, not the host's", async () => {
    // Nothing listens in the sandbox: the host's listener on the same port must stay unreached.
    const silent = await sandbox.run({
      language: 'python',
      files: { 'main.py': 'import time\ntime.sleep(30)' },
      limits,
      httpTests: {
        port: hostPort,
        readyTimeoutMs: 300,
        cases: [{ id: 'a', request: { method: 'GET', path: '/' }, expect: { status: 200 } }]
      }
    });
    expect(silent.tests?.[0]?.error).toBe('not_ready');
    // The candidate's own listener on that port answers instead of the host's.
    const own = await sandbox.run({
      language: 'python',
      files: {
        'main.py': `
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "9"); self.end_headers()
        self.wfile.write(b"candidate")
http.server.HTTPServer(("127.0.0.1", ${hostPort}), H).serve_forever()`
      },
      limits,
      httpTests: {
        port: hostPort,
        cases: [{ id: 'a', request: { method: 'GET', path: '/' }, expect: { bodyContains: 'x' } }]
      }
    });
    expect(own.tests?.[0]?.actual?.body).toBe('candidate');
    expect(hostConnections).toBe(0);
  });

  it("keeps the harness's files and processes out of the candidate's sight", async () => {
    const result = await sandbox.run({
      language: 'python',
      files: {
        'main.py': `
import http.server, json, os
def look():
    return {
        "harness": os.path.exists("/run/tandem/harness.py"),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "cmdlines": [open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace")
                     for p in os.listdir("/proc") if p.isdigit()],
    }
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(look()).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", ${PORT}), H).serve_forever()`
      },
      limits,
      httpTests: {
        port: PORT,
        cases: [
          {
            id: 'look',
            request: { method: 'GET', path: '/' },
            expect: { json: { harness: false, pids: [1] }, jsonSubset: true }
          }
        ]
      }
    });
    expect(result.tests?.[0]?.passed, describeRun(result)).toBe(true);
    expect(result.tests?.[0]?.actual?.body).not.toContain('harness.py');
  });
});

/**
 * The HTTP test harness: a small Python program run in its own sandbox that
 * shares only the candidate's network namespace. It transports bytes and
 * nothing else — every verdict is made on the host (http-match.ts).
 *
 * Protocol. stdin: one JSON object (HarnessInput). stdout: JSON lines, first
 * `{"ready": true|false, "ms": N}`, then one line per case in order:
 * `{"i": N, "ms": N, "status": N, "headers": [[name, value]...], "body": b64}`
 * or `{"i": N, "ms": N, "error": CODE}`. Headers are ASCII-escaped JSON
 * (latin-1, as http.client decodes them) and bodies base64, so the bytes the
 * host must buffer are what the caps count: each response is capped
 * (`bodyCap`, `headCap`) and all of them together by `budget`.
 *
 * Python rather than Node: it starts in ~20 ms instead of ~60 ms, and its
 * http.client already refuses header floods (100 headers, 64 KiB lines).
 * The per-request deadline is an interval timer, so a server dripping one
 * byte at a time cannot stretch a request past it the way a per-read socket
 * timeout would allow.
 */
export interface HarnessCaseInput {
  method: string;
  path: string;
  headers: [string, string][];
  /** base64 of the request body, or null for none. */
  body: string | null;
}

export interface HarnessInput {
  port: number;
  readyTimeoutMs: number;
  requestTimeoutMs: number;
  bodyCap: number;
  headCap: number;
  budget: number;
  cases: HarnessCaseInput[];
}

export const HARNESS_SCRIPT = String.raw`
import base64, errno, http.client, json, signal, socket, sys, time

class Deadline(Exception):
    pass

def on_alarm(_signum, _frame):
    raise Deadline()

signal.signal(signal.SIGALRM, on_alarm)

def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()

def ms_since(start):
    return int((time.monotonic() - start) * 1000)

def wait_ready(port, timeout_s):
    # Loopback connect() fails at once while nothing listens, so a short
    # backoff sees the server within a few ms of listen() without spinning.
    start = time.monotonic()
    delay = 0.005
    while True:
        for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(0.5)
            try:
                s.connect((host, port))
                return host
            except OSError:
                pass
            finally:
                s.close()
        left = timeout_s - (time.monotonic() - start)
        if left <= 0:
            return None
        time.sleep(min(delay, left))
        delay = min(delay * 1.5, 0.1)

def error_code(exc):
    if isinstance(exc, Deadline) or isinstance(exc, socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, ConnectionResetError) or isinstance(exc, BrokenPipeError):
        return "connection_reset"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "connection_closed"
    if isinstance(exc, http.client.LineTooLong):
        return "headers_too_large"
    if isinstance(exc, http.client.HTTPException) and "headers" in str(exc):
        return "headers_too_large"
    if isinstance(exc, (http.client.HTTPException, ValueError, UnicodeError)):
        return "bad_response"
    if isinstance(exc, OSError) and exc.errno == errno.ECONNREFUSED:
        return "connection_refused"
    return "connection_error"

class TooLarge(Exception):
    def __init__(self, code):
        self.code = code

def send(host, port, case, cfg, budget):
    conn = http.client.HTTPConnection(host, port, timeout=cfg["requestTimeoutMs"] / 1000)
    try:
        body = None if case["body"] is None else base64.b64decode(case["body"])
        headers = dict(case["headers"])
        conn.request(case["method"], case["path"], body=body, headers=headers)
        resp = conn.getresponse()
        pairs = resp.getheaders()
        head = json.dumps(pairs)
        if len(head) > cfg["headCap"]:
            raise TooLarge("headers_too_large")
        limit = min(cfg["bodyCap"], budget - len(head))
        chunks, size = [], 0
        while True:
            chunk = resp.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise TooLarge("response_too_large")
            chunks.append(chunk)
        return resp.status, pairs, len(head), b"".join(chunks)
    finally:
        conn.close()

def main():
    cfg = json.loads(sys.stdin.read())
    start = time.monotonic()
    host = wait_ready(cfg["port"], cfg["readyTimeoutMs"] / 1000)
    emit({"ready": host is not None, "ms": ms_since(start)})
    if host is None:
        return
    budget = cfg["budget"]
    for index, case in enumerate(cfg["cases"]):
        start = time.monotonic()
        # The alarm fires at most once (no interval), anywhere inside the outer
        # try; after it has fired or been disarmed, emit() cannot be interrupted.
        try:
            signal.setitimer(signal.ITIMER_REAL, cfg["requestTimeoutMs"] / 1000)
            try:
                status, pairs, head_size, body = send(host, cfg["port"], case, cfg, budget)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            outcome = {
                "status": status,
                "headers": pairs,
                "body": base64.b64encode(body).decode("ascii"),
            }
            budget -= head_size + len(body)
        except TooLarge as exc:
            outcome = {"error": exc.code}
        except Exception as exc:
            outcome = {"error": error_code(exc)}
        emit({"i": index, "ms": ms_since(start), **outcome})

main()
`;

/**
 * The pad's socket.io connection to its live session: typed events, a
 * promise for every acknowledged request, and a reactive view of the
 * session that follows the server's events (session-state.ts).
 * Every (re)connect fetches a fresh short-lived token through `auth`.
 */
import { io, type Socket } from 'socket.io-client';
import {
  SESSION_SOCKET_PATH,
  type Ack,
  type ClientToServerEvents,
  type IntegrityReport,
  type Problem,
  type ServerToClientEvents,
  type SessionRole,
  type SessionSnapshot
} from '$realtime/events/contracts';
import {
  applyChat,
  applyEnded,
  applyIntegrity,
  applyPresence,
  applyRevealed,
  applyRunFinished,
  applyRunOutput,
  applyRunStarted,
  applySettings,
  applyTimer
} from './session-state';

/** What `POST .../session/token` answers. */
export type SessionToken = {
  token: string;
  expiresInSeconds: number;
  role: SessionRole;
  readOnly: boolean;
  participant: { id: string; name: string; color: string };
};

export type SessionIdentity = SessionToken['participant'] & {
  role: SessionRole;
  readOnly: boolean;
};

export type SessionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

type EventName = keyof ClientToServerEvents;
type PayloadOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[0];
type AckDataOf<E extends EventName> =
  NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends (ack: Ack<infer T>) => void
    ? T
    : never;

/** A request the server refused, with its code (`forbidden`, `invalid_input`, ...). */
export class SessionRequestError extends Error {
  readonly code: string;
  constructor(problem: Problem) {
    super(problem.message);
    this.name = 'SessionRequestError';
    this.code = problem.code;
  }
}

export type SessionClientOptions = {
  /** http(s)://host of the app. */
  origin: string;
  fetchToken: () => Promise<SessionToken>;
  /** How long to wait for an acknowledgement. Default 10 s. */
  ackTimeoutMs?: number;
  /** Refused connections in a row before giving up. Default 3. */
  maxRefusals?: number;
  /** Wait before the n-th retry after a refusal: n times this. Default 500 ms. */
  retryDelayMs?: number;
  /** For tests: socket.io's `io`. */
  connect?: typeof io;
};

type PadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class SessionClient {
  /** Null until the first `session:state` arrives. */
  view = $state<SessionSnapshot | null>(null);
  status = $state<SessionStatus>('connecting');
  identity = $state<SessionIdentity | null>(null);
  /** Set when the server refused us for good. */
  error = $state<string | null>(null);
  /** The last unacknowledged refusal the server reported. */
  problem = $state<Problem | null>(null);

  readonly #socket: PadSocket;
  readonly #ackTimeoutMs: number;
  readonly #maxRefusals: number;
  readonly #retryDelayMs: number;
  #refusals = 0;
  #tokenProblem: string | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;

  constructor(options: SessionClientOptions) {
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.#maxRefusals = options.maxRefusals ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    const connect = options.connect ?? io;
    this.#socket = connect(options.origin, {
      path: SESSION_SOCKET_PATH,
      // Websocket only: no sticky sessions needed when scaled out (NOTES.md).
      transports: ['websocket'],
      forceNew: true,
      auth: (cb) => {
        options.fetchToken().then(
          (token) => {
            this.#tokenProblem = null;
            this.identity = { ...token.participant, role: token.role, readOnly: token.readOnly };
            cb({ token: token.token });
          },
          (error: unknown) => {
            this.#tokenProblem =
              error instanceof Error ? error.message : 'Could not join the session.';
            // The server refuses an empty token; connect_error then decides what happens next.
            cb({ token: '' });
          }
        );
      }
    });
    this.#listen();
  }

  #listen(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      this.#refusals = 0;
      this.error = null;
      this.status = 'connected';
    });
    socket.on('disconnect', (reason) => {
      // Our own disconnect (destroy, or the browser went offline) has already set the status.
      if (this.#destroyed || reason === 'io client disconnect') return;
      if (reason === 'io server disconnect') {
        // The server let us go on purpose (e.g. an expired token): try again with a fresh one.
        this.#refuse('The session closed the connection.');
        return;
      }
      this.status = 'reconnecting';
    });
    socket.on('connect_error', (error) => {
      if (this.#destroyed) return;
      if (socket.active) {
        // A network problem: socket.io retries by itself.
        this.status = this.status === 'connecting' ? 'connecting' : 'reconnecting';
        return;
      }
      // Our token endpoint's reason (a revoked link, ...) says more than the handshake's.
      this.#refuse(this.#tokenProblem ?? (error.message || 'The session refused the connection.'));
    });

    socket.on('session:state', (snapshot) => {
      this.view = snapshot;
    });
    socket.on('presence', (participants) => this.#apply((v) => applyPresence(v, participants)));
    socket.on('chat:message', (message) => this.#apply((v) => applyChat(v, message)));
    socket.on('question:revealed', (question) => this.#apply((v) => applyRevealed(v, question)));
    socket.on('timer', (timer) => this.#apply((v) => applyTimer(v, timer)));
    socket.on('settings', (settings) => this.#apply((v) => applySettings(v, settings)));
    socket.on('session:ended', ({ endedAt }) => this.#apply((v) => applyEnded(v, endedAt)));
    socket.on('run:started', (run) => this.#apply((v) => applyRunStarted(v, run)));
    socket.on('run:output', (chunk) => this.#apply((v) => applyRunOutput(v, chunk)));
    socket.on('run:finished', (run) => this.#apply((v) => applyRunFinished(v, run)));
    socket.on('integrity', (event) => this.#apply((v) => applyIntegrity(v, event)));
    socket.on('problem', (problem) => {
      this.problem = problem;
    });
  }

  #apply(change: (view: SessionSnapshot) => void): void {
    if (this.view) change(this.view);
  }

  #refuse(message: string): void {
    this.#refusals += 1;
    if (this.#refusals > this.#maxRefusals) {
      this.status = 'offline';
      this.error = message;
      return;
    }
    this.status = 'reconnecting';
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      if (!this.#destroyed) this.#socket.connect();
    }, this.#retryDelayMs * this.#refusals);
  }

  /** Opens the connection (fetching a token first). */
  connect(): void {
    this.#socket.connect();
  }

  /**
   * The browser says the network is gone, or back. A stalled socket would notice only after its
   * ping timeout; closing at once buffers what we send until the network returns.
   */
  networkChanged(online: boolean): void {
    if (this.#destroyed || this.error) return;
    if (!online) {
      this.#socket.disconnect();
      this.status = 'offline';
    } else if (!this.#socket.connected) {
      this.status = 'reconnecting';
      this.#socket.connect();
    }
  }

  /** Sends an event and resolves with the acknowledged data; rejects with the server's refusal. */
  async request<E extends EventName>(event: E, payload: PayloadOf<E>): Promise<AckDataOf<E>> {
    // socket.io's types cannot resolve the acknowledgement of a generic event name; the event
    // map above says exactly this, so its shape is applied here, in this one place.
    const socket = this.#socket.timeout(this.#ackTimeoutMs) as unknown as {
      emitWithAck(event: E, payload: PayloadOf<E>): Promise<Ack<AckDataOf<E>>>;
    };
    let ack: Ack<AckDataOf<E>>;
    try {
      ack = await socket.emitWithAck(event, payload);
    } catch {
      throw new SessionRequestError({ code: 'timeout', message: 'The session did not answer.' });
    }
    if (ack.ok) return ack.data;
    throw new SessionRequestError(ack.error);
  }

  /**
   * Runs `listener` for every server event of that name (the call's `rtc:*` signalling) until
   * the returned function is called.
   */
  on<E extends keyof ServerToClientEvents>(
    event: E,
    listener: ServerToClientEvents[E]
  ): () => void {
    // As in request(): socket.io cannot type a listener for a generic event name.
    const socket = this.#socket as unknown as {
      on(event: E, listener: ServerToClientEvents[E]): void;
      off(event: E, listener: ServerToClientEvents[E]): void;
    };
    socket.on(event, listener);
    return () => socket.off(event, listener);
  }

  /**
   * Runs `listener` when the socket connects (true) or drops (false). Every connection is a new
   * socket, so a new peer in the call: the video call joins again on each `true`.
   */
  onConnection(listener: (connected: boolean) => void): () => void {
    const up = () => listener(true);
    const down = () => listener(false);
    this.#socket.on('connect', up);
    this.#socket.on('disconnect', down);
    return () => {
      this.#socket.off('connect', up);
      this.#socket.off('disconnect', down);
    };
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** Active or idle; no answer needed. */
  setPresence(state: 'active' | 'idle'): void {
    this.#socket.emit('presence:set', { state });
  }

  /** An integrity signal (candidates only); no answer needed. */
  reportIntegrity(report: IntegrityReport): void {
    this.#socket.emit('integrity:report', report);
  }

  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#retry);
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
    this.status = 'offline';
  }
}

import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import type { Logger } from '../logger';
import {
  MAX_CALL_PEERS,
  clientEventSchemas,
  type RtcPeer,
  type ClientEventName,
  type ClientToServerEvents,
  type PadRun,
  type ServerToClientEvents
} from './contracts';
import { SessionProblem } from './problems';
import type { RateLimit } from './rate-limit';
import {
  KEEP_CHAT,
  KEEP_INTEGRITY,
  KEEP_RUNS,
  pushCapped,
  toIntegrityEvent,
  type SessionState
} from './session-state';
import { participantsOf, setPresence, track, type LiveSession } from './sessions';
import type { NewSessionEvent, RunGateway, SessionEventKind, SessionStore } from './store';
import type { SessionClaims } from './tokens';

type IO = Server<ClientToServerEvents, ServerToClientEvents, object, { claims: SessionClaims }>;

export type Context = {
  session: LiveSession;
  claims: SessionClaims;
  socket: Socket<ClientToServerEvents, ServerToClientEvents, object, { claims: SessionClaims }>;
  log: Logger;
  chatLimit: RateLimit;
  integrityLimit: RateLimit;
  signalLimit: RateLimit;
};

type Payload<K extends ClientEventName> = z.output<(typeof clientEventSchemas)[K]['schema']>;
type Handler<K extends ClientEventName> = (
  context: Context,
  state: SessionState,
  payload: Payload<K>
) => Promise<unknown>;

/** Output kept per live run for late joiners; the sandbox caps what a run may print anyway. */
const LIVE_OUTPUT_CAP = 256 * 1024;

export function createHandlers({
  io,
  store,
  runs,
  logger,
  onSessionEnded
}: {
  io: IO;
  store: SessionStore;
  runs: RunGateway;
  logger: Logger;
  onSessionEnded?: (interviewId: string) => void;
}) {
  const room = (context: Context) => io.to(`interview:${context.claims.interviewId}`);
  const staffRoom = (context: Context) => io.to(`interview:${context.claims.interviewId}:staff`);

  const event = (
    context: Context,
    kind: SessionEventKind,
    data: NewSessionEvent['data']
  ): Promise<{ id: string; at: string }> =>
    store.appendEvent(context.claims.interviewId, {
      kind,
      data,
      participantId: context.claims.participantId,
      participantName: context.claims.name,
      role: context.claims.role
    });

  const runsOf = (state: SessionState) => state.runs;

  const handlers: { [K in ClientEventName]: Handler<K> } = {
    async 'chat:send'(context, state, { text }) {
      if (!context.chatLimit.take()) {
        throw new SessionProblem('rate_limited', 'Slow down: too many messages in a short time.');
      }
      const message = await store.appendChat(context.claims.interviewId, {
        authorId: context.claims.participantId,
        authorName: context.claims.name,
        role: context.claims.role,
        text
      });
      pushCapped(state.chat, message, KEEP_CHAT);
      room(context).emit('chat:message', message);
      return message;
    },

    async 'presence:set'(context, _state, { state: presence }) {
      const { session, claims, socket } = context;
      if (setPresence(session, claims.participantId, socket.id, presence)) {
        room(context).emit('presence', participantsOf(session));
      }
      return null;
    },

    async 'question:reveal'(context, state, { questionId }) {
      const question = state.library.find((q) => q.id === questionId);
      if (!question) throw new SessionProblem('not_found', 'That question is not in the library.');
      if (state.revealed.some((q) => q.id === questionId)) return question;
      await event(context, 'question_shown', { questionId });
      state.revealed.push(question);
      room(context).emit('question:revealed', question);
      return question;
    },

    async 'timer:start'(context, state, { minutes }) {
      const { at } = await event(context, 'timer_started', { durationSeconds: minutes * 60 });
      state.timer = { startedAt: at, durationSeconds: minutes * 60 };
      room(context).emit('timer', state.timer);
      return state.timer;
    },

    async 'timer:stop'(context, state) {
      await event(context, 'timer_stopped', {});
      state.timer = { startedAt: null, durationSeconds: null };
      room(context).emit('timer', state.timer);
      return state.timer;
    },

    async 'settings:update'(context, state, settings) {
      await event(context, 'settings_changed', { candidateCanRun: settings.candidateCanRun });
      state.settings = { ...state.settings, ...settings };
      room(context).emit('settings', state.settings);
      return state.settings;
    },

    async 'session:end'(context, state) {
      if (state.endedAt) return { endedAt: state.endedAt };
      const { at } = await event(context, 'session_ended', {});
      state.endedAt = at;
      for (const [id, run] of context.session.activeRuns) {
        if (run.role === 'candidate') {
          logger.info({ runId: id }, 'cancelling the candidate’s run: session ended');
          run.controller.abort();
        }
      }
      room(context).emit('session:ended', { endedAt: at });
      onSessionEnded?.(context.claims.interviewId);
      return { endedAt: at };
    },

    async 'run:start'(context, state, input) {
      const { claims, session } = context;
      if (claims.role === 'candidate') {
        if (state.endedAt) {
          throw new SessionProblem('session_ended', 'The session has ended; the pad is read-only.');
        }
        if (!state.settings.candidateCanRun) {
          throw new SessionProblem('forbidden', 'The interviewer has turned off running code.');
        }
      }
      for (const run of session.activeRuns.values()) {
        if (run.participantId === claims.participantId) {
          throw new SessionProblem('run_in_progress', 'Your previous run is still going.');
        }
      }
      const controller = new AbortController();
      let live: PadRun | null = null;
      let liveBytes = 0;
      let resolveStarted: (run: PadRun) => void = () => undefined;
      const started = new Promise<PadRun>((resolve) => (resolveStarted = resolve));
      const finished = runs
        .start(
          {
            interviewId: claims.interviewId,
            participantId: claims.participantId,
            participantName: claims.name,
            role: claims.role
          },
          input,
          {
            signal: controller.signal,
            onStarted(run) {
              live = { ...run };
              session.activeRuns.set(run.id, {
                participantId: claims.participantId,
                role: claims.role,
                controller
              });
              pushCapped(runsOf(state), live, KEEP_RUNS);
              room(context).emit('run:started', run);
              resolveStarted(run);
            },
            onOutput(chunk) {
              if (!live) return;
              liveBytes += chunk.data.length;
              if (liveBytes <= LIVE_OUTPUT_CAP) live[chunk.stream] += chunk.data;
              room(context).emit('run:output', { runId: live.id, ...chunk });
            }
          }
        )
        .then((run) => {
          session.activeRuns.delete(run.id);
          const index = state.runs.findIndex((r) => r.id === run.id);
          if (index >= 0) state.runs[index] = run;
          else pushCapped(state.runs, run, KEEP_RUNS);
          room(context).emit('run:finished', run);
          return run;
        });
      track(session, finished).catch((error: unknown) => {
        const current: PadRun | null = live;
        if (!current) return;
        session.activeRuns.delete(current.id);
        context.log.error({ err: error, runId: current.id }, 'pad run failed');
        const failed: PadRun = {
          ...current,
          status: 'internal_error',
          finishedAt: new Date().toISOString()
        };
        const index = state.runs.findIndex((r) => r.id === failed.id);
        if (index >= 0) state.runs[index] = failed;
        room(context).emit('run:finished', failed);
      });
      // The acknowledgement comes when the run starts, or with the reason it could not.
      return Promise.race([started, finished]);
    },

    async 'run:cancel'(context, _state, { runId }) {
      const run = context.session.activeRuns.get(runId);
      if (!run) throw new SessionProblem('not_found', 'That run is not running.');
      if (
        run.participantId !== context.claims.participantId &&
        context.claims.role !== 'interviewer'
      ) {
        throw new SessionProblem('forbidden', 'Only the person who started a run can stop it.');
      }
      run.controller.abort();
      return null;
    },

    async 'rtc:join'(context, _state, media) {
      const { session, socket, claims } = context;
      const others = [...session.call.values()].filter((p) => p.id !== socket.id);
      if (!session.call.has(socket.id) && session.call.size >= MAX_CALL_PEERS) {
        throw new SessionProblem(
          'call_full',
          `The call is full: at most ${MAX_CALL_PEERS} people can join a peer-to-peer call.`
        );
      }
      const peer: RtcPeer = {
        id: socket.id,
        participantId: claims.participantId,
        name: claims.name,
        role: claims.role,
        ...media
      };
      session.call.set(socket.id, peer);
      for (const other of others) io.to(other.id).emit('rtc:peer-joined', peer);
      return { you: socket.id, peers: others };
    },

    async 'rtc:leave'(context) {
      leaveCall(context);
      return null;
    },

    async 'rtc:signal'(context, _state, { to, ...signal }) {
      const { session, socket } = context;
      if (!context.signalLimit.take()) {
        throw new SessionProblem('rate_limited', 'Too many signalling messages.');
      }
      // Both ends must be in this interview's call: a socket elsewhere cannot be reached.
      if (!session.call.has(socket.id)) {
        throw new SessionProblem('forbidden', 'Join the call before signalling.');
      }
      if (!session.call.has(to) || to === socket.id) {
        throw new SessionProblem('not_found', 'That peer is not in the call.');
      }
      io.to(to).emit('rtc:signal', { from: socket.id, ...signal });
      return null;
    },

    async 'rtc:media'(context, _state, media) {
      const { session, socket } = context;
      const peer = session.call.get(socket.id);
      if (!peer) throw new SessionProblem('forbidden', 'Join the call first.');
      Object.assign(peer, media);
      for (const other of session.call.values()) {
        if (other.id !== socket.id)
          io.to(other.id).emit('rtc:media', { peerId: socket.id, ...media });
      }
      return null;
    },

    async 'integrity:report'(context, state, report) {
      if (!context.integrityLimit.take()) {
        throw new SessionProblem('rate_limited', 'Too many signals in a short time.');
      }
      const { kind, ...data } = report;
      const stored = await store.appendEvent(context.claims.interviewId, {
        kind,
        data,
        participantId: context.claims.participantId,
        participantName: context.claims.name,
        role: context.claims.role
      });
      const marker = toIntegrityEvent(stored);
      if (marker) {
        pushCapped(state.integrity, marker, KEEP_INTEGRITY);
        staffRoom(context).emit('integrity', marker);
      }
      return null;
    }
  };

  /** Removes the socket from the call and tells the others; safe to call twice. */
  const leaveCall = (context: Context): void => {
    const { session, socket } = context;
    if (!session.call.delete(socket.id)) return;
    for (const other of session.call.values()) {
      io.to(other.id).emit('rtc:peer-left', { peerId: socket.id });
    }
  };

  const allowed = (context: Context, name: ClientEventName): boolean => {
    const { access } = clientEventSchemas[name];
    const { role } = context.claims;
    if (access === 'any') return true;
    if (access === 'host') return role === 'interviewer';
    if (access === 'candidate') return role === 'candidate';
    return role === 'interviewer' || role === 'candidate';
  };

  return {
    async handle(
      context: Context,
      state: SessionState,
      name: ClientEventName,
      payload: unknown
    ): Promise<unknown> {
      if (!allowed(context, name)) {
        throw new SessionProblem('forbidden', 'Your role cannot do that in this session.');
      }
      const parsed = clientEventSchemas[name].schema.safeParse(payload ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        throw new SessionProblem(
          'validation_failed',
          `Invalid ${name} payload: ${where}${issue?.message ?? 'invalid'}.`
        );
      }
      const handler = handlers[name] as Handler<ClientEventName>;
      return handler(context, state, parsed.data);
    },
    leaveCall,
    /** Timeline events that are not answers to a client (join, leave); failures are logged. */
    record(context: Context, kind: SessionEventKind, data: NewSessionEvent['data']): void {
      track(context.session, event(context, kind, data)).catch((error: unknown) =>
        context.log.warn({ err: error, kind }, 'session event not recorded')
      );
    }
  };
}

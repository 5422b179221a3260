/**
 * The socket.io event maps of a live session, and the zod schema of every
 * payload a client may send. Browser-safe: the pad imports it too.
 */
import { z } from 'zod';

export const SESSION_ROLES = ['interviewer', 'candidate', 'hiring_manager', 'observer'] as const;
export type SessionRole = (typeof SESSION_ROLES)[number];
export const isStaffRole = (role: SessionRole): boolean => role !== 'candidate';
/** Staff who may run the session (reveal questions, end it, ...): not read-only viewers. */
export const isHostRole = (role: SessionRole): boolean => role === 'interviewer';

/** The socket.io path on the app's HTTP server. */
export const SESSION_SOCKET_PATH = '/session';

export const CHAT_MAX_CHARS = 2000;
export const STDIN_MAX_BYTES = 64 * 1024;
export const TIMER_MAX_MINUTES = 600;

// ---------- what the server sends ----------

export type Participant = {
  id: string;
  name: string;
  role: SessionRole;
  color: string;
  /** Idle: no input for a while, or the tab is hidden. */
  state: 'active' | 'idle';
};

export type ChatMessage = {
  id: string;
  authorId: string;
  authorName: string;
  role: SessionRole;
  text: string;
  at: string;
};

export type Question = { id: string; title: string; prompt: string };

export type TimerState = { startedAt: string | null; durationSeconds: number | null };

export type SessionSettings = { candidateCanRun: boolean };

export const INTEGRITY_KINDS = [
  'paste',
  'focus_lost',
  'focus_regained',
  'large_insert',
  'typing_burst'
] as const;
export type IntegrityKind = (typeof INTEGRITY_KINDS)[number];

/** A staff-only timeline marker. */
export type IntegrityEvent = {
  id: string;
  kind: IntegrityKind;
  participantId: string;
  participantName: string;
  data: Record<string, number | boolean | string>;
  at: string;
};

export const PAD_RUN_STATUSES = [
  'running',
  'ok',
  'compile_error',
  'runtime_error',
  'timeout',
  'memory_limit',
  'output_limit',
  'internal_error',
  'cancelled'
] as const;
export type PadRunStatus = (typeof PAD_RUN_STATUSES)[number];

export type PadRun = {
  id: string;
  byId: string;
  byName: string;
  language: string;
  entry: string;
  status: PadRunStatus;
  exitCode: number | null;
  wallMs: number | null;
  memoryKb: number | null;
  stdout: string;
  stderr: string;
  compileOutput: string;
  startedAt: string;
  finishedAt: string | null;
};

export type RunOutput = { runId: string; stream: 'stdout' | 'stderr'; data: string };

export type SessionSnapshot = {
  you: Participant;
  participants: Participant[];
  chat: ChatMessage[];
  /** Revealed to the candidate, in order. */
  revealed: Question[];
  /** The question library: staff only, empty for the candidate. */
  library: Question[];
  timer: TimerState;
  settings: SessionSettings;
  endedAt: string | null;
  runs: PadRun[];
  /** Staff only, empty for the candidate. */
  integrity: IntegrityEvent[];
};

/** One browser tab in the call (peers are sockets: two tabs of one person are two peers). */
export type RtcPeer = {
  id: string;
  participantId: string;
  name: string;
  role: SessionRole;
  audio: boolean;
  video: boolean;
};

/** Peer-to-peer calls are a mesh: every peer sends to every other, so it stays small. */
export const MAX_CALL_PEERS = 4;

export type RtcSignal = {
  from: string;
  description?: { type: 'offer' | 'answer' | 'pranswer' | 'rollback'; sdp: string };
  candidate?: {
    candidate: string;
    sdpMid?: string | null;
    sdpMLineIndex?: number | null;
    usernameFragment?: string | null;
  } | null;
};

export type Problem = { code: string; message: string; event?: string };

export type Ack<T> = { ok: true; data: T } | { ok: false; error: Problem };

export interface ServerToClientEvents {
  'session:state': (state: SessionSnapshot) => void;
  presence: (participants: Participant[]) => void;
  'chat:message': (message: ChatMessage) => void;
  'question:revealed': (question: Question) => void;
  timer: (timer: TimerState) => void;
  settings: (settings: SessionSettings) => void;
  'session:ended': (payload: { endedAt: string }) => void;
  'run:started': (run: PadRun) => void;
  'run:output': (chunk: RunOutput) => void;
  'run:finished': (run: PadRun) => void;
  integrity: (event: IntegrityEvent) => void;
  'rtc:peer-joined': (peer: RtcPeer) => void;
  'rtc:peer-left': (payload: { peerId: string }) => void;
  'rtc:signal': (signal: RtcSignal) => void;
  'rtc:media': (payload: { peerId: string; audio: boolean; video: boolean }) => void;
  /** A refused event without an acknowledgement callback, or an unknown event. */
  problem: (problem: Problem) => void;
}

// ---------- what clients send ----------

const trimmed = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

export const chatSendSchema = z.strictObject({ text: trimmed(CHAT_MAX_CHARS) });
export const presenceSchema = z.strictObject({ state: z.enum(['active', 'idle']) });
export const revealSchema = z.strictObject({ questionId: z.string().min(1).max(100) });
export const timerStartSchema = z.strictObject({
  minutes: z.number().int().min(1).max(TIMER_MAX_MINUTES)
});
export const emptySchema = z.strictObject({});
export const settingsSchema = z.strictObject({ candidateCanRun: z.boolean() });
export const runStartSchema = z.strictObject({
  stdin: z
    .string()
    .refine((s) => new TextEncoder().encode(s).length <= STDIN_MAX_BYTES, {
      message: `stdin must be at most ${STDIN_MAX_BYTES} bytes`
    })
    .optional()
});
export const runCancelSchema = z.strictObject({ runId: z.string().min(1).max(64) });

const count = z.number().int().min(0).max(10_000_000);
export const integrityReportSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('paste'),
    chars: count,
    /** False when the text was copied inside the editor. */
    external: z.boolean(),
    file: z.string().max(64).optional()
  }),
  z.strictObject({ kind: z.literal('focus_lost') }),
  z.strictObject({ kind: z.literal('focus_regained'), awayMs: count }),
  z.strictObject({
    kind: z.literal('large_insert'),
    chars: count,
    file: z.string().max(64).optional()
  }),
  z.strictObject({ kind: z.literal('typing_burst'), chars: count, ms: count })
]);
export type IntegrityReport = z.infer<typeof integrityReportSchema>;

export const rtcJoinSchema = z.strictObject({ audio: z.boolean(), video: z.boolean() });
export const rtcMediaSchema = rtcJoinSchema;
const SDP_MAX = 100_000;
export const rtcSignalSchema = z
  .strictObject({
    to: z.string().min(1).max(64),
    description: z
      .strictObject({
        type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
        sdp: z.string().max(SDP_MAX)
      })
      .refine((d) => d.type === 'rollback' || d.sdp.startsWith('v=0'), {
        message: 'sdp must be a session description (starting with v=0)',
        path: ['sdp']
      })
      .optional(),
    candidate: z
      .strictObject({
        candidate: z.string().max(2048),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional()
      })
      .nullable()
      .optional()
  })
  .refine((s) => s.description !== undefined || s.candidate !== undefined, {
    message: 'a signal carries a description or a candidate'
  });

export type ChatSend = z.input<typeof chatSendSchema>;
export type RunStart = z.input<typeof runStartSchema>;

/** Every event a client may send: its payload schema and whether it needs the host role. */
export const clientEventSchemas = {
  'chat:send': { schema: chatSendSchema, access: 'participant' },
  'presence:set': { schema: presenceSchema, access: 'any' },
  'question:reveal': { schema: revealSchema, access: 'host' },
  'timer:start': { schema: timerStartSchema, access: 'host' },
  'timer:stop': { schema: emptySchema, access: 'host' },
  'settings:update': { schema: settingsSchema, access: 'host' },
  'session:end': { schema: emptySchema, access: 'host' },
  'run:start': { schema: runStartSchema, access: 'participant' },
  'run:cancel': { schema: runCancelSchema, access: 'participant' },
  'integrity:report': { schema: integrityReportSchema, access: 'candidate' },
  'rtc:join': { schema: rtcJoinSchema, access: 'any' },
  'rtc:leave': { schema: emptySchema, access: 'any' },
  'rtc:signal': { schema: rtcSignalSchema, access: 'any' },
  'rtc:media': { schema: rtcMediaSchema, access: 'any' }
} as const;
export type ClientEventName = keyof typeof clientEventSchemas;

type AckFn<T> = (ack: Ack<T>) => void;
export interface ClientToServerEvents {
  'chat:send': (payload: ChatSend, ack: AckFn<ChatMessage>) => void;
  'presence:set': (payload: z.input<typeof presenceSchema>, ack?: AckFn<null>) => void;
  'question:reveal': (payload: z.input<typeof revealSchema>, ack: AckFn<Question>) => void;
  'timer:start': (payload: z.input<typeof timerStartSchema>, ack: AckFn<TimerState>) => void;
  'timer:stop': (payload: Record<string, never>, ack: AckFn<TimerState>) => void;
  'settings:update': (payload: SessionSettings, ack: AckFn<SessionSettings>) => void;
  'session:end': (payload: Record<string, never>, ack: AckFn<{ endedAt: string }>) => void;
  'run:start': (payload: RunStart, ack: AckFn<PadRun>) => void;
  'run:cancel': (payload: z.input<typeof runCancelSchema>, ack: AckFn<null>) => void;
  'integrity:report': (payload: IntegrityReport, ack?: AckFn<null>) => void;
  /** Joins the call; the answer lists the peers already in it (this socket's id is `you`). */
  'rtc:join': (
    payload: z.input<typeof rtcJoinSchema>,
    ack: AckFn<{ you: string; peers: RtcPeer[] }>
  ) => void;
  'rtc:leave': (payload: Record<string, never>, ack?: AckFn<null>) => void;
  'rtc:signal': (payload: z.input<typeof rtcSignalSchema>, ack?: AckFn<null>) => void;
  'rtc:media': (payload: z.input<typeof rtcMediaSchema>, ack?: AckFn<null>) => void;
}

/** A stable colour per participant, for cursors, avatars and chat. */
export function participantColor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  const palette = [
    '#2563eb',
    '#db2777',
    '#059669',
    '#d97706',
    '#7c3aed',
    '#dc2626',
    '#0891b2',
    '#65a30d'
  ];
  return palette[hash % palette.length] ?? '#2563eb';
}

/**
 * How the pad's view of a live session follows the server's events: the
 * snapshot from `session:state`, then one small change per event. Functions
 * mutate the state in place, so the same code works on a plain object in
 * tests and on a Svelte `$state` proxy in the page.
 */
import type {
  ChatMessage,
  IntegrityEvent,
  PadRun,
  Participant,
  Question,
  RunOutput,
  SessionSettings,
  SessionSnapshot,
  TimerState
} from '$realtime/events/contracts';

/** Client-side caps, so a long session cannot grow the page without bound. */
export const VIEW_LIMITS = {
  chat: 500,
  runs: 50,
  integrity: 1000,
  /** Characters kept per stream of one run (the sandbox caps output well below this). */
  runOutputChars: 1_000_000
} as const;

function keepLast<T>(list: T[], max: number): void {
  if (list.length > max) list.splice(0, list.length - max);
}

function pushUnique<T extends { id: string }>(list: T[], item: T, max: number): void {
  if (list.some((existing) => existing.id === item.id)) return;
  list.push(item);
  keepLast(list, max);
}

export function applyPresence(state: SessionSnapshot, participants: Participant[]): void {
  state.participants = participants;
  const you = participants.find((p) => p.id === state.you.id);
  if (you) state.you = you;
}

export function applyChat(state: SessionSnapshot, message: ChatMessage): void {
  pushUnique(state.chat, message, VIEW_LIMITS.chat);
}

export function applyRevealed(state: SessionSnapshot, question: Question): void {
  if (state.revealed.some((q) => q.id === question.id)) return;
  state.revealed.push(question);
}

export function applyTimer(state: SessionSnapshot, timer: TimerState): void {
  state.timer = timer;
}

export function applySettings(state: SessionSnapshot, settings: SessionSettings): void {
  state.settings = settings;
}

export function applyEnded(state: SessionSnapshot, endedAt: string): void {
  state.endedAt = endedAt;
}

export function applyRunStarted(state: SessionSnapshot, run: PadRun): void {
  const index = state.runs.findIndex((r) => r.id === run.id);
  if (index >= 0) return;
  state.runs.push(run);
  keepLast(state.runs, VIEW_LIMITS.runs);
}

function appendCapped(current: string, data: string): string {
  if (current.length >= VIEW_LIMITS.runOutputChars) return current;
  return (current + data).slice(0, VIEW_LIMITS.runOutputChars);
}

export function applyRunOutput(state: SessionSnapshot, chunk: RunOutput): void {
  const run = state.runs.find((r) => r.id === chunk.runId);
  if (!run || run.status !== 'running') return;
  if (chunk.stream === 'stdout') run.stdout = appendCapped(run.stdout, chunk.data);
  else run.stderr = appendCapped(run.stderr, chunk.data);
}

export function applyRunFinished(state: SessionSnapshot, run: PadRun): void {
  const index = state.runs.findIndex((r) => r.id === run.id);
  if (index < 0) {
    state.runs.push(run);
    keepLast(state.runs, VIEW_LIMITS.runs);
    return;
  }
  const streamed = state.runs[index];
  // The final record is authoritative; streamed output only fills a gap it leaves.
  state.runs[index] = {
    ...run,
    stdout: run.stdout || (streamed?.stdout ?? ''),
    stderr: run.stderr || (streamed?.stderr ?? '')
  };
}

export function applyIntegrity(state: SessionSnapshot, event: IntegrityEvent): void {
  pushUnique(state.integrity, event, VIEW_LIMITS.integrity);
}

/** Runs, newest first. */
export function runsNewestFirst(runs: readonly PadRun[]): PadRun[] {
  return [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** The next library question not yet revealed, in library order. */
export function nextQuestion(state: SessionSnapshot): Question | null {
  const shown = new Set(state.revealed.map((q) => q.id));
  return state.library.find((q) => !shown.has(q.id)) ?? null;
}

/** Seconds left on the session timer (negative once over), or null when it is not running. */
export function secondsLeft(timer: TimerState, now: number): number | null {
  if (!timer.startedAt || timer.durationSeconds === null) return null;
  const ends = new Date(timer.startedAt).getTime() + timer.durationSeconds * 1000;
  return Math.ceil((ends - now) / 1000);
}

/** 65 → "1:05", 3725 → "1:02:05", -30 → "-0:30". */
export function formatClock(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.abs(seconds);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${sign}${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

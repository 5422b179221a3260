import { and, asc, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import * as Y from 'yjs';
import {
  isInterviewerError,
  type Decision,
  type EngineState,
  type Evaluation,
  type InterviewEngine,
  type InterviewPlan,
  type TranscriptMessage,
  type TurnAction,
  type TurnInput,
  TURN_ACTIONS
} from '../../../../interviewer/index';
import type { YjsServer } from '../../../../realtime/index';
import type {
  AiInterviewView,
  AiMessage,
  AiSectionView,
  AnswerInput
} from '../../contracts/ai-interview';
import { answerSchema } from '../../contracts/ai-interview';
import { CODE_DOC, readCode } from '../../pad/code-doc';
import { PAD_LANGUAGES, padLanguages, type PadLanguage } from '../../pad/languages';
import type { Database } from '../db/client';
import { aiInterviews, evaluations, interviews, messages, runs } from '../db/schema';
import { AppError, validationError } from '../errors';
import type { Logger } from '../log';
import type { CandidateView } from './interviews';

/** Minutes a candidate gets beyond the plan's own budget before the interview wraps up. */
const DEADLINE_GRACE_MINUTES = 10;
const AI_AUTHOR = 'ai';

export type AiInterviewDeps = {
  db: Database;
  engine: InterviewEngine;
  /** The plan a new async interview follows (the Backend engineer template by default). */
  plan: () => InterviewPlan;
  providerName: string;
  yjs: YjsServer;
  log: Logger;
};

export type AnswerHooks = {
  onCandidate?: (message: AiMessage) => void;
  onToken?: (text: string) => void;
  onDiscard?: () => void;
};

type Row = typeof aiInterviews.$inferSelect;

/** Turns run one at a time per interview, in this process. */
const inFlight = new Map<string, Promise<unknown>>();
function serial<T>(interviewId: string, work: () => Promise<T>): Promise<T> {
  const previous = inFlight.get(interviewId) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => undefined,
    () => undefined
  );
  inFlight.set(interviewId, settled);
  void settled.then(() => {
    if (inFlight.get(interviewId) === settled) inFlight.delete(interviewId);
  });
  return next;
}

function asyncOnly(view: CandidateView): void {
  if (view.interview.kind !== 'async') {
    throw new AppError('not_found', 'This interview is a live session, not an AI interview.');
  }
}

async function loadRow(db: Database, interviewId: string): Promise<Row | null> {
  const [row] = await db
    .select()
    .from(aiInterviews)
    .where(eq(aiInterviews.interviewId, interviewId));
  return row ?? null;
}

async function loadTranscript(db: Database, interviewId: string): Promise<TranscriptMessage[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.interviewId, interviewId), eq(messages.channel, 'transcript')))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  return rows.map(toTranscriptMessage);
}

const isAction = (value: unknown): value is TurnAction =>
  typeof value === 'string' && (TURN_ACTIONS as readonly string[]).includes(value);

function toTranscriptMessage(row: typeof messages.$inferSelect): TranscriptMessage {
  const meta = row.meta ?? {};
  const speaker =
    row.speaker === 'candidate' || row.speaker === 'system' ? row.speaker : 'interviewer';
  return {
    id: row.id,
    speaker,
    text: row.text,
    at: row.createdAt.toISOString(),
    ...(typeof meta.questionId === 'string' ? { questionId: meta.questionId } : {}),
    ...(typeof meta.dimensionId === 'string' ? { dimensionId: meta.dimensionId } : {}),
    ...(isAction(meta.action) ? { action: meta.action } : {})
  };
}

const toAiMessage = (m: TranscriptMessage): AiMessage => ({
  id: m.id,
  speaker: m.speaker,
  text: m.text,
  at: m.at
});

// Written by start() and reply() from the engine's own values; the engine re-checks both on every turn.
const planOf = (row: Row): InterviewPlan => row.plan;
const stateOf = (row: Row): EngineState => row.state;

const sectionKind = (section: InterviewPlan['sections'][number]): AiSectionView['kind'] =>
  section.questions.every((q) => q.kind === 'coding') ? 'coding' : 'discussion';

function buildView(
  view: CandidateView,
  row: Row | null,
  transcript: TranscriptMessage[],
  upcoming?: InterviewPlan
): AiInterviewView {
  if (!row) {
    return {
      status: 'not_started',
      title: view.interview.title,
      messages: [],
      // Before the start the candidate sees what is ahead and how long each part takes.
      sections: (upcoming?.sections ?? []).map((section) => ({
        title: section.title,
        minutes: section.minutes,
        kind: sectionKind(section),
        state: 'upcoming' as const
      })),
      sectionEndsAt: null,
      deadlineAt: null,
      startedAt: null,
      finishedAt: null,
      codingTask: null
    };
  }
  const plan = planOf(row);
  const state = stateOf(row);
  const finished = row.finishedAt !== null || state.finished;
  const sections: AiSectionView[] = plan.sections.map((section, index) => ({
    title: section.title,
    minutes: section.minutes,
    kind: sectionKind(section),
    state:
      finished || index < state.sectionIndex
        ? 'done'
        : index === state.sectionIndex
          ? 'current'
          : 'upcoming'
  }));
  const current = plan.sections[state.sectionIndex];
  const sectionEndsAt =
    !finished && current
      ? new Date(Date.parse(state.sectionStartedAt) + current.minutes * 60_000).toISOString()
      : null;
  const coding = plan.sections
    .slice(0, finished ? plan.sections.length : state.sectionIndex + 1)
    .flatMap((s) => s.questions)
    .find((q) => q.kind === 'coding');
  return {
    status: finished ? 'finished' : 'in_progress',
    title: view.interview.title,
    messages: transcript.map(toAiMessage),
    sections,
    sectionEndsAt,
    deadlineAt: row.deadlineAt.toISOString(),
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? (finished ? row.updatedAt.toISOString() : null),
    codingTask: coding ? { title: coding.title, prompt: coding.prompt } : null
  };
}

export async function getAiInterview(
  deps: AiInterviewDeps,
  view: CandidateView
): Promise<AiInterviewView> {
  asyncOnly(view);
  const row = await loadRow(deps.db, view.interview.id);
  if (!row) return buildView(view, null, [], deps.plan());
  return buildView(view, row, await loadTranscript(deps.db, view.interview.id));
}

/**
 * The code an async interview's pad starts with: the plan's coding task's
 * starter, in the first language it offers that the pad runs.
 */
export async function codingStarter(
  db: Database,
  interviewId: string
): Promise<{ language: PadLanguage; file: string; content: string } | null> {
  const row = await loadRow(db, interviewId);
  const task = row?.plan.sections.flatMap((s) => s.questions).find((q) => q.kind === 'coding');
  if (!task || task.kind !== 'coding') return null;
  for (const language of PAD_LANGUAGES) {
    const content = task.starter[language];
    if (content !== undefined) return { language, file: padLanguages[language].file, content };
  }
  return null;
}

async function appendMessage(
  db: Database,
  interviewId: string,
  message: Omit<TranscriptMessage, 'id' | 'at'>,
  author: { id: string; name: string }
): Promise<TranscriptMessage> {
  const [row] = await db
    .insert(messages)
    .values({
      interviewId,
      speaker: message.speaker,
      authorId: author.id,
      authorName: author.name,
      channel: 'transcript',
      text: message.text,
      meta: {
        ...(message.questionId ? { questionId: message.questionId } : {}),
        ...(message.dimensionId ? { dimensionId: message.dimensionId } : {}),
        ...(message.action ? { action: message.action } : {})
      }
    })
    .returning();
  if (!row) throw new Error('transcript message not stored');
  return toTranscriptMessage(row);
}

function appendDecision(
  db: Database,
  interviewId: string,
  decision: Decision
): Promise<TranscriptMessage> {
  return appendMessage(
    db,
    interviewId,
    {
      speaker: 'interviewer',
      text: decision.message,
      questionId: decision.questionId,
      dimensionId: decision.dimensionId,
      action: decision.action
    },
    { id: AI_AUTHOR, name: 'Interviewer' }
  );
}

/** Starts the interview (idempotent): the greeting and the first question. */
export async function startAiInterview(
  deps: AiInterviewDeps,
  view: CandidateView
): Promise<AiInterviewView> {
  asyncOnly(view);
  const interviewId = view.interview.id;
  return serial(interviewId, async () => {
    const existing = await loadRow(deps.db, interviewId);
    if (existing) return buildView(view, existing, await loadTranscript(deps.db, interviewId));
    const plan = deps.plan();
    const now = new Date();
    const { decision, state } = deps.engine.start(plan, now);
    const minutes = plan.sections.reduce((sum, s) => sum + s.minutes, 0);
    await deps.db.transaction(async (tx) => {
      await tx.insert(aiInterviews).values({
        interviewId,
        templateId: plan.templateId,
        plan,
        state,
        startedAt: now,
        deadlineAt: new Date(now.getTime() + (minutes + DEADLINE_GRACE_MINUTES) * 60_000)
      });
      await tx
        .update(interviews)
        .set({ status: 'in_progress', updatedAt: now })
        .where(and(eq(interviews.id, interviewId), eq(interviews.status, 'scheduled')));
    });
    await appendDecision(deps.db, interviewId, decision);
    deps.log.info({ interviewId, templateId: plan.templateId }, 'AI interview started');
    const row = await loadRow(deps.db, interviewId);
    return buildView(view, row, await loadTranscript(deps.db, interviewId));
  });
}

/** The candidate's code and latest run, for questions about their own work. */
async function codeContext(deps: AiInterviewDeps, interviewId: string): Promise<TurnInput['code']> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, await deps.yjs.read({ interviewId, doc: CODE_DOC }));
    const code = readCode(doc);
    const [run] = await deps.db
      .select({ status: runs.status, stdout: runs.stdout, stderr: runs.stderr })
      .from(runs)
      .where(eq(runs.interviewId, interviewId))
      .orderBy(desc(runs.createdAt))
      .limit(1);
    return {
      language: code.language,
      files: code.files,
      ...(run
        ? { lastRun: { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '' } }
        : {})
    };
  } finally {
    doc.destroy();
  }
}

/**
 * Records the candidate's message first (it is never lost), then asks the
 * engine for the interviewer's reply. A message arriving after the last one
 * the page knew about is refused with `conflict`, so a double submit or a
 * stale tab cannot fork the interview.
 */
export async function answerAiInterview(
  deps: AiInterviewDeps,
  view: CandidateView,
  body: unknown,
  hooks: AnswerHooks = {}
): Promise<AiInterviewView> {
  asyncOnly(view);
  const parsed = answerSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error, 'message');
  const input: AnswerInput & { kind: 'answer' | 'silence' } = parsed.data;
  const interviewId = view.interview.id;
  return serial(interviewId, async () => {
    const row = await loadRow(deps.db, interviewId);
    if (!row) throw new AppError('conflict', 'Start the interview first.');
    if (row.finishedAt || stateOf(row).finished) {
      throw new AppError('conflict', 'This interview has ended; your answers are saved.');
    }
    const transcript = await loadTranscript(deps.db, interviewId);
    const last = transcript.at(-1);
    if ((last?.id ?? null) !== (input.after ?? null)) {
      throw new AppError(
        'conflict',
        'The conversation moved on in another tab or window. Reload to continue.'
      );
    }
    if (last?.speaker === 'candidate') {
      throw new AppError('conflict', 'The interviewer is still replying to your last message.');
    }
    const text = input.kind === 'silence' ? '' : (input.text ?? '');
    const candidate =
      input.kind === 'silence'
        ? await appendMessage(
            deps.db,
            interviewId,
            { speaker: 'system', text: '(no answer)' },
            { id: 'system', name: 'System' }
          )
        : await appendMessage(
            deps.db,
            interviewId,
            { speaker: 'candidate', text },
            { id: `candidate:${view.interview.candidate.id}`, name: view.interview.candidate.name }
          );
    hooks.onCandidate?.(toAiMessage(candidate));
    await reply(deps, interviewId, row, [...transcript, candidate], text, hooks);
    return currentView(deps, view);
  });
}

/**
 * Finishes a turn whose reply never came (the server restarted mid-turn):
 * the page calls this when the last message is the candidate's.
 */
export async function resumeAiInterview(
  deps: AiInterviewDeps,
  view: CandidateView,
  hooks: AnswerHooks = {}
): Promise<AiInterviewView> {
  asyncOnly(view);
  const interviewId = view.interview.id;
  return serial(interviewId, async () => {
    const row = await loadRow(deps.db, interviewId);
    const transcript = row ? await loadTranscript(deps.db, interviewId) : [];
    const last = transcript.at(-1);
    if (!row || !last || last.speaker === 'interviewer' || stateOf(row).finished) {
      return buildView(view, row, transcript);
    }
    await reply(
      deps,
      interviewId,
      row,
      transcript,
      last.speaker === 'candidate' ? last.text : '',
      hooks
    );
    return currentView(deps, view);
  });
}

function budgetEnd(plan: InterviewPlan, state: EngineState): number {
  const minutes = plan.sections.reduce((sum, section) => sum + section.minutes, 0);
  return Date.parse(state.startedAt) + minutes * 60_000;
}

async function currentView(deps: AiInterviewDeps, view: CandidateView): Promise<AiInterviewView> {
  const row = await loadRow(deps.db, view.interview.id);
  return buildView(view, row, await loadTranscript(deps.db, view.interview.id));
}

async function reply(
  deps: AiInterviewDeps,
  interviewId: string,
  row: Row,
  transcript: TranscriptMessage[],
  answer: string,
  hooks: AnswerHooks
): Promise<void> {
  const plan = planOf(row);
  const state = stateOf(row);
  const now = new Date();
  const pastDeadline = now.getTime() > row.deadlineAt.getTime();
  const current = plan.sections[state.sectionIndex]?.questions[state.questionIndex];
  let result;
  try {
    result = await deps.engine.turn(
      {
        plan,
        state,
        transcript,
        answer,
        // Past the deadline, the engine sees its whole budget spent, and its own check wraps up.
        now: pastDeadline ? new Date(Math.max(now.getTime(), budgetEnd(plan, state) + 1)) : now,
        ...(current?.kind === 'coding' ? { code: await codeContext(deps, interviewId) } : {})
      },
      { onToken: hooks.onToken, onDiscard: hooks.onDiscard }
    );
  } catch (error) {
    if (isInterviewerError(error)) {
      const code = error.code === 'message_too_long' ? 'validation_failed' : 'conflict';
      throw new AppError(code, error.message, { cause: error });
    }
    throw error;
  }
  const { decision, state: next, usedFallback } = result;
  if (usedFallback)
    deps.log.warn({ interviewId }, 'AI interviewer fell back to the offline engine');
  await appendDecision(deps.db, interviewId, decision);
  const finishedAt = next.finished ? new Date() : null;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(aiInterviews)
      .set({
        state: next,
        turns: row.turns + 1,
        finishedAt,
        updatedAt: new Date()
      })
      .where(eq(aiInterviews.interviewId, interviewId));
    if (finishedAt) {
      await tx
        .update(interviews)
        .set({ status: 'completed', updatedAt: finishedAt })
        .where(
          and(
            eq(interviews.id, interviewId),
            inArray(interviews.status, ['scheduled', 'in_progress'])
          )
        );
    }
  });
  if (finishedAt) void evaluateAiInterview(deps, interviewId);
}

/**
 * Wraps up an interview the candidate left before its end once its deadline
 * has passed, so it is scored and never stays open. Staff reads and a
 * periodic sweep call it; true when it finished one.
 */
export async function finishIfExpired(
  deps: AiInterviewDeps,
  interviewId: string,
  now = new Date()
): Promise<boolean> {
  return serial(interviewId, async () => {
    const row = await loadRow(deps.db, interviewId);
    if (!row || row.finishedAt || stateOf(row).finished) return false;
    if (row.deadlineAt.getTime() >= now.getTime()) return false;
    const transcript = await loadTranscript(deps.db, interviewId);
    const pending =
      transcript.at(-1)?.speaker === 'interviewer'
        ? [
            ...transcript,
            await appendMessage(
              deps.db,
              interviewId,
              { speaker: 'system', text: '(no answer before the deadline)' },
              { id: 'system', name: 'System' }
            )
          ]
        : transcript;
    await reply(deps, interviewId, row, pending, '', {});
    deps.log.info({ interviewId }, 'AI interview wrapped up at its deadline');
    return true;
  });
}

/** Finds open interviews past their deadline and wraps them up. */
export async function sweepExpired(deps: AiInterviewDeps, now = new Date()): Promise<number> {
  const open = await deps.db
    .select({ interviewId: aiInterviews.interviewId })
    .from(aiInterviews)
    .where(and(isNull(aiInterviews.finishedAt), lt(aiInterviews.deadlineAt, now)))
    .limit(100);
  let finished = 0;
  for (const { interviewId } of open) {
    try {
      if (await finishIfExpired(deps, interviewId, now)) finished += 1;
    } catch (error) {
      deps.log.error({ err: error, interviewId }, 'could not wrap up an expired AI interview');
    }
  }
  return finished;
}

/** Scores a finished interview and stores the evaluation; failures are logged, never shown to the candidate. */
export async function evaluateAiInterview(
  deps: AiInterviewDeps,
  interviewId: string
): Promise<Evaluation | null> {
  try {
    const row = await loadRow(deps.db, interviewId);
    if (!row) return null;
    const transcript = await loadTranscript(deps.db, interviewId);
    const evaluation = await deps.engine.evaluate(planOf(row), transcript);
    await deps.db.insert(evaluations).values({
      interviewId,
      source: 'ai',
      author: evaluation.source === 'llm' ? deps.providerName : 'offline',
      data: evaluation
    });
    deps.log.info({ interviewId, source: evaluation.source }, 'AI interview evaluated');
    return evaluation;
  } catch (error) {
    deps.log.error({ err: error, interviewId }, 'AI interview evaluation failed');
    return null;
  }
}

export type StaffTranscript = {
  plan: InterviewPlan | null;
  messages: TranscriptMessage[];
  evaluation: (Evaluation & { createdAt: string; author: string }) | null;
  finishedAt: string | null;
  startedAt: string | null;
};

/** What staff see: the whole transcript with what each message served, and the latest evaluation. */
export async function staffTranscript(db: Database, interviewId: string): Promise<StaffTranscript> {
  const [row, transcript, [latest]] = await Promise.all([
    loadRow(db, interviewId),
    loadTranscript(db, interviewId),
    db
      .select()
      .from(evaluations)
      .where(and(eq(evaluations.interviewId, interviewId), eq(evaluations.source, 'ai')))
      .orderBy(desc(evaluations.createdAt))
      .limit(1)
  ]);
  return {
    plan: row ? planOf(row) : null,
    messages: transcript,
    evaluation: latest
      ? {
          ...latest.data,
          createdAt: latest.createdAt.toISOString(),
          author: latest.author
        }
      : null,
    finishedAt: row?.finishedAt?.toISOString() ?? null,
    startedAt: row?.startedAt.toISOString() ?? null
  };
}

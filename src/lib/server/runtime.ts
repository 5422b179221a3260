import { createHmac } from 'node:crypto';
import {
  CloseCode,
  createDocTokens,
  createYjsServer,
  type DocTokens,
  type YjsServer
} from '../../../realtime/index';
import {
  createSessionServer,
  createSessionTokens,
  type SessionServer,
  type SessionTokens
} from '../../../realtime/events/index';
import { CODE_DOC, seedCode, seedFiles } from '../pad/code-doc';
import {
  createInterviewEngine,
  createOpenAIProvider,
  loadLibrary,
  providerConfigFromEnv,
  resolvePlan,
  type InterviewEngine,
  type InterviewPlan
} from '../../../interviewer/index';
import { createRunQueue, type RunQueue } from '../../../sandbox/index';
import { createAuth, type Auth } from './auth';
import { createDatabase, type Database } from './db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { runMigrations } from './db/migrate';
import { loadEnv, type Env } from './env';
import { createLogger, type Logger } from './log';
import { createLoginLimiter, type LoginLimiter } from './services/login-limiter';
import { docWorkerEntry, type DocWorkerConfig } from './services/doc-worker';
import { liveQuestions } from './services/live-questions';
import { createPadRunGateway } from './services/pad-runs';
import { createPgSessionStore } from './services/session-log';
import { codingStarter, sweepExpired } from './services/ai-interview';
import { formatCredentials, seedFirstStart, type FirstStartCredentials } from './services/seed';

/** Everything a request needs, built once per process. */
export type Runtime = {
  env: Env;
  log: Logger;
  db: Database;
  auth: Auth;
  loginLimiter: LoginLimiter;
  /** Runs code: in-process sandbox slots, or workers through Redis when REDIS_URL is set. */
  runner: RunQueue;
  /** Collaborative documents over websockets, at /yjs/<interviewId>/<doc>. */
  yjs: YjsServer;
  /** Mints the short-lived tokens that open a document. */
  docTokens: DocTokens;
  /** Live sessions over socket.io: presence, chat, questions, timer, runs, integrity. */
  sessions: SessionServer;
  /** Mints the short-lived tokens that admit a participant to a live session. */
  sessionTokens: SessionTokens;
  /** The AI interviewer: its engine, the provider's name and the plan new interviews follow. */
  interviewer: {
    engine: InterviewEngine;
    providerName: 'offline' | 'openai';
    plan: () => InterviewPlan;
  };
  /** The public origin when configured; links otherwise use the request's own origin. */
  origin: string | undefined;
  /** The demo admin's one-time credentials, when this start created them. */
  firstStart: FirstStartCredentials | null;
  close(): Promise<void>;
};

const KEY = Symbol.for('tandem.runtime');
const SWEEP_INTERVAL_MS = 5 * 60_000;
type Holder = { [KEY]?: Promise<Runtime> };

export type BootOptions = {
  env?: Env;
  log?: Logger;
  /** Where to print first-start credentials; false leaves it to the caller. Default: stdout. */
  print?: ((text: string) => void) | false;
  /** Create the demo organization on an empty database. Default: SEED_DEMO. */
  seed?: boolean;
  /** Share a running app's embedded PostgreSQL instead of refusing (the admin CLI). */
  attach?: boolean;
};

export async function bootRuntime(options: BootOptions = {}): Promise<Runtime> {
  const env = options.env ?? loadEnv();
  const log = options.log ?? createLogger(env.LOG_LEVEL);
  let embedded: EmbeddedDatabase | undefined;
  let db: Database | undefined;
  try {
    let url = env.DATABASE_URL;
    if (!url) {
      embedded = await startEmbeddedPostgres({
        dataDir: env.DATA_DIR,
        log,
        attach: options.attach ?? false
      });
      url = embedded.url;
    }
    db = createDatabase(url);
    let closing = false;
    db.$client.on('error', (err) => {
      // Stopping the embedded server ends idle connections: expected, not an error.
      if (!closing) log.error({ err }, 'idle PostgreSQL client error');
    });
    await runMigrations(db);
    const baseURL = env.ORIGIN ?? `http://localhost:${env.PORT || 3000}`;
    const auth = createAuth({ db, secret: env.SESSION_SECRET, baseURL });
    const firstStart =
      (options.seed ?? env.SEED_DEMO)
        ? await seedFirstStart({ db, auth, log, inviteTtlHours: env.INVITE_TTL_HOURS })
        : null;
    if (firstStart && options.print !== false) {
      const print = options.print ?? ((text: string) => process.stdout.write(text));
      print(formatCredentials(firstStart, baseURL));
    }
    const database = db;
    const pg = embedded;
    // Its own key, derived from the session secret: a leaked doc token says nothing about sessions.
    const derive = (purpose: string) =>
      createHmac('sha256', env.SESSION_SECRET).update(purpose).digest('base64url');
    const docTokens = createDocTokens({ secret: derive('tandem:yjs') });
    const databaseUrl = url;
    const yjs = createYjsServer({
      // Documents and their log live in a worker thread with its own pool, so that applying,
      // encoding and writing them never delay an edit on its way to the other participants.
      documents: {
        worker: { entry: docWorkerEntry(), data: { databaseUrl } satisfies DocWorkerConfig }
      },
      tokens: docTokens,
      logger: log.child({ component: 'yjs' }),
      // Starter code is written here, once, into an empty pad: never by a browser. An AI
      // interview's pad starts with its coding task's starter.
      seed: async (key) => {
        if (key.doc !== CODE_DOC) return null;
        const task = await codingStarter(database, key.interviewId);
        return task
          ? (doc) => seedFiles(doc, task.language, { [task.file]: task.content }, task.file)
          : (doc) => seedCode(doc);
      }
    });
    const runner = createRunQueue({
      redisUrl: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      slots: env.SANDBOX_SLOTS,
      uidBase: env.SANDBOX_UID_BASE,
      queueTimeoutMs: env.RUN_QUEUE_TIMEOUT_MS,
      logger: log.child({ component: 'sandbox' })
    });
    const interviewer = createInterviewer(env, log.child({ component: 'interviewer' }));
    const sessionTokens = createSessionTokens({ secret: derive('tandem:session') });
    const sessions = createSessionServer({
      tokens: sessionTokens,
      store: createPgSessionStore(database, liveQuestions),
      runs: createPadRunGateway({
        db: database,
        runner,
        yjs,
        log: log.child({ component: 'pad' })
      }),
      logger: log.child({ component: 'session' }),
      // The candidate's editor reconnects with a fresh token, which is read-only once ended.
      onSessionEnded: (interviewId) =>
        yjs.disconnect(
          (key, claims) => key.interviewId === interviewId && claims.role === 'candidate',
          CloseCode.Forbidden,
          'session ended'
        )
    });
    // Interviews a candidate abandoned are wrapped up and scored after their deadline.
    const sweep = setInterval(() => {
      void sweepExpired({
        db: database,
        ...interviewer,
        yjs,
        log: log.child({ component: 'interviewer' })
      }).catch((err: unknown) => log.error({ err }, 'AI interview sweep failed'));
    }, SWEEP_INTERVAL_MS);
    sweep.unref();
    return {
      env,
      log,
      db: database,
      auth,
      loginLimiter: createLoginLimiter({
        maxAttempts: env.LOGIN_MAX_ATTEMPTS,
        windowMs: env.LOGIN_WINDOW_SECONDS * 1000
      }),
      origin: env.ORIGIN,
      firstStart,
      runner,
      yjs,
      docTokens,
      sessions,
      sessionTokens,
      interviewer,
      async close() {
        clearInterval(sweep);
        // Sessions stop their runs and record them; documents flush every acknowledged edit;
        // both before the pool closes.
        await sessions.close();
        await yjs.close();
        await runner.close();
        closing = true;
        await database.$client.end();
        await pg?.stop();
      }
    };
  } catch (error) {
    await db?.$client.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * The question library is read and the template resolved at boot, so a broken
 * content file stops the start with its file and path, not an interview later.
 */
function createInterviewer(env: Env, log: Logger): Runtime['interviewer'] {
  const library = loadLibrary();
  const plan = resolvePlan(library, env.INTERVIEW_TEMPLATE);
  const config = providerConfigFromEnv({
    OPENAI_API_KEY: env.OPENAI_API_KEY,
    OPENAI_BASE_URL: env.OPENAI_BASE_URL,
    OPENAI_MODEL: env.OPENAI_MODEL,
    OPENAI_STRUCTURED_OUTPUT: env.OPENAI_STRUCTURED_OUTPUT,
    OPENAI_TIMEOUT_MS: env.OPENAI_TIMEOUT_MS?.toString(),
    OPENAI_MAX_RETRIES: env.OPENAI_MAX_RETRIES?.toString()
  });
  const provider = config ? createOpenAIProvider({ ...config, logger: log }) : undefined;
  log.info(
    { provider: provider ? 'openai' : 'offline', template: plan.templateId },
    'interviewer ready'
  );
  return {
    engine: createInterviewEngine({ provider, logger: log }),
    providerName: provider ? 'openai' : 'offline',
    // A copy per interview: the stored plan must not share objects with the library.
    plan: () => structuredClone(plan)
  };
}

/** Makes a runtime booted by server.ts visible to the SvelteKit bundle. */
export function installRuntime(runtime: Promise<Runtime>): void {
  (globalThis as Holder)[KEY] = runtime;
}

/**
 * The process's runtime. Under `vite dev` nothing has booted one yet, so the
 * first request boots it.
 */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= bootRuntime();
  return holder[KEY];
}

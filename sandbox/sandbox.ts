import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import { isAvailable, toolchainVersion } from './availability';
import { SandboxError } from './errors';
import { CgroupReserve } from './cgroup-reserve';
import { emptyResult, execute } from './execute';
import { prepareHost, type HostState } from './host';
import { HTTP_LANGUAGES } from './http-schema';
import { findLanguage, LANGUAGES } from './languages/index';
import type { LanguageSpec, Program } from './languages/types';
import { buildLimitTable, resolveLimits, type Limits } from './limits';
import { silentLogger } from './logger';
import { AbortedWhileQueuedError, ClosedPoolError, SlotPool } from './pool';
import { parseRequest, type RunRequest } from './request';
import type { LanguageInfo, RunOptions, RunResult, SandboxOptions } from './types';
import { DEFAULT_UID_BASE, slotUids, uidsInUse, type Slot } from './uids';
import { BASE_INPUTS, OPEN_FILES, WARM_CONTROL_FD, warmWrapperHead } from './step';
import { WarmPool } from './warm';

export interface Sandbox {
  /**
   * Validates synchronously-checkable input first and rejects with a
   * SandboxError (no run started); after that, every outcome — including our
   * own failures — is a RunResult with a status.
   */
  run(request: unknown, options?: RunOptions): Promise<RunResult>;
  languages(): Promise<LanguageInfo[]>;
  close(): Promise<void>;
}

function pickEntry(request: RunRequest, language: LanguageSpec): string {
  if (request.entry !== undefined) return request.entry;
  const paths = Object.keys(request.files);
  if (paths.includes(language.defaultEntry)) return language.defaultEntry;
  const own = paths.filter((path) => language.extensions.some((ext) => path.endsWith(ext)));
  if (own.length === 1 && own[0] !== undefined) return own[0];
  throw new SandboxError(
    'invalid_request',
    `cannot tell the entry point: name it with "entry" or call it ${language.defaultEntry}`
  );
}

/** Numbers the sandboxes of this process, so two never share cgroup names. */
let instances = 0;

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const logger = options.logger ?? silentLogger;
  const instance = instances++;
  const table = buildLimitTable(options.limits);
  const slots = slotUids(options.uidBase ?? DEFAULT_UID_BASE, options.slots ?? cpus().length);
  const clashing = uidsInUse(slots);
  if (clashing.length > 0)
    logger.warn({ uids: clashing }, 'sandbox slot uids belong to existing accounts');
  const pool = new SlotPool<Slot>(slots);
  let host: Promise<HostState> | undefined;
  let closed = false;
  let counter = 0;
  const reserves = new Map<string, CgroupReserve>();
  // kind '' for the program's steps, 'h' for the HTTP harness running beside it.
  const reserveFor = (hostState: HostState, slot: Slot, kind: '' | 'h' = '') => {
    const key = `${slot.index}${kind}`;
    let reserve = reserves.get(key);
    if (!reserve) {
      // The pid in the name lets a later process sweep groups we leave behind if we crash.
      reserve = new CgroupReserve(hostState.driver, `p${process.pid}-i${instance}-s${key}`, logger);
      reserves.set(key, reserve);
    }
    return reserve;
  };

  const warmPools = new Map<number, WarmPool>();
  const warmFor = (hostState: HostState, slot: Slot) => {
    let warm = warmPools.get(slot.index);
    if (!warm) {
      warm = new WarmPool({
        cgroups: reserveFor(hostState, slot),
        logger,
        inputs: BASE_INPUTS,
        controlFd: WARM_CONTROL_FD,
        openFiles: OPEN_FILES,
        head: warmWrapperHead(hostState.layout, slot.uid)
      });
      warmPools.set(slot.index, warm);
    }
    return warm;
  };

  async function validate(
    input: unknown
  ): Promise<{ request: RunRequest; language: LanguageSpec; limits: Limits; program: Program }> {
    const request = parseRequest(input);
    const language = findLanguage(request.language);
    if (!language)
      throw new SandboxError('unknown_language', `unknown language "${request.language}"`);
    const limits = resolveLimits(table, language.limits, request.limits);
    if (!(await isAvailable(language))) {
      throw new SandboxError(
        'language_unavailable',
        `${language.name} is not installed on this host (package ${language.package})`
      );
    }
    if ((request.sql || request.sqlTests) && language.id !== 'sql') {
      throw new SandboxError(
        'invalid_request',
        'sql and sqlTests are only valid for the sql language'
      );
    }
    if (request.httpTests && !HTTP_LANGUAGES.includes(language.id)) {
      throw new SandboxError(
        'invalid_request',
        `httpTests are available for ${HTTP_LANGUAGES.join(', ')}, not ${language.id}`
      );
    }
    const entry = pickEntry(request, language);
    const sqlSeed = request.sql ? `${request.sql.schema}\n${request.sql.data}` : undefined;
    return { request, language, limits, program: { files: request.files, entry, sqlSeed } };
  }

  return {
    async run(input, runOptions = {}) {
      if (closed) throw new SandboxError('closed', 'sandbox is closed');
      const { request, language, limits, program } = await validate(input);
      host ??= prepareHost(logger);
      const hostState = await host;
      const runId = `${(counter++).toString(36)}${randomBytes(3).toString('hex')}`;
      const runLogger = logger.child({ runId, language: language.id });
      try {
        return await pool.use(
          request.priority,
          (slot) =>
            execute(
              hostState,
              {
                slot,
                cgroups: reserveFor(hostState, slot),
                harnessCgroups: request.httpTests ? reserveFor(hostState, slot, 'h') : undefined,
                warm: warmFor(hostState, slot)
              },
              { request, language, program, limits, runId, logger: runLogger },
              runOptions
            ),
          runOptions.signal
        );
      } catch (error) {
        if (error instanceof AbortedWhileQueuedError)
          return emptyResult('timeout', limits, { cancelled: true });
        if (error instanceof ClosedPoolError) throw new SandboxError('closed', 'sandbox is closed');
        // Unexpected: logged with the run id; the caller only gets the status.
        runLogger.error({ err: error }, 'sandbox run failed');
        return emptyResult('internal_error', limits);
      }
    },

    async languages() {
      return Promise.all(
        LANGUAGES.map(async (language): Promise<LanguageInfo> => {
          const available = await isAvailable(language);
          return {
            id: language.id,
            name: language.name,
            extensions: language.extensions,
            available,
            package: language.package,
            version: available ? await toolchainVersion(language) : undefined,
            defaultLimits: resolveLimits(table, language.limits, undefined)
          };
        })
      );
    },

    async close() {
      closed = true;
      await pool.close();
      // Waiting wrappers first: their cgroups go back to the reserves closed next.
      await Promise.all([...warmPools.values()].map((warm) => warm.close()));
      await Promise.all([...reserves.values()].map((reserve) => reserve.close()));
    }
  };
}

import type { Limits } from '../limits';

/** A program as the language sees it after validation (and host-side transforms). */
export interface Program {
  files: Record<string, string>;
  entry: string;
  /** SQL seed, for the sql language only. */
  sqlSeed?: string;
}

export interface PlannedFile {
  /** Absolute path inside the sandbox. */
  path: string;
  content: Buffer | string;
  /** Files outside /box and /tmp are read-only for the program whatever the mode. */
  mode?: number;
}

/** One bwrap invocation. */
export interface StepPlan {
  command: string[];
  env?: Record<string, string>;
  files: PlannedFile[];
  /** Extra host paths bound read-only (e.g. a JDK's /etc config). */
  roBinds?: string[];
}

/**
 * A compile step writes diagnostics to stderr and the artifact — one binary
 * or a tar of a directory — to stdout; the run step receives that artifact
 * read-only. Separate invocations keep compile limits (javac, go build need
 * more memory and tasks) apart from run limits, and let hidden tests reuse
 * one compilation.
 */
export interface CompileSpec {
  limits: Pick<Limits, 'wallMs' | 'cpuMs' | 'memoryMb' | 'processes'>;
  plan(program: Program): StepPlan;
}

export type TransformResult = { ok: true; program: Program } | { ok: false; compileOutput: string };

export interface LanguageSpec {
  id: string;
  name: string;
  extensions: string[];
  /** Debian package providing the toolchain. */
  package: string;
  /** Absolute paths that must exist for the language to be available. */
  toolchain: string[];
  versionCommand?: string[];
  defaultEntry: string;
  limits: Partial<Limits>;
  /** Host-side, pure string transform (TypeScript → JavaScript). */
  transform?(program: Program): Promise<TransformResult>;
  compile?: CompileSpec;
  run(program: Program, artifact: Buffer | undefined): StepPlan;
}

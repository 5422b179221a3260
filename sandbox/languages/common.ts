import { RUN_DIR, WORK_DIR } from '../bwrap';
import type { PlannedFile, Program } from './types';

/** Source files copied writable into the work dir, as a candidate expects. */
export function sourceFiles(program: Program): PlannedFile[] {
  return Object.entries(program.files).map(([path, content]) => ({
    path: `${WORK_DIR}/${path}`,
    content,
    mode: 0o644
  }));
}

export function filesWithExtension(program: Program, extensions: string[]): string[] {
  return Object.keys(program.files).filter((path) => extensions.some((ext) => path.endsWith(ext)));
}

export const ARTIFACT_PATH = `${RUN_DIR}/artifact`;

/** Redirects the compiler's stdout to stderr so that stdout carries only the artifact. */
export function compileScript(steps: string): string[] {
  return ['/bin/sh', '-c', `exec 3>&1 1>&2\n${steps}`];
}

export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

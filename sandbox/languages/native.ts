import { RUN_DIR } from '../bwrap';
import {
  ARTIFACT_PATH,
  compileScript,
  filesWithExtension,
  shellQuote,
  sourceFiles
} from './common';
import type { LanguageSpec, Program, StepPlan } from './types';

const HEADER_PATH = `${RUN_DIR}/tandem_unbuffered.h`;

/**
 * Force-included into every translation unit: line-buffers stdout even on a
 * pipe so live output arrives per line, as in a terminal. Chosen over
 * `stdbuf` (an LD_PRELOAD that static binaries ignore) and over _IONBF (a
 * write(2) per printf makes output-heavy solutions crawl). A program that
 * calls setvbuf or std::ios::sync_with_stdio(false) itself opts out.
 */
const UNBUFFERED_HEADER = `#include <stdio.h>
__attribute__((constructor)) static void tandem_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
`;

function nativeCompile(compiler: string, flags: string[], extensions: string[]) {
  return (program: Program): StepPlan => {
    const sources = filesWithExtension(program, extensions).map(shellQuote).join(' ');
    return {
      command: compileScript(
        `${compiler} ${flags.join(' ')} -include ${HEADER_PATH} -o /tmp/main ${sources} -lm && cat /tmp/main >&3`
      ),
      files: [
        ...sourceFiles(program),
        { path: HEADER_PATH, content: UNBUFFERED_HEADER, mode: 0o444 }
      ]
    };
  };
}

function runBinary(_program: Program, artifact: Buffer | undefined): StepPlan {
  return {
    command: [ARTIFACT_PATH],
    files: [{ path: ARTIFACT_PATH, content: artifact ?? Buffer.alloc(0), mode: 0o555 }]
  };
}

const COMPILE_LIMITS = { wallMs: 15_000, cpuMs: 15_000, memoryMb: 512, processes: 32 };

export const c: LanguageSpec = {
  id: 'c',
  name: 'C (GCC, gnu17)',
  extensions: ['.c'],
  package: 'gcc',
  toolchain: ['/usr/bin/gcc'],
  versionCommand: ['/usr/bin/gcc', '--version'],
  defaultEntry: 'main.c',
  limits: {},
  compile: {
    limits: COMPILE_LIMITS,
    plan: nativeCompile('/usr/bin/gcc', ['-O2', '-pipe', '-std=gnu17'], ['.c'])
  },
  run: runBinary
};

export const cpp: LanguageSpec = {
  id: 'cpp',
  name: 'C++ (GCC, gnu++17)',
  extensions: ['.cpp', '.cc', '.cxx'],
  package: 'g++',
  toolchain: ['/usr/bin/g++'],
  versionCommand: ['/usr/bin/g++', '--version'],
  defaultEntry: 'main.cpp',
  limits: {},
  compile: {
    limits: COMPILE_LIMITS,
    plan: nativeCompile('/usr/bin/g++', ['-O2', '-pipe', '-std=gnu++17'], ['.cpp', '.cc', '.cxx'])
  },
  run: runBinary
};

export { runBinary };

import { transform } from 'esbuild';
import { NODE_COMMAND } from './javascript';
import { sourceFiles } from './common';
import type { LanguageSpec, Program, TransformResult } from './types';

const TS = /\.(ts|mts|cts)$/;

/**
 * esbuild's transform is a pure string-to-string call on the host (no file
 * system, no plugins), so it is safe to run outside the sandbox and saves a
 * second sandboxed step. Output is CommonJS so `import './util'` resolves
 * to util.js without extensions.
 */
async function transpile(program: Program): Promise<TransformResult> {
  const files: Record<string, string> = {};
  const errors: string[] = [];
  for (const [path, source] of Object.entries(program.files)) {
    if (!TS.test(path)) {
      files[path] = source;
      continue;
    }
    try {
      const result = await transform(source, {
        loader: 'ts',
        format: 'cjs',
        target: 'node20',
        sourcefile: path
      });
      files[path.replace(TS, '.js')] = result.code;
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (errors.length > 0) return { ok: false, compileOutput: errors.join('\n') };
  return { ok: true, program: { ...program, files, entry: program.entry.replace(TS, '.js') } };
}

export const typescript: LanguageSpec = {
  id: 'typescript',
  name: 'TypeScript (esbuild + Node.js)',
  extensions: ['.ts', '.mts', '.cts'],
  package: 'nodejs',
  toolchain: ['/usr/bin/node'],
  versionCommand: ['/usr/bin/node', '--version'],
  defaultEntry: 'main.ts',
  limits: { processes: 48 },
  transform: transpile,
  run: (program) => ({
    command: [...NODE_COMMAND, program.entry],
    files: sourceFiles(program)
  })
};

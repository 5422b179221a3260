import { sourceFiles } from './common';
import type { LanguageSpec } from './types';

export const NODE_COMMAND = ['/usr/bin/node'];

// No heap flag on purpose: the cgroup's limit gives a uniform memory_limit
// status instead of V8's own "heap out of memory" abort.
export const javascript: LanguageSpec = {
  id: 'javascript',
  name: 'JavaScript (Node.js)',
  extensions: ['.js', '.mjs', '.cjs'],
  package: 'nodejs',
  toolchain: ['/usr/bin/node'],
  versionCommand: ['/usr/bin/node', '--version'],
  defaultEntry: 'main.js',
  // V8 and libuv start about ten threads before running any code.
  limits: { processes: 48 },
  run: (program) => ({
    command: [...NODE_COMMAND, program.entry],
    files: sourceFiles(program)
  })
};

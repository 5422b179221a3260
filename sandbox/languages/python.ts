import { sourceFiles } from './common';
import type { LanguageSpec } from './types';

// Debian's python by absolute path: a version-manager shim earlier in PATH
// costs ~70 ms per start. -I ignores PYTHON* env and user site, -u unbuffers
// for live output, -B avoids writing .pyc into the work dir.
export const python: LanguageSpec = {
  id: 'python',
  name: 'Python 3',
  extensions: ['.py'],
  package: 'python3',
  toolchain: ['/usr/bin/python3'],
  versionCommand: ['/usr/bin/python3', '--version'],
  defaultEntry: 'main.py',
  limits: {},
  run: (program) => ({
    command: ['/usr/bin/python3', '-I', '-u', '-B', program.entry],
    files: sourceFiles(program)
  })
};

import { sourceFiles } from './common';
import type { LanguageSpec } from './types';

export const bash: LanguageSpec = {
  id: 'bash',
  name: 'Bash',
  extensions: ['.sh', '.bash'],
  package: 'bash',
  toolchain: ['/usr/bin/bash'],
  versionCommand: ['/usr/bin/bash', '--version'],
  defaultEntry: 'main.sh',
  limits: {},
  run: (program) => ({
    command: ['/usr/bin/bash', program.entry],
    files: sourceFiles(program)
  })
};

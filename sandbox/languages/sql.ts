import { RUN_DIR } from '../bwrap';
import { shellQuote, sourceFiles } from './common';
import type { LanguageSpec } from './types';

const SEED_PATH = `${RUN_DIR}/seed.sql`;

/**
 * SQLite in memory, seeded read-only with the task's schema and data. -safe
 * refuses ATTACH, .shell, .read and friends (defence in depth inside the
 * sandbox); -json gives result sets the graders can compare exactly. The
 * candidate's query arrives on stdin because -safe forbids `.read`.
 */
export const sql: LanguageSpec = {
  id: 'sql',
  name: 'SQL (SQLite)',
  extensions: ['.sql'],
  package: 'sqlite3',
  toolchain: ['/usr/bin/sqlite3'],
  versionCommand: ['/usr/bin/sqlite3', '--version'],
  defaultEntry: 'query.sql',
  limits: {},
  run: (program) => ({
    command: [
      '/bin/sh',
      '-c',
      `exec /usr/bin/sqlite3 -bail -safe -json -init ${SEED_PATH} :memory: < ${shellQuote(program.entry)}`
    ],
    files: [
      ...sourceFiles(program),
      { path: SEED_PATH, content: program.sqlSeed ?? '', mode: 0o444 }
    ]
  })
};

import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// y-monaco imports `monaco-editor/esm/vs/editor/editor.api.js`, which monaco 0.57's exports map
// no longer resolves: point that form at the package's real files (NOTES.md, "Realtime").
const monacoEsm = dirname(
  dirname(createRequire(import.meta.url).resolve('monaco-editor/editor/editor.api'))
);

export default defineConfig({
  plugins: [sveltekit()],
  resolve: {
    alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${monacoEsm}/$1` }]
  },
  server: { port: 5173, strictPort: false },
  build: {
    // Monaco's editor core is one ~700 kB chunk, loaded only when a pad opens.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // Dependencies' own import cycles (kysely via better-auth) are not ours to fix.
        if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.message.includes('node_modules'))
          return;
        warn(warning);
      }
    }
  },
  test: {
    include: [
      'src/**/*.test.ts',
      'realtime/**/*.test.ts',
      'interviewer/**/*.test.ts',
      'tests/integration/**/*.test.ts'
    ],
    // Tests that run real sandboxes go one file at a time: sandbox/vitest.config.ts.
    exclude: ['**/node_modules/**', '**/*.sandbox.test.ts'],
    expect: { requireAssertions: true },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/helpers/global-setup.ts']
  }
});

import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  server: { port: 5173, strictPort: false },
  build: {
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

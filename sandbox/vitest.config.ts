import { defineConfig } from 'vitest/config';

// Standalone config so the sandbox suite runs without the SvelteKit plugin.
// Exploit tests spawn real sandboxes: one file at a time keeps timings
// meaningful on a 2-core CI machine.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: [
      'sandbox/**/*.test.ts',
      'tests/sandbox-exploits/**/*.test.ts',
      // The app's own sandbox tests: real server, real runs.
      'tests/integration/**/*.sandbox.test.ts'
    ],
    globalSetup: ['tests/helpers/global-setup.ts'],
    expect: { requireAssertions: true },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    fileParallelism: false
  }
});

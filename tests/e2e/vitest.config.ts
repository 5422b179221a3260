import { defineConfig } from 'vitest/config';

// End-to-end tests: real server, real PostgreSQL, Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/e2e/**/*.e2e.test.ts'],
    expect: { requireAssertions: true },
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // Browsers are heavy on 2 cores: one file at a time.
    fileParallelism: false,
    globalSetup: ['tests/helpers/global-setup.ts']
  }
});

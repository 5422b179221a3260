import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ out: 'build' }),
    // hooks.server.ts checks origins itself, so the API can answer in its own error shape.
    csrf: { trustedOrigins: ['*'] },
    // server.ts, the CLIs and the tests import server modules from source, outside Vite.
    alias: {
      $realtime: 'realtime',
      $interviewer: 'interviewer',
      $sandbox: 'sandbox'
    },
    typescript: {
      config(config) {
        config.include.push(
          '../server.ts',
          '../realtime/**/*.ts',
          '../interviewer/**/*.ts',
          '../sandbox/**/*.ts',
          '../tests/**/*.ts',
          '../scripts/**/*.ts'
        );
        return config;
      }
    }
  }
};

export default config;

// Compiles server.ts to build/server.js, and the Yjs server's document worker to
// build/doc-worker.js beside it, so production starts without a TypeScript loader
// (tsx's hooks cost seconds of start-up). Dependencies stay external and load
// from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: { server: 'server.ts', 'doc-worker': 'src/lib/server/services/doc-worker.ts' },
  outdir: 'build',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // The SvelteKit handler is loaded at run time from build/handler.js.
  external: ['./build/handler.js']
});

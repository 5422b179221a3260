import { compileScript, filesWithExtension, shellQuote, sourceFiles } from './common';
import { runBinary } from './native';
import type { LanguageSpec } from './types';

// Build caches live in /tmp (a tmpfs that dies with the step): nothing from
// one candidate's build can leak into another's. CGO is off so the binary is
// static and the run step needs no gcc.
export const go: LanguageSpec = {
  id: 'go',
  name: 'Go',
  extensions: ['.go'],
  package: 'golang-go',
  toolchain: ['/usr/bin/go'],
  versionCommand: ['/usr/bin/go', 'version'],
  defaultEntry: 'main.go',
  limits: { processes: 48 },
  compile: {
    limits: { wallMs: 20_000, cpuMs: 20_000, memoryMb: 1024, processes: 128 },
    plan: (program) => {
      const sources = filesWithExtension(program, ['.go'])
        .filter((path) => !path.endsWith('_test.go'))
        .map(shellQuote)
        .join(' ');
      return {
        command: compileScript(`/usr/bin/go build -o /tmp/main ${sources} && cat /tmp/main >&3`),
        env: {
          GOCACHE: '/tmp/gocache',
          GOPATH: '/tmp/gopath',
          GO111MODULE: 'off',
          CGO_ENABLED: '0',
          GOFLAGS: '-buildvcs=false',
          GOTOOLCHAIN: 'local'
        },
        files: sourceFiles(program)
      };
    }
  },
  run: runBinary
};

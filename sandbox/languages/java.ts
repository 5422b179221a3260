import { existsSync } from 'node:fs';
import {
  ARTIFACT_PATH,
  compileScript,
  filesWithExtension,
  shellQuote,
  sourceFiles
} from './common';
import type { LanguageSpec, Program } from './types';

// The JDK's conf/ files are symlinks into /etc/java-17-openjdk.
const JDK_ETC = ['/etc/java-17-openjdk'].filter((path) => existsSync(path));

// Serial GC and C1-only keep the JVM to a few threads and a fast start, which
// matters more for interview-sized programs than peak throughput.
const JVM_FLAGS = [
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:-UsePerfData',
  '-Xshare:auto',
  '-XX:ActiveProcessorCount=1'
];

function mainClass(program: Program): string {
  return program.entry.replace(/\.java$/, '').replaceAll('/', '.');
}

export const java: LanguageSpec = {
  id: 'java',
  name: 'Java 17',
  extensions: ['.java'],
  package: 'openjdk-17-jdk-headless',
  toolchain: ['/usr/bin/javac', '/usr/bin/java'],
  versionCommand: ['/usr/bin/java', '-version'],
  defaultEntry: 'Main.java',
  limits: { memoryMb: 512, processes: 64, wallMs: 8_000, cpuMs: 6_000 },
  compile: {
    limits: { wallMs: 20_000, cpuMs: 20_000, memoryMb: 1024, processes: 64 },
    plan: (program) => {
      const sources = filesWithExtension(program, ['.java']).map(shellQuote).join(' ');
      const jflags = [...JVM_FLAGS, '-Xmx512m'].map((flag) => `-J${flag}`).join(' ');
      return {
        command: compileScript(
          `/usr/bin/javac ${jflags} -encoding UTF-8 -d /tmp/classes ${sources} && tar -cf - -C /tmp/classes . >&3`
        ),
        files: sourceFiles(program),
        roBinds: JDK_ETC
      };
    }
  },
  run: (program, artifact) => ({
    command: [
      '/bin/sh',
      '-c',
      `mkdir -p /tmp/classes && tar -xf ${ARTIFACT_PATH} -C /tmp/classes && exec /usr/bin/java ${JVM_FLAGS.join(' ')} -cp /tmp/classes ${shellQuote(mainClass(program))}`
    ],
    files: [{ path: ARTIFACT_PATH, content: artifact ?? Buffer.alloc(0), mode: 0o444 }],
    roBinds: JDK_ETC
  })
};

/**
 * Command-line front end for the sandbox, for operators and debugging:
 *
 *   tsx sandbox/cli.ts run <file> [--language L] [--stdin FILE] [--json]
 *   tsx sandbox/cli.ts languages [--json]
 *
 * Exit status: 0 whenever a run completed (whatever the program did),
 * 1 when the sandbox refused or failed, 2 on bad arguments.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { createSandbox, isSandboxError } from './index';
import { languageForPath } from './languages/index';

const USAGE = `usage:
  sandbox run <file> [--language L] [--stdin FILE] [--json]
  sandbox languages [--json]`;

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        language: { type: 'string' },
        stdin: { type: 'string' },
        json: { type: 'boolean', default: false }
      }
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const [command, ...rest] = parsed.positionals;
  const json = parsed.values.json ?? false;
  // One slot: a CLI invocation runs one program.
  const sandbox = createSandbox({ slots: 1 });
  try {
    if (command === 'languages') {
      if (rest.length > 0) usage();
      const languages = await sandbox.languages();
      if (json) console.log(JSON.stringify(languages, null, 2));
      else
        for (const l of languages)
          console.log(
            `${l.id.padEnd(11)} ${l.available ? 'available  ' : 'unavailable'} ${l.version ?? `(install ${l.package})`}`
          );
      return 0;
    }
    if (command !== 'run' || rest.length !== 1 || rest[0] === undefined) usage();
    const file = rest[0];
    const language = parsed.values.language ?? languageForPath(file)?.id;
    if (!language) usage(`cannot infer the language of ${file}: pass --language`);
    const source = await readFile(file, 'utf8').catch(() => usage(`cannot read ${file}`));
    const stdin =
      parsed.values.stdin === undefined
        ? undefined
        : await readFile(parsed.values.stdin).catch(() =>
            usage(`cannot read ${parsed.values.stdin}`)
          );
    const name = basename(file);
    const result = await sandbox.run(
      {
        language,
        files: { [name]: source },
        entry: name,
        stdin: stdin === undefined ? undefined : new Uint8Array(stdin)
      },
      {
        onOutput: json
          ? undefined
          : (chunk) =>
              (chunk.stream === 'stdout' ? process.stdout : process.stderr).write(chunk.data)
      }
    );
    if (json) {
      const { status, exitCode, signal, stdout, stderr, wallMs, cpuMs, memoryKb, compileOutput } =
        result;
      console.log(
        JSON.stringify({
          status,
          exitCode,
          signal,
          stdout,
          stderr,
          wallMs,
          cpuMs,
          memoryKb,
          compileOutput
        })
      );
    } else {
      if (result.compileOutput) process.stderr.write(result.compileOutput);
      console.error(
        `\n[${result.status}] exit=${result.exitCode} signal=${result.signal} wall=${result.wallMs}ms cpu=${result.cpuMs}ms mem=${result.memoryKb}KiB`
      );
    }
    return 0;
  } catch (error) {
    if (isSandboxError(error)) {
      console.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await sandbox.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  }
);

/** What the benchmarks share: starting the real app, its admin CLI, and medians. */
import { spawnSync, type ChildProcess } from 'node:child_process';

export const root = process.cwd();

/** Resolves with the port once the app prints its listening line. */
export function waitForListening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Tandem listening on http:\/\/localhost:(\d+)/.exec(out);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${out}`)));
  });
}

/** Stops the whole process group (start detached): `npm start` runs the server as a grandchild. */
export function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || !child.pid) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid, 'SIGTERM');
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export function admin(env: NodeJS.ProcessEnv, args: string[]): string {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/lib/server/cli/admin.ts', ...args],
    { cwd: root, env, encoding: 'utf8' }
  );
  if (result.status !== 0) throw new Error(`admin ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** An organization, an admin and their API token, through the CLI. */
export function benchToken(env: NodeJS.ProcessEnv): string {
  admin(env, ['create-org', '--name', 'Bench']);
  admin(env, [
    'create-user',
    '--org',
    'Bench',
    '--email',
    'bench@example.com',
    '--role',
    'admin',
    '--password',
    'bench-password-1'
  ]);
  return admin(env, ['create-token', '--email', 'bench@example.com']);
}

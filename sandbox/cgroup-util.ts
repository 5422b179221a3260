import { access, readFile, rmdir } from 'node:fs/promises';

/** Small helpers shared by the v1 and v2 drivers. */
export const ROOT_NAME = 'tandem-sandbox';

export const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false
  );

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function readNumber(path: string): Promise<number> {
  return Number((await readFile(path, 'utf8')).trim());
}

export async function readPids(procsFile: string): Promise<number[]> {
  try {
    return (await readFile(procsFile, 'utf8')).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: exactly what we wanted.
    }
  }
}

export async function removeDir(path: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await rmdir(path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY') throw error;
      await sleep(10);
    }
  }
  throw new Error(`cgroup ${path} stayed busy`);
}

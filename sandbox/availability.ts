import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import type { LanguageSpec } from './languages/types';

const cache = new Map<string, Promise<boolean>>();

/** A missing toolchain makes a language unavailable, never a crash. */
export function isAvailable(language: LanguageSpec): Promise<boolean> {
  let result = cache.get(language.id);
  if (!result) {
    result = Promise.all(language.toolchain.map((path) => access(path, constants.X_OK))).then(
      () => true,
      () => false
    );
    cache.set(language.id, result);
  }
  return result;
}

export function toolchainVersion(language: LanguageSpec): Promise<string | undefined> {
  const [file, ...args] = language.versionCommand ?? [];
  if (!file) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: 5_000, env: { PATH: '/usr/bin:/bin' } },
      (error, stdout, stderr) => {
        if (error) return resolve(undefined);
        // java -version prints to stderr.
        resolve(`${stdout}${stderr}`.split('\n')[0]?.trim() || undefined);
      }
    );
  });
}

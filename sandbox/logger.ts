import type { Logger } from './types';

/** Used when no logger is injected: the library must never print on its own. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  }
};

import { pino, type Logger } from 'pino';

export type { Logger };

/** The one root logger; children carry reqId, interviewId, runId. */
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'tandem' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'],
      censor: '[redacted]'
    }
  });
}

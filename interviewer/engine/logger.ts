/** The part of pino the interviewer uses; pino's Logger satisfies it. */
export interface InterviewerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Used when no logger is injected: the library never prints on its own. */
export const silentLogger: InterviewerLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {}
};

import { pino } from 'pino';
import { expect, it } from 'vitest';
import type { Logger } from './logger';

it('accepts a pino logger, children included', () => {
  const root: Logger = pino({ level: 'silent' });
  const child: Logger = root.child({ doc: 'iv1/code' });
  expect(() => child.warn({ bytes: 1 }, 'checked')).not.toThrow();
});

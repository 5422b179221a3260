import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, loadEnv, parseEnv, prepareAdapterEnv, PROTOCOL_HEADER } from './env';

type Source = Record<string, string | undefined>;

/** The problems parseEnv reports for `source`; fails the test if it accepts it. */
function problemsOf(source: Source): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe('parseEnv', () => {
  it('has the documented defaults', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      INVITE_TTL_HOURS: 168,
      LOGIN_MAX_ATTEMPTS: 5,
      LOGIN_WINDOW_SECONDS: 300,
      SEED_DEMO: true
    });
    const env = parseEnv({});
    for (const unset of [
      'ORIGIN',
      'DATABASE_URL',
      'REDIS_URL',
      'SESSION_SECRET',
      'OPENAI_API_KEY'
    ]) {
      expect(env).not.toHaveProperty(unset);
    }
  });

  it('reads and converts what is set, and ignores variables it does not know', () => {
    const env = parseEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      ORIGIN: 'https://tandem.example.com',
      DATA_DIR: '/var/lib/tandem',
      DATABASE_URL: 'postgres://u:p@db:5432/tandem',
      SESSION_SECRET: 's'.repeat(32),
      LOG_LEVEL: 'silent',
      INVITE_TTL_HOURS: '24',
      LOGIN_MAX_ATTEMPTS: '10',
      LOGIN_WINDOW_SECONDS: '60',
      SEED_DEMO: 'false',
      PATH: '/usr/bin',
      SOMETHING_ELSE: 'x'
    });
    expect(env).toMatchObject({
      PORT: 0,
      HOST: '127.0.0.1',
      ORIGIN: 'https://tandem.example.com',
      DATABASE_URL: 'postgres://u:p@db:5432/tandem',
      INVITE_TTL_HOURS: 24,
      LOGIN_MAX_ATTEMPTS: 10,
      LOGIN_WINDOW_SECONDS: 60,
      SEED_DEMO: false
    });
    expect(env).not.toHaveProperty('PATH');
    expect(env).not.toHaveProperty('SOMETHING_ELSE');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false]
  ])('SEED_DEMO=%s → %s', (value, expected) => {
    expect(parseEnv({ SEED_DEMO: value }).SEED_DEMO).toBe(expected);
  });

  it('treats empty optional strings and URLs as unset', () => {
    const env = parseEnv({
      ORIGIN: '',
      DATABASE_URL: '  ',
      REDIS_URL: '',
      SESSION_SECRET: '',
      OPENAI_MODEL: ''
    });
    expect(env.ORIGIN).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.SESSION_SECRET).toBeUndefined();
    expect(env.OPENAI_MODEL).toBeUndefined();
  });

  it('refuses a bad environment with one readable line per problem, all at once', () => {
    const source: Source = {
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      INVITE_TTL_HOURS: '0',
      LOGIN_MAX_ATTEMPTS: '1001',
      LOGIN_WINDOW_SECONDS: '1.5',
      SEED_DEMO: 'yes',
      DATABASE_URL: 'not a url',
      SESSION_SECRET: 'too-short',
      HOST: '   '
    };
    let error: unknown;
    try {
      parseEnv(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    if (!(error instanceof EnvError)) return;
    const named = error.problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(Object.keys(source).sort());
    for (const problem of error.problems) expect(problem).toMatch(/^[A-Z_]+: \S.*$/);
    expect(error.problems).toContain('SESSION_SECRET: must be at least 32 characters');
    expect(error.message).toBe(
      `Invalid configuration:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`
    );
  });

  it.each([
    ['PORT', '65535', '65536'],
    ['INVITE_TTL_HOURS', '2160', '2161'],
    ['LOGIN_MAX_ATTEMPTS', '1000', '1001'],
    ['LOGIN_WINDOW_SECONDS', '86400', '86401']
  ])('%s accepts its maximum %s and refuses %s', (name, max, over) => {
    expect(parseEnv({ [name]: max })).toMatchObject({ [name]: Number(max) });
    expect(problemsOf({ [name]: over }).map((p) => p.split(':')[0])).toEqual([name]);
  });

  it.each([
    ['INVITE_TTL_HOURS', '0'],
    ['LOGIN_MAX_ATTEMPTS', '0'],
    ['LOGIN_WINDOW_SECONDS', '0'],
    ['PORT', '-1']
  ])('%s refuses %s', (name, value) => {
    expect(problemsOf({ [name]: value })).toHaveLength(1);
  });

  it('LiveKit: all three or none', () => {
    expect(problemsOf({ LIVEKIT_URL: 'wss://lk.example.com' })).toEqual([
      'LIVEKIT_URL: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET together, or none of them'
    ]);
    expect(problemsOf({ LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' })).toHaveLength(1);
    expect(
      parseEnv({
        LIVEKIT_URL: 'wss://lk.example.com',
        LIVEKIT_API_KEY: 'k',
        LIVEKIT_API_SECRET: 's'
      }).LIVEKIT_URL
    ).toBe('wss://lk.example.com');
  });

  it('OPENAI_BASE_URL needs OPENAI_MODEL', () => {
    expect(problemsOf({ OPENAI_BASE_URL: 'http://llm.local/v1' })).toEqual([
      'OPENAI_MODEL: required when OPENAI_BASE_URL is set'
    ]);
    expect(
      parseEnv({ OPENAI_BASE_URL: 'http://llm.local/v1', OPENAI_MODEL: 'm' }).OPENAI_MODEL
    ).toBe('m');
  });

  // Regression test: z.coerce.number() turns '' into 0, so `PORT=` (an empty line in a .env file) silently means "any free port" instead of the documented default 3000, unlike the other options where '' means unset.
  it('an empty PORT means the default, not a random port', () => {
    expect(parseEnv({ PORT: '' }).PORT).toBe(3000);
  });
});

describe('loadEnv', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-env-test-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates DATA_DIR, makes it absolute, and generates the secret once (mode 0600), then reuses it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = loadEnv({ DATA_DIR: dataDir });
    expect(first.DATA_DIR).toBe(dataDir);
    const file = join(dataDir, 'secret');
    expect(first.SESSION_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.SESSION_SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = loadEnv({ DATA_DIR: dataDir });
    expect(second.SESSION_SECRET).toBe(first.SESSION_SECRET);
    expect(loadEnv({ DATA_DIR: join(tempDir(), 'other') }).SESSION_SECRET).not.toBe(
      first.SESSION_SECRET
    );
  });

  it('resolves a relative DATA_DIR against the working directory', () => {
    const dir = tempDir();
    const env = loadEnv({ DATA_DIR: relative(process.cwd(), join(dir, 'rel')) });
    expect(isAbsolute(env.DATA_DIR)).toBe(true);
    expect(env.DATA_DIR).toBe(join(dir, 'rel'));
  });

  it('uses SESSION_SECRET when set and writes no secret file', () => {
    const dataDir = tempDir();
    const secret = 'x'.repeat(40);
    expect(loadEnv({ DATA_DIR: dataDir, SESSION_SECRET: secret }).SESSION_SECRET).toBe(secret);
    expect(existsSync(join(dataDir, 'secret'))).toBe(false);
  });

  it('replaces a secret file too short to be safe', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secret'), 'short\n');
    const env = loadEnv({ DATA_DIR: dataDir });
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, 'secret'), 'utf8').trim()).toBe(env.SESSION_SECRET);
  });

  it('refuses a bad environment before touching the disk', () => {
    const dataDir = join(tempDir(), 'never');
    expect(() => loadEnv({ DATA_DIR: dataDir, PORT: 'x' })).toThrow(EnvError);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('prepareAdapterEnv', () => {
  it('lifts adapter-node body limit (the API enforces its own) and states the protocol when ORIGIN is unset', () => {
    const target: Source = {};
    prepareAdapterEnv(target);
    expect(target).toEqual({ BODY_SIZE_LIMIT: 'Infinity', PROTOCOL_HEADER });
  });

  it('leaves the protocol to ORIGIN when it is set', () => {
    const target: Source = { ORIGIN: 'https://tandem.example.com' };
    prepareAdapterEnv(target);
    expect(target).toEqual({ ORIGIN: 'https://tandem.example.com', BODY_SIZE_LIMIT: 'Infinity' });
  });
});

/**
 * The admin CLI (src/lib/server/cli/admin.ts), run as an operator runs it,
 * against the same database as a running app. Independent commands run in
 * parallel: each one is a process start (~2 s).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startApp, type TestApp } from '../helpers/app';
import { connectSql, type Sql } from '../helpers/db';
import { childEnv, runCli, type CliResult } from '../helpers/processes';
import { seed } from '../helpers/seed';
import { adminJson, cliOrganizationSchema, cliTokenSchema, cliUserSchema } from '../helpers/staff';
import type { Organization } from '../../src/lib/server/services/organizations';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const errorLineSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string().min(1) })
});

let app: TestApp;
let sql: Sql;
let acme: Organization;
let globex: Organization;
/** API tokens of seeded users, made before the commands under test ran. */
let tokOfTok: string;
let flipToken: string;

beforeAll(async () => {
  app = await startApp();
  sql = connectSql(app.databaseUrl ?? '');
  // Fixtures go straight through the services; the commands under test run as processes.
  await seed(app.databaseUrl ?? '', async (seeder) => {
    [acme, globex] = await Promise.all([
      seeder.org('Acme'),
      seeder.org('Globex'),
      seeder.org('Twin'),
      seeder.org('Twin')
    ]);
    const acmeId = acme.id;
    const globexId = globex.id;
    const [, tok, , , flip] = await Promise.all([
      seeder.actor({ organizationId: acmeId, email: 'dup@acme.test', role: 'admin' }),
      seeder.actor({ organizationId: acmeId, email: 'tok@acme.test', role: 'interviewer' }),
      seeder.actor({
        organizationId: acmeId,
        email: 'zoe@acme.test',
        role: 'hiring_manager',
        name: 'Zoe'
      }),
      seeder.actor({
        organizationId: globexId,
        email: 'gus@globex.test',
        role: 'admin',
        name: 'Gus'
      }),
      seeder.actor({ organizationId: globexId, email: 'flip@globex.test', role: 'interviewer' })
    ]);
    tokOfTok = tok.token;
    flipToken = flip.token;
  });
});

afterAll(async () => {
  await sql?.end();
  await app?.stop();
});

function expectOk(result: CliResult): void {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
}

/** A domain error: exit 1, nothing on stdout, and with --json one `{ error: { code, message } }` line on stderr. */
function expectDomainError(result: CliResult, code: string): void {
  expect(result.code, result.stderr + result.stdout).toBe(1);
  expect(result.stdout).toBe('');
  expect(errorLineSchema.parse(JSON.parse(result.stderr)).error.code).toBe(code);
}

describe('create-org', () => {
  it('prints the organization, as text or as JSON', async () => {
    const [text, json] = await Promise.all([
      app.admin(['create-org', '--name', 'Initech']),
      app.admin(['create-org', '--name', '  Hooli  ', '--json'])
    ]);
    expectOk(text);
    const id = /^Created organization "Initech" \(([0-9a-f-]{36})\)\.\n$/.exec(text.stdout)?.[1];
    expect(id, text.stdout).toBeDefined();
    expectOk(json);
    const org = cliOrganizationSchema.parse(JSON.parse(json.stdout));
    expect(org.name).toBe('Hooli');
    const rows = await sql.query<{ id: string }>(
      'SELECT id FROM organizations WHERE id = ANY($1)',
      [[id, org.id]]
    );
    expect(rows).toHaveLength(2);
  });

  it('refuses a blank name (exit 1, validation_failed)', async () => {
    expectDomainError(
      await app.admin(['create-org', '--name', '   ', '--json']),
      'validation_failed'
    );
  });
});

describe('create-user', () => {
  it('with a generated password: shown once, hashed at rest, to be changed at first sign-in', async () => {
    const [json, text] = await Promise.all([
      app.admin([
        'create-user',
        '--org',
        'Acme',
        '--email',
        '  Ivy@Acme.TEST ',
        '--role',
        'interviewer',
        '--json'
      ]),
      app.admin(['create-user', '--org', acme.id, '--email', 'root@acme.test', '--role', 'admin'])
    ]);
    expectOk(json);
    const user = cliUserSchema.parse(JSON.parse(json.stdout));
    expect(user).toMatchObject({
      email: 'ivy@acme.test',
      name: 'Ivy',
      role: 'interviewer',
      organizationId: acme.id,
      active: true,
      mustChangePassword: true
    });
    expect(user.password).toMatch(/^\S{16,}$/);

    expectOk(text);
    const password =
      /^Created admin root@acme\.test in "Acme"\.\nOne-time password \(shown once\): (\S+)\n$/.exec(
        text.stdout
      )?.[1];
    expect(password, text.stdout).toBeDefined();

    const stored = await sql.query<{ password: string | null }>(
      'SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = ANY($1)',
      [['ivy@acme.test', 'root@acme.test']]
    );
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.password).toBeTruthy();
      expect(row.password).not.toContain(user.password);
      expect(row.password).not.toContain(password);
    }
  });

  it('with a given password: not echoed, no forced change, by organization id, with a name', async () => {
    const result = await app.admin([
      'create-user',
      '--org',
      globex.id,
      '--email',
      'hedy@globex.test',
      '--role',
      'hiring_manager',
      '--name',
      'Hedy Lamarr',
      '--password',
      'correct horse battery staple',
      '--json'
    ]);
    expectOk(result);
    expect(result.stdout).not.toContain('correct horse');
    const user = cliUserSchema.parse(JSON.parse(result.stdout));
    expect(user).toMatchObject({
      name: 'Hedy Lamarr',
      role: 'hiring_manager',
      organizationId: globex.id,
      mustChangePassword: false
    });
    expect(user.password).toBeUndefined();
  });

  it('refuses a duplicate email, in any organization and any case (exit 1, conflict), writing nothing', async () => {
    const before = await Promise.all([
      sql.count('users'),
      sql.count('accounts'),
      sql.count('audit_log')
    ]);
    const [json, text] = await Promise.all([
      app.admin([
        'create-user',
        '--org',
        'Globex',
        '--email',
        'DUP@Acme.Test',
        '--role',
        'interviewer',
        '--json'
      ]),
      app.admin(['create-user', '--org', 'Acme', '--email', 'dup@acme.test', '--role', 'admin'])
    ]);
    expectDomainError(json, 'conflict');
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe('Error: A user with the email dup@acme.test already exists.\n');
    expect(
      await Promise.all([sql.count('users'), sql.count('accounts'), sql.count('audit_log')])
    ).toEqual(before);
  });

  it('refuses an unknown organization, a bad email and a short password (exit 1)', async () => {
    const [org, email, password, twin] = await Promise.all([
      app.admin([
        'create-user',
        '--org',
        'No Such Org',
        '--email',
        'x@acme.test',
        '--role',
        'admin',
        '--json'
      ]),
      app.admin([
        'create-user',
        '--org',
        'Acme',
        '--email',
        'not-an-email',
        '--role',
        'admin',
        '--json'
      ]),
      app.admin([
        'create-user',
        '--org',
        'Acme',
        '--email',
        'short@acme.test',
        '--role',
        'admin',
        '--password',
        'short',
        '--json'
      ]),
      // Two organizations are named "Twin": the CLI must ask for the id rather than pick one.
      app.admin([
        'create-user',
        '--org',
        'Twin',
        '--email',
        'twin@twin.test',
        '--role',
        'admin',
        '--json'
      ])
    ]);
    expectDomainError(org, 'not_found');
    expectDomainError(email, 'validation_failed');
    expectDomainError(password, 'validation_failed');
    expectDomainError(twin, 'conflict');
    expect(errorLineSchema.parse(JSON.parse(twin.stderr)).error.message).toContain('use its id');
  });
});

describe('create-token', () => {
  it('prints the token alone, once; it works against the API; only its hash is kept', async () => {
    const result = await app.admin(['create-token', '--email', 'tok@acme.test']);
    expectOk(result);
    expect(result.stdout).toMatch(/^tdm_[A-Za-z0-9_-]{43}\n$/);
    const token = result.stdout.trim();

    const me = await app.api(token).get('/me');
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({
      email: 'tok@acme.test',
      role: 'interviewer',
      organizationId: acme.id,
      via: 'token'
    });

    const rows = await sql.query<{ token_hash: string; prefix: string; name: string }>(
      'SELECT token_hash, prefix, name FROM api_tokens WHERE token_hash = $1',
      [sha256(token)]
    );
    expect(rows).toEqual([
      { token_hash: sha256(token), prefix: token.slice(0, 10), name: 'CLI token' }
    ]);
    const leaked = await sql.query('SELECT 1 FROM api_tokens t WHERE t::text LIKE $1', [
      `%${token.slice(4)}%`
    ]);
    expect(leaked).toHaveLength(0);
  });

  it('--json gives the token with its summary; every token is different; unknown emails are refused', async () => {
    const [a, unknown] = await Promise.all([
      adminJson(app, ['create-token', '--email', 'tok@acme.test', '--name', 'CI'], cliTokenSchema),
      app.admin(['create-token', '--email', 'nobody@acme.test', '--json'])
    ]);
    expect(a.name).toBe('CI');
    expect(a.prefix).toBe(a.token.slice(0, 10));
    expect(a.token).not.toBe(tokOfTok);
    expect((await app.api(a.token).get('/me')).status).toBe(200);
    expectDomainError(unknown, 'not_found');
  });
});

describe('list-users', () => {
  it('lists everyone, or one organization, as text or JSON, never with credentials', async () => {
    const [all, acmeOnly, text] = await Promise.all([
      adminJson(app, ['list-users'], z.array(cliUserSchema)),
      adminJson(app, ['list-users', '--org', 'Acme'], z.array(cliUserSchema)),
      app.admin(['list-users', '--org', acme.id])
    ]);
    const emails = all.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['zoe@acme.test', 'gus@globex.test']));
    expect(all.every((u) => u.password === undefined)).toBe(true);

    expect(acmeOnly.every((u) => u.organizationId === acme.id)).toBe(true);
    expect(acmeOnly.map((u) => u.email)).toContain('zoe@acme.test');
    expect(acmeOnly.map((u) => u.email)).not.toContain('gus@globex.test');
    const names = acmeOnly.map((u) => u.name);
    expect(names).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));

    expectOk(text);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(acmeOnly.length);
    expect(lines.find((l) => l.startsWith('zoe@acme.test'))).toMatch(
      /^zoe@acme\.test\s+hiring_manager\s+active\s+[0-9a-f-]{36}$/
    );
  });
});

describe('deactivate-user and activate-user', () => {
  it("deactivation stops the user's token and refuses new ones; activation restores access", async () => {
    const token = flipToken;
    expect((await app.api(token).get('/me')).status).toBe(200);

    const off = await adminJson(
      app,
      ['deactivate-user', '--email', 'flip@globex.test'],
      cliUserSchema
    );
    expect(off.active).toBe(false);
    expect((await app.api(token).get('/me')).status).toBe(401);
    expectDomainError(
      await app.admin(['create-token', '--email', 'flip@globex.test', '--json']),
      'forbidden'
    );

    const on = await app.admin(['activate-user', '--email', 'FLIP@globex.test']);
    expectOk(on);
    expect(on.stdout).toBe('flip@globex.test is now active.\n');
    expect((await app.api(token).get('/me')).status).toBe(200);
  });

  it('refuses an unknown email or organization (exit 1, not_found)', async () => {
    const [off, list] = await Promise.all([
      app.admin(['deactivate-user', '--email', 'ghost@globex.test', '--json']),
      app.admin(['list-users', '--org', 'No Such Org', '--json'])
    ]);
    expectDomainError(off, 'not_found');
    expectDomainError(list, 'not_found');
  });
});

describe('usage errors', () => {
  const cases: [string, string[], string][] = [
    ['no command', [], ''],
    ['an unknown command', ['make-coffee'], 'Unknown command "make-coffee".'],
    ['a missing required option', ['create-org'], 'create-org needs --name.'],
    [
      'an unknown option',
      ['create-org', '--name', 'X', '--colour', 'red'],
      "Unknown option '--colour'"
    ],
    [
      'an unknown role',
      ['create-user', '--org', 'Acme', '--email', 'r@acme.test', '--role', 'owner'],
      '--role must be one of admin, interviewer, hiring_manager.'
    ]
  ];

  it.each(cases)(
    '%s: exit 2, the usage on stderr, nothing on stdout, no database touched',
    async (_label, args, message) => {
      // An unreachable database proves usage is checked before anything connects.
      const env = childEnv({ ...app.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      const result = await runCli(args, env);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Usage: npm run -s admin -- <command>');
      expect(result.stderr).toContain(message);
    }
  );

  it('a broken configuration is a readable exit 1', async () => {
    const env = childEnv({ ...app.env, LOG_LEVEL: 'loud', INVITE_TTL_HOURS: '0' });
    const text = await runCli(['list-users'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(
      /^Error: Invalid configuration:\n {2}- LOG_LEVEL: .+\n {2}- INVITE_TTL_HOURS: .+\n$/
    );
  });
});

/**
 * Admin CLI: `npm run -s admin -- <command> [options]`.
 * Talks to the same database as the app (DATABASE_URL, or the embedded one under DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { roleSchema } from '../../contracts/common';
import { EnvError, loadEnv } from '../env';
import { AppError, isAppError } from '../errors';
import type { Runtime } from '../runtime';

const USAGE = `Usage: npm run -s admin -- <command> [options] [--json]

Commands:
  create-org   --name NAME
  create-user  --org ORG --email EMAIL --role admin|interviewer|hiring_manager
               [--name NAME] [--password PASSWORD]
  create-token --email EMAIL [--name NAME]     prints the token once
  list-users   [--org ORG]
  deactivate-user --email EMAIL                 sign-in, sessions and API tokens stop working
  activate-user   --email EMAIL

ORG is an organization's id or exact name. Without --password a random one is
generated, printed once, and must be changed at first sign-in.
`;

class UsageError extends Error {}

type Output = { json: boolean; write(text: string): void };

const commands: Record<
  string,
  { options: Record<string, { type: 'string' }>; required: string[] }
> = {
  'create-org': { options: { name: { type: 'string' } }, required: ['name'] },
  'create-user': {
    options: {
      org: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' }
    },
    required: ['org', 'email', 'role']
  },
  'create-token': {
    options: { email: { type: 'string' }, name: { type: 'string' } },
    required: ['email']
  },
  'list-users': { options: { org: { type: 'string' } }, required: [] },
  'deactivate-user': { options: { email: { type: 'string' } }, required: ['email'] },
  'activate-user': { options: { email: { type: 'string' } }, required: ['email'] }
};

function parse(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    throw new UsageError('');
  }
  const spec = commands[command];
  if (!spec) throw new UsageError(`Unknown command "${command}".`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...spec.options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') values[key] = value;
  }
  for (const key of spec.required) {
    if (!values[key]) throw new UsageError(`${command} needs --${key}.`);
  }
  if (command === 'create-user' && !roleSchema.safeParse(values.role).success) {
    throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}.`);
  }
  return { command, values, json: parsed.values.json === true };
}

function print(out: Output, data: unknown, text: string): void {
  out.write(out.json ? JSON.stringify(data, null, 2) + '\n' : text + '\n');
}

async function execute(
  runtime: Runtime,
  command: string,
  v: Record<string, string>,
  out: Output
): Promise<void> {
  const { db } = runtime;
  // Loaded after the arguments are checked: a usage error answers at once.
  const [
    { createApiToken },
    { createOrganization, findOrganization },
    { generatePassword },
    { createUser, findUserByEmail, listUsers, setUserActive }
  ] = await Promise.all([
    import('../services/api-tokens'),
    import('../services/organizations'),
    import('../services/secrets'),
    import('../services/users')
  ]);
  switch (command) {
    case 'create-org': {
      const org = await createOrganization(db, v.name ?? '');
      print(out, org, `Created organization "${org.name}" (${org.id}).`);
      return;
    }
    case 'create-user': {
      const org = await findOrganization(db, v.org ?? '');
      const generated = !v.password;
      const password = v.password ?? generatePassword();
      const email = v.email ?? '';
      const user = await createUser(runtime, {
        organizationId: org.id,
        name: v.name ?? email.split('@')[0] ?? email,
        email,
        role: roleSchema.parse(v.role),
        password,
        mustChangePassword: generated
      });
      print(
        out,
        { ...user, ...(generated ? { password } : {}) },
        `Created ${user.role} ${user.email} in "${org.name}".` +
          (generated ? `\nOne-time password (shown once): ${password}` : '')
      );
      return;
    }
    case 'create-token': {
      const user = await findUserByEmail(db, v.email ?? '');
      if (!user) throw new AppError('not_found', `No user with the email ${v.email}.`);
      if (!user.active) throw new AppError('forbidden', `${user.email} is deactivated.`);
      const { token, summary } = await createApiToken(db, {
        userId: user.id,
        organizationId: user.organizationId,
        name: v.name ?? 'CLI token'
      });
      print(out, { token, ...summary }, token);
      return;
    }
    case 'list-users': {
      const org = v.org ? await findOrganization(db, v.org) : undefined;
      const users = await listUsers(db, org?.id);
      const lines = users.map(
        (u) =>
          `${u.email.padEnd(32)} ${u.role.padEnd(15)} ${u.active ? 'active' : 'deactivated'}  ${u.organizationId}`
      );
      print(out, users, lines.join('\n') || '(no users)');
      return;
    }
    case 'deactivate-user':
    case 'activate-user': {
      const user = await findUserByEmail(db, v.email ?? '');
      if (!user) throw new AppError('not_found', `No user with the email ${v.email}.`);
      const active = command === 'activate-user';
      const updated = await setUserActive(db, {
        organizationId: user.organizationId,
        userId: user.id,
        active,
        actor: { type: 'system' }
      });
      print(out, updated, `${updated.email} is now ${active ? 'active' : 'deactivated'}.`);
      return;
    }
  }
}

export async function main(
  argv: string[],
  io = { out: process.stdout, err: process.stderr }
): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) io.err.write(`${error.message}\n\n`);
      io.err.write(USAGE);
      return 2;
    }
    throw error;
  }
  let runtime: Runtime | undefined;
  try {
    const env = loadEnv();
    const [{ bootRuntime }, { createLogger }] = await Promise.all([
      import('../runtime'),
      import('../log')
    ]);
    runtime = await bootRuntime({ env, log: createLogger('warn'), seed: false, attach: true });
    await execute(runtime, parsed.command, parsed.values, {
      json: parsed.json,
      write: (t) => io.out.write(t)
    });
    return 0;
  } catch (error) {
    if (isAppError(error) || error instanceof EnvError) {
      const code = isAppError(error) ? error.code : 'invalid_configuration';
      io.err.write(
        parsed.json
          ? JSON.stringify({ error: { code, message: error.message } }) + '\n'
          : `Error: ${error.message}\n`
      );
      return 1;
    }
    throw error;
  } finally {
    await runtime?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `Unexpected error: ${error instanceof Error ? error.message : String(error)}\n`
    );
    process.exit(1);
  }
);

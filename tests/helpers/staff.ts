/** Organizations, staff and API tokens made through the admin CLI, as an operator would. */
import { z } from 'zod';
import { roleSchema, type Role } from '../../src/lib/contracts/common';
import type { TestApp } from './app';

export const cliOrganizationSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime()
});
export type CliOrganization = z.infer<typeof cliOrganizationSchema>;

export const cliUserSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  email: z.string(),
  organizationId: z.uuid(),
  role: roleSchema,
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.iso.datetime(),
  /** Only when the CLI generated the password. */
  password: z.string().optional()
});
export type CliUser = z.infer<typeof cliUserSchema>;

export const cliTokenSchema = z.strictObject({
  token: z.string().regex(/^tdm_[A-Za-z0-9_-]{43}$/),
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.null(),
  revokedAt: z.null()
});

/** Runs a CLI command with --json, insisting on success. */
export async function adminJson<T extends z.ZodType>(
  app: TestApp,
  args: string[],
  schema: T
): Promise<z.output<T>> {
  const result = await app.admin([...args, '--json']);
  if (result.code !== 0) {
    throw new Error(
      `admin ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`
    );
  }
  return schema.parse(JSON.parse(result.stdout));
}

export function createOrg(app: TestApp, name: string): Promise<CliOrganization> {
  return adminJson(app, ['create-org', '--name', name], cliOrganizationSchema);
}

export function createUser(
  app: TestApp,
  input: { org: string; email: string; role: Role; name?: string; password?: string }
): Promise<CliUser> {
  const args = ['create-user', '--org', input.org, '--email', input.email, '--role', input.role];
  if (input.name) args.push('--name', input.name);
  if (input.password) args.push('--password', input.password);
  return adminJson(app, args, cliUserSchema);
}

export async function createToken(app: TestApp, email: string): Promise<string> {
  const { token } = await adminJson(app, ['create-token', '--email', email], cliTokenSchema);
  return token;
}

export type Actor = { user: CliUser; token: string };

/** A user with a known password and an API token. */
export async function createActor(
  app: TestApp,
  input: { org: string; email: string; role: Role }
): Promise<Actor & { password: string }> {
  const password = `pw-${input.role}-${Math.random().toString(36).slice(2)}-long`;
  const user = await createUser(app, { ...input, password });
  return { user, token: await createToken(app, input.email), password };
}

export type Staff = {
  org: CliOrganization;
  admin?: Actor;
  interviewer?: Actor;
  hiringManager?: Actor;
};

const roleKeys = {
  admin: 'admin',
  interviewer: 'interviewer',
  hiring_manager: 'hiringManager'
} as const;

/**
 * One organization with a user of each of `roles` (default: all three),
 * each with an API token: `role@emailDomain`. Users are made in parallel.
 */
export async function createStaff(
  app: TestApp,
  orgName: string,
  emailDomain: string,
  roles: readonly Role[] = ['admin', 'interviewer', 'hiring_manager']
): Promise<Staff> {
  const org = await createOrg(app, orgName);
  const actors = await Promise.all(
    roles.map((role) => createActor(app, { org: org.id, email: `${role}@${emailDomain}`, role }))
  );
  const staff: Staff = { org };
  roles.forEach((role, i) => {
    staff[roleKeys[role]] = actors[i];
  });
  return staff;
}

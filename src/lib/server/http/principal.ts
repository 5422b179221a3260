import { roleSchema } from '../../contracts/common';
import type { Runtime } from '../runtime';
import { principalFromToken } from '../services/api-tokens';
import type { StaffPrincipal } from '../services/principal';

/** Who sent this request: an API token (Authorization: Bearer) or a session cookie. */
export async function resolvePrincipal(
  request: Request,
  runtime: Runtime
): Promise<StaffPrincipal | null> {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ? principalFromToken(runtime.db, match[1]) : null;
  }
  if (!(request.headers.get('cookie') ?? '').includes('session_token')) return null;
  const session = await runtime.auth.api.getSession({ headers: request.headers });
  if (!session) return null;
  const { user } = session;
  const role = roleSchema.safeParse(user.role);
  if (!role.success || user.active === false) return null;
  return {
    kind: 'staff',
    userId: user.id,
    organizationId: user.organizationId,
    role: role.data,
    name: user.name,
    email: user.email,
    via: 'session',
    mustChangePassword: user.mustChangePassword === true
  };
}

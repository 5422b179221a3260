import type { Role } from '../../contracts/common';
import { AppError } from '../errors';

/** Who is making a request. Candidates are resolved separately from their invite link. */
export type StaffPrincipal = {
  kind: 'staff';
  userId: string;
  organizationId: string;
  role: Role;
  name: string;
  email: string;
  via: 'session' | 'token';
  mustChangePassword: boolean;
};

export type Permission =
  | 'interviews:read'
  | 'interviews:write'
  | 'candidates:read'
  | 'candidates:write'
  | 'runs:read'
  | 'runs:create'
  | 'team:manage';

/** The access rules, in one table (ARCHITECTURE.md, "Access rules"). */
const grants: Record<Role, readonly Permission[]> = {
  admin: [
    'interviews:read',
    'interviews:write',
    'candidates:read',
    'candidates:write',
    'runs:read',
    'runs:create',
    'team:manage'
  ],
  interviewer: [
    'interviews:read',
    'interviews:write',
    'candidates:read',
    'candidates:write',
    'runs:read',
    'runs:create'
  ],
  hiring_manager: ['interviews:read', 'candidates:read', 'runs:read']
};

export function can(principal: StaffPrincipal, permission: Permission): boolean {
  return grants[principal.role].includes(permission);
}

export function requireStaff(principal: StaffPrincipal | null): StaffPrincipal {
  if (!principal) throw new AppError('unauthorized', 'Sign in or send an API token.');
  return principal;
}

export function authorize(
  principal: StaffPrincipal | null,
  permission: Permission
): StaffPrincipal {
  const staff = requireStaff(principal);
  if (!can(staff, permission)) {
    throw new AppError('forbidden', 'Your role does not allow this action.');
  }
  return staff;
}

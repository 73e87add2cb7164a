import type { Role } from '../gql/graphql';

/**
 * Admins and super admins: the server's `RoleGuard::new(Admin)` (rules,
 * templates, users, the outbox). Undefined (before `me` loads) is not.
 */
export const isAdmin = (role: Role | undefined) => role === 'SUPER_ADMIN' || role === 'ADMIN';

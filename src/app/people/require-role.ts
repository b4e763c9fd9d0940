import type { Principal, StaffPrincipal } from '../../core/auth/principal.ts';
import { forbidden } from '../../core/errors.ts';
import type { Role } from '../../core/tickets/ticket-model.ts';

export function requireStaff(p: Principal, roles: readonly Role[] = ['agent', 'supervisor', 'admin']): StaffPrincipal {
  if (p.kind !== 'user' || !roles.includes(p.role)) throw forbidden(`requires role ${roles.join(' or ')}`);
  return p;
}
export const MANAGERS: readonly Role[] = ['supervisor', 'admin'];

import type { Principal, StaffPrincipal } from '../../core/auth/principal.ts';
import { requireStaff as require } from '../people/require-role.ts';

export const requireStaff = (p: Principal): StaffPrincipal => require(p);
export const isManagerRole = (p: StaffPrincipal): boolean => p.role === 'supervisor' || p.role === 'admin';

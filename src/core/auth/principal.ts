import type { Role } from '../tickets/ticket-model.ts';

export type StaffPrincipal = {
  kind: 'user';
  id: string;
  email: string;
  name: string;
  role: Role;
  language: string;
  time_zone: string;
  groupIds: readonly string[];
};

export type CustomerPrincipal = {
  kind: 'contact';
  id: string;
  email: string;
  name: string;
  role: 'customer';
  language: string;
  time_zone: string;
  organizationId: string | null;
  isOrgManager: boolean;
};

export type Principal = StaffPrincipal | CustomerPrincipal;

export const isStaff = (p: Principal): p is StaffPrincipal => p.kind === 'user';
export const isManager = (p: Principal): boolean => p.kind === 'user' && (p.role === 'supervisor' || p.role === 'admin');

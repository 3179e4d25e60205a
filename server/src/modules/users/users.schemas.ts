import { z } from 'zod';
import { ROLES } from '../../platform/auth/roles.ts';

export const UserOut = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['active', 'disabled']),
  totpEnabled: z.boolean(),
  createdAt: z.string(),
  roles: z.array(z.object({ role: z.enum(ROLES), scopeKind: z.string(), scopeValue: z.string().nullable() })),
  activeSessions: z.number(),
  /** What the caller may do with this user; the UI shows only these. */
  allowedActions: z.array(z.enum(['editRoles', 'disable', 'enable', 'revokeSessions'])),
});
export type UserOut = z.infer<typeof UserOut>;

export const InvitationOut = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  roles: z.array(z.object({ role: z.enum(ROLES), scopeKind: z.string(), scopeValue: z.string().nullable() })),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
  allowedActions: z.array(z.enum(['revoke'])),
});
export type InvitationOut = z.infer<typeof InvitationOut>;

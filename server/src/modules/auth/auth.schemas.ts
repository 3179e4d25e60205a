import { z } from 'zod';
import { ROLES } from '../../platform/auth/roles.ts';

export const SignInBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(256),
});

export const RoleAssignmentOut = z.object({
  role: z.enum(ROLES),
  scopeKind: z.string(),
  scopeValue: z.string().nullable(),
});

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  locale: z.string(),
  csrfToken: z.string(),
  roles: z.array(RoleAssignmentOut),
  /** The audit firms the user's auditor roles name, so a role reads "Auditor (Indus Assurance)". */
  auditFirms: z.array(z.object({ id: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  totpEnabled: z.boolean(),
  /** The user must set up two-factor authentication before anything else works. */
  mfaEnrollmentRequired: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const MfaChallenge = z.object({
  mfaRequired: z.literal(true),
  challenge: z.string(),
});

export const MfaBody = z
  .object({
    challenge: z.string().min(10).max(400),
    code: z.string().trim().max(20).optional(),
    recoveryCode: z.string().trim().max(40).optional(),
  })
  .refine(
    (b) => Boolean(b.code) !== Boolean(b.recoveryCode),
    'Give either the 6-digit code or a recovery code.',
  );

export const SessionOut = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

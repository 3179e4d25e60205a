import { z } from 'zod';
import { ROLES } from '../../platform/auth/roles.ts';

export const SignInBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(256),
});

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  locale: z.string(),
  csrfToken: z.string(),
  roles: z.array(
    z.object({
      role: z.enum(ROLES),
      scopeKind: z.string(),
      scopeValue: z.string().nullable(),
    }),
  ),
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

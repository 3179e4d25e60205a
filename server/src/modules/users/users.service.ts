import { z } from 'zod';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { requirePermission } from '../../platform/auth/permissions.ts';
import { ROLES } from '../../platform/auth/roles.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ConflictError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';

export const RoleAssignmentInput = z.object({
  role: z.enum(ROLES),
  scopeKind: z.enum(['national', 'sector', 'admin_unit', 'entity', 'audit']),
  scopeValue: z.string().max(100).nullable(),
});

export const NewUser = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  displayName: z.string().trim().min(1).max(120),
  password: z.string().min(12).max(256),
  locale: z.enum(['en', 'ur']).default('en'),
  roles: z.array(RoleAssignmentInput).max(20).default([]),
});
export type NewUser = z.input<typeof NewUser>;

export function createUserService(p: Platform) {
  return {
    async create(ctx: RequestContext, input: NewUser): Promise<{ id: string }> {
      requirePermission(ctx, 'users.manage');
      const u = NewUser.parse(input);
      const passwordHash = await hashPassword(u.password);
      const now = p.clock.now().toISOString();
      const id = newId();
      await p.db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('users')
          .select('id')
          .where('email', '=', u.email)
          .executeTakeFirst();
        if (existing)
          throw new ConflictError('email_taken', `A user with the email ${u.email} already exists.`);
        await trx
          .insertInto('users')
          .values({
            id,
            email: u.email,
            display_name: u.displayName,
            password_hash: passwordHash,
            locale: u.locale,
            created_at: now,
            updated_at: now,
          })
          .execute();
        for (const r of u.roles) {
          await trx
            .insertInto('role_assignments')
            .values({
              id: newId(),
              user_id: id,
              role: r.role,
              scope_kind: r.scopeKind,
              scope_value: r.scopeValue,
              created_at: now,
            })
            .execute();
        }
        await p.audit(trx, ctx, {
          action: 'user.create',
          objectType: 'user',
          objectId: id,
          after: { email: u.email, displayName: u.displayName, roles: u.roles },
        });
      });
      return { id };
    },
  };
}

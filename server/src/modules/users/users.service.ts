import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { z } from 'zod';
import { assertPasswordAcceptable } from '../../platform/auth/password-policy.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { requirePermission, requireSignedIn } from '../../platform/access/permissions.ts';
import { ROLES, type Role } from '../../platform/auth/roles.ts';
import { loadRoles } from '../../platform/auth/sessions.ts';
import type { Actor, RequestContext } from '../../platform/context.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { onDuplicate } from '../../platform/duplicates.ts';
import { newId } from '../../platform/ids.ts';
import { PlainText } from '../../platform/plain-text.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  administeredEntities,
  insertAssignments,
  isAuthorityAdmin,
  resolveAssignments,
  RoleAssignmentInput,
} from './role-scope.ts';
import type { UserOut } from './users.schemas.ts';

export const NewUser = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  displayName: PlainText(120).pipe(z.string().min(1)),
  password: z.string().min(1).max(256),
  locale: z.enum(['en', 'ur']).default('en'),
  roles: z
    .array(
      z.object({
        role: z.enum(ROLES),
        scopeKind: z.string().optional(),
        scopeValue: z.string().max(100).nullable(),
      }),
    )
    .max(20)
    .default([]),
});
export type NewUser = z.input<typeof NewUser>;

/** Users an actor may see: all (null) for Authority administrators, their entity's people for an entity administrator. */
export function visibleUsers(db: Kysely<DB>, actor: Actor) {
  if (isAuthorityAdmin(actor)) return null;
  const entities = administeredEntities(actor);
  return db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('scope_kind', '=', 'entity')
    .where('scope_value', 'in', entities.length ? entities : ['-']);
}

export function createUserService(p: Platform) {
  const visibleUserIds = (actor: Actor) => visibleUsers(p.db, actor);

  function actionsFor(actor: Actor, target: { id: string; status: string }): UserOut['allowedActions'] {
    if (!isAuthorityAdmin(actor) || target.id === actor.userId)
      return target.id === actor.userId ? ['revokeSessions'] : [];
    return ['editRoles', target.status === 'active' ? 'disable' : 'enable', 'revokeSessions'];
  }

  async function toOut(actor: Actor, id: string): Promise<UserOut> {
    const u = await p.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const { n } = await p.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      id: u.id,
      email: u.email,
      displayName: u.display_name,
      status: u.status as UserOut['status'],
      totpEnabled: Boolean(u.totp_enabled_at),
      createdAt: u.created_at,
      roles: await loadRoles(p.db, id),
      activeSessions: Number(n),
      allowedActions: actionsFor(actor, u),
    };
  }

  async function findVisible(actor: Actor, id: string) {
    const scope = visibleUserIds(actor);
    let q = p.db.selectFrom('users').select(['id', 'status', 'email']).where('id', '=', id);
    if (scope) q = q.where('id', 'in', scope);
    const u = await q.executeTakeFirst();
    if (!u) throw new NotFoundError('user');
    return u;
  }

  return {
    /** Used by the CLI and the demo loader (system actor) and by administrators. */
    async create(ctx: RequestContext, input: NewUser): Promise<{ id: string }> {
      requirePermission(ctx, 'users.manage');
      const u = NewUser.parse(input);
      assertPasswordAcceptable(u.password, p.commonPasswords, [u.email.split('@')[0]!, u.displayName]);
      const roles = await resolveAssignments(
        p,
        u.roles.map((r) => RoleAssignmentInput.parse(r)),
      );
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
            password_changed_at: now,
          })
          .execute()
          .catch(onDuplicate(`A user with the email ${u.email} already exists.`, 'email_taken'));
        await insertAssignments(trx, id, roles, now);
        await p.audit(trx, ctx, {
          action: 'user.create',
          objectType: 'user',
          objectId: id,
          after: { email: u.email, displayName: u.displayName, roles },
        });
      });
      return { id };
    },

    async list(
      ctx: RequestContext,
      query: { q?: string; role?: Role; cursor?: string; limit: number },
    ): Promise<{ items: UserOut[]; nextCursor: string | null }> {
      const actor = requirePermission(ctx, 'users.read');
      const scope = visibleUserIds(actor);
      let q = p.db.selectFrom('users').select(['id', 'email']);
      if (scope) q = q.where('id', 'in', scope);
      if (query.q) {
        const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(
          sql<boolean>`(lower(email) like ${like} escape '\\' or lower(display_name) like ${like} escape '\\')`,
        );
      }
      if (query.role)
        q = q.where(
          'id',
          'in',
          p.db.selectFrom('role_assignments').select('user_id').where('role', '=', query.role),
        );
      if (query.cursor) q = q.where('email', '>', query.cursor);
      const rows = await q
        .orderBy('email')
        .limit(query.limit + 1)
        .execute();
      const page = rows.slice(0, query.limit);
      return {
        items: await Promise.all(page.map((r) => toOut(actor, r.id))),
        nextCursor: rows.length > query.limit ? page.at(-1)!.email : null,
      };
    },

    async get(ctx: RequestContext, id: string): Promise<UserOut> {
      const actor = requirePermission(ctx, 'users.read');
      await findVisible(actor, id);
      return toOut(actor, id);
    },

    /** Replaces a user's role assignments (Authority administrators only). */
    async setRoles(ctx: RequestContext, id: string, input: RoleAssignmentInput[]): Promise<UserOut> {
      const actor = requirePermission(ctx, 'users.manage');
      await findVisible(actor, id);
      const roles = await resolveAssignments(p, input);
      await p.db.transaction().execute(async (trx) => {
        const before = await loadRoles(trx, id);
        await trx.deleteFrom('role_assignments').where('user_id', '=', id).execute();
        const now = p.clock.now().toISOString();
        await insertAssignments(trx, id, roles, now);
        await p.audit(trx, ctx, {
          action: 'user.roles_changed',
          objectType: 'user',
          objectId: id,
          before,
          after: roles,
        });
      });
      return toOut(actor, id);
    },

    /** Disabling ends the user's sessions at once. */
    async setStatus(ctx: RequestContext, id: string, status: 'active' | 'disabled'): Promise<UserOut> {
      const actor = requirePermission(ctx, 'users.manage');
      const u = await findVisible(actor, id);
      if (id === actor.userId)
        throw new ConflictError('cannot_disable_self', 'You cannot disable your own account.');
      await p.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ status, updated_at: p.clock.now().toISOString() })
          .where('id', '=', id)
          .execute();
        if (status === 'disabled') await p.sessions.destroyAllFor(trx, id);
        await p.audit(trx, ctx, {
          action: `user.${status === 'active' ? 'enabled' : 'disabled'}`,
          objectType: 'user',
          objectId: id,
          before: { status: u.status },
          after: { status },
        });
      });
      return toOut(actor, id);
    },

    async revokeSessions(ctx: RequestContext, id: string): Promise<void> {
      const actor = requireSignedIn(ctx);
      if (id !== actor.userId) {
        requirePermission(ctx, 'users.manage');
        await findVisible(actor, id);
      }
      await p.db.transaction().execute(async (trx) => {
        // Like signing out everywhere: the account's API tokens stop too.
        const n = await p.sessions.destroyAllFor(trx, id);
        const tokens = await p.tokens.revokeAllFor(trx, id);
        await p.audit(trx, ctx, {
          action: 'user.sessions_revoked',
          objectType: 'user',
          objectId: id,
          after: { sessions: n, tokens },
        });
      });
    },
  };
}

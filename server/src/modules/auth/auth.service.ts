import { decoyHash, verifyPassword } from '../../platform/auth/passwords.ts';
import { permissionsOf, requireSignedIn } from '../../platform/auth/permissions.ts';
import { loadRoles } from '../../platform/auth/sessions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError, TooManyRequestsError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Me } from './auth.schemas.ts';

const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60 * 1000;

export function createAuthService(p: Platform) {
  async function me(userId: string, csrfToken: string): Promise<Me> {
    const user = await p.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const roles = await loadRoles(p.db, userId);
    return {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      locale: user.locale,
      csrfToken,
      roles,
      permissions: [...permissionsOf({ kind: 'user', userId, label: user.email, roles })].sort(),
    };
  }

  return {
    /** Checks the password; after repeated failures the account is locked for a while. */
    async signIn(
      ctx: RequestContext,
      input: { email: string; password: string; userAgent: string | null },
    ): Promise<{ token: string; expiresAt: Date; me: Me }> {
      const email = input.email.toLowerCase();
      const user = await p.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      const now = p.clock.now();
      if (user?.locked_until && user.locked_until > now.toISOString()) {
        const seconds = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 1000);
        throw new TooManyRequestsError(
          `Too many failed sign-ins: this account is locked for ${Math.ceil(seconds / 60)} more minute(s).`,
          seconds,
        );
      }
      const ok = user
        ? await verifyPassword(user.password_hash, input.password)
        : await verifyPassword(await decoyHash(), input.password);
      if (!user || !ok || user.status !== 'active') {
        if (user) {
          const failures = user.failed_sign_ins + 1;
          await p.db.transaction().execute(async (trx) => {
            await trx
              .updateTable('users')
              .set({
                failed_sign_ins: failures >= MAX_FAILURES ? 0 : failures,
                locked_until:
                  failures >= MAX_FAILURES
                    ? new Date(now.getTime() + LOCK_MS).toISOString()
                    : user.locked_until,
              })
              .where('id', '=', user.id)
              .execute();
            await p.audit(trx, ctx, {
              action: failures >= MAX_FAILURES ? 'auth.locked' : 'auth.sign_in_failed',
              objectType: 'user',
              objectId: user.id,
            });
          });
        }
        throw new AppError(401, 'invalid_credentials', 'The email or password is not right.');
      }
      const session = await p.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ failed_sign_ins: 0, locked_until: null })
          .where('id', '=', user.id)
          .execute();
        const s = await p.sessions.create(trx, user.id, { ip: ctx.ip, userAgent: input.userAgent });
        await p.audit(
          trx,
          { ...ctx, actor: { kind: 'user', userId: user.id, label: user.email, roles: [] } },
          { action: 'auth.sign_in', objectType: 'session', objectId: s.sessionId.slice(0, 16) },
        );
        return s;
      });
      return { token: session.token, expiresAt: session.expiresAt, me: await me(user.id, session.csrfToken) };
    },

    async signOut(ctx: RequestContext, sessionId: string | null): Promise<void> {
      requireSignedIn(ctx);
      if (!sessionId) return;
      await p.db.transaction().execute(async (trx) => {
        await p.sessions.destroy(trx, sessionId);
        await p.audit(trx, ctx, {
          action: 'auth.sign_out',
          objectType: 'session',
          objectId: sessionId.slice(0, 16),
        });
      });
    },

    async me(ctx: RequestContext, csrfToken: string | null): Promise<Me> {
      const actor = requireSignedIn(ctx);
      return me(actor.userId!, csrfToken ?? '');
    },
  };
}

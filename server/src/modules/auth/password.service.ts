import { randomBytes } from 'node:crypto';
import { assertPasswordAcceptable } from '../../platform/auth/password-policy.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { requireSignedIn } from '../../platform/access/permissions.ts';
import { tokenHash } from '../../platform/auth/sessions.ts';
import { accountKey, clearAccount } from '../../platform/auth/sign-in-throttle.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

const RESET_TTL_MS = 60 * 60 * 1000;

export function createPasswordService(p: Platform) {
  return {
    /** Changing the password ends every other session of the account (this one stays). */
    async change(
      ctx: RequestContext,
      input: { currentPassword: string; newPassword: string },
      currentSessionId: string | null,
    ): Promise<void> {
      const actor = requireSignedIn(ctx);
      const u = await p.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', actor.userId!)
        .executeTakeFirstOrThrow();
      if (!(await verifyPassword(u.password_hash, input.currentPassword))) {
        throw new AppError(400, 'invalid_password', 'The current password is not right.');
      }
      assertPasswordAcceptable(input.newPassword, p.commonPasswords, [
        u.email.split('@')[0]!,
        u.display_name,
      ]);
      const hash = await hashPassword(input.newPassword);
      await p.db.transaction().execute(async (trx) => {
        const now = p.clock.now().toISOString();
        await trx
          .updateTable('users')
          .set({ password_hash: hash, password_changed_at: now, updated_at: now })
          .where('id', '=', u.id)
          .execute();
        await trx
          .deleteFrom('sessions')
          .where('user_id', '=', u.id)
          .where('id', '!=', currentSessionId ?? '')
          .execute();
        await p.audit(trx, ctx, { action: 'auth.password_changed', objectType: 'user', objectId: u.id });
      });
    },

    /**
     * Sends a one-time link when the account exists; answers the same either way, so the form
     * cannot be used to find out who has an account.
     */
    async requestReset(ctx: RequestContext, email: string): Promise<void> {
      const u = await p.db
        .selectFrom('users')
        .select(['id', 'email', 'status'])
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      if (!u || u.status !== 'active') return;
      const token = randomBytes(32).toString('base64url');
      const now = p.clock.now();
      await p.db.transaction().execute(async (trx) => {
        // Only the newest link works: an older mail left in an inbox is void.
        await trx
          .deleteFrom('password_resets')
          .where('user_id', '=', u.id)
          .where('used_at', 'is', null)
          .execute();
        await trx
          .insertInto('password_resets')
          .values({
            id: tokenHash(token),
            user_id: u.id,
            created_at: now.toISOString(),
            expires_at: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
          })
          .execute();
        await p.mailer.queue(trx, {
          to: u.email,
          subject: 'Reset your Qila password',
          text: `Someone asked to reset the password of your Qila account.\n\nTo choose a new password, open this link within one hour:\n${p.config.publicUrl}/reset-password?token=${token}\n\nIf it was not you, ignore this message; your password stays as it is.`,
        });
        await p.audit(trx, ctx, {
          action: 'auth.password_reset_requested',
          objectType: 'user',
          objectId: u.id,
        });
      });
    },

    /** Sets the new password, uses up the link, ends every session and revokes every API token. */
    async completeReset(ctx: RequestContext, input: { token: string; password: string }): Promise<void> {
      const now = p.clock.now();
      const reset = await p.db
        .selectFrom('password_resets')
        .innerJoin('users', 'users.id', 'password_resets.user_id')
        .select([
          'password_resets.id',
          'password_resets.user_id',
          'password_resets.expires_at',
          'password_resets.used_at',
          'users.email',
          'users.display_name',
        ])
        .where('password_resets.id', '=', tokenHash(input.token))
        .executeTakeFirst();
      if (!reset || reset.used_at || reset.expires_at <= now.toISOString()) {
        throw new AppError(
          400,
          'reset_link_invalid',
          'This reset link has expired or was already used; ask for a new one.',
        );
      }
      assertPasswordAcceptable(input.password, p.commonPasswords, [
        reset.email.split('@')[0]!,
        reset.display_name,
      ]);
      const hash = await hashPassword(input.password);
      await p.db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('password_resets')
          .set({ used_at: now.toISOString() })
          .where('id', '=', reset.id)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (Number(used.numUpdatedRows) !== 1)
          throw new AppError(400, 'reset_link_invalid', 'This reset link was already used.');
        await trx
          .updateTable('users')
          .set({
            password_hash: hash,
            password_changed_at: now.toISOString(),
            updated_at: now.toISOString(),
          })
          .where('id', '=', reset.user_id)
          .execute();
        await trx
          .deleteFrom('password_resets')
          .where('user_id', '=', reset.user_id)
          .where('used_at', 'is', null)
          .execute();
        await clearAccount(trx, accountKey(reset.email), now);
        // Whoever knew the old password may have made tokens with it.
        const sessions = await p.sessions.destroyAllFor(trx, reset.user_id);
        const tokens = await p.tokens.revokeAllFor(trx, reset.user_id);
        await p.audit(
          trx,
          { ...ctx, actor: { kind: 'user', userId: reset.user_id, label: reset.email, roles: [] } },
          {
            action: 'auth.password_reset',
            objectType: 'user',
            objectId: reset.user_id,
            after: { sessions, tokens },
          },
        );
      });
    },
  };
}

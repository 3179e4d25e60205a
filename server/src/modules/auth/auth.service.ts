import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { decoyHash, verifyPassword } from '../../platform/auth/passwords.ts';
import { permissionsOf, requireSignedIn } from '../../platform/auth/permissions.ts';
import { loadRoles, mfaPending } from '../../platform/auth/sessions.ts';
import { verifyTotp } from '../../platform/auth/totp.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError, NotFoundError, TooManyRequestsError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Me } from './auth.schemas.ts';
import { issueChallenge, readChallenge } from './mfa-challenge.ts';

const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60 * 1000;

export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

type SignInResult =
  { kind: 'signed-in'; token: string; expiresAt: Date; me: Me } | { kind: 'mfa'; challenge: string };

export function createAuthService(p: Platform) {
  async function me(userId: string, csrfToken: string): Promise<Me> {
    const user = await p.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const roles = await loadRoles(p.db, userId);
    const pending = mfaPending(p.config.mfa, roles, Boolean(user.totp_enabled_at));
    const firmIds = roles.flatMap((r) => (r.scopeKind === 'audit' && r.scopeValue ? [r.scopeValue] : []));
    const auditFirms = firmIds.length
      ? await p.db
          .selectFrom('audit_firms')
          .select(['id', 'name'])
          .where('id', 'in', firmIds)
          .orderBy('name')
          .execute()
      : [];
    return {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      locale: user.locale,
      csrfToken,
      roles,
      auditFirms,
      permissions: pending
        ? []
        : [...permissionsOf({ kind: 'user', userId, label: user.email, roles })].sort(),
      totpEnabled: Boolean(user.totp_enabled_at),
      mfaEnrollmentRequired: pending,
    };
  }

  async function assertNotLocked(user: { locked_until: string | null }, now: Date): Promise<void> {
    if (user.locked_until && user.locked_until > now.toISOString()) {
      const seconds = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 1000);
      throw new TooManyRequestsError(
        `Too many failed sign-ins: this account is locked for ${Math.ceil(seconds / 60)} more minute(s).`,
        seconds,
      );
    }
  }

  async function recordFailure(
    ctx: RequestContext,
    user: { id: string; failed_sign_ins: number; locked_until: string | null },
    step: string,
  ) {
    const now = p.clock.now();
    const failures = user.failed_sign_ins + 1;
    const lock = failures >= MAX_FAILURES;
    await p.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          failed_sign_ins: lock ? 0 : failures,
          locked_until: lock ? new Date(now.getTime() + LOCK_MS).toISOString() : user.locked_until,
        })
        .where('id', '=', user.id)
        .execute();
      await p.audit(trx, ctx, {
        action: lock ? 'auth.locked' : `auth.${step}_failed`,
        objectType: 'user',
        objectId: user.id,
      });
    });
  }

  async function startSession(
    ctx: RequestContext,
    userId: string,
    email: string,
    userAgent: string | null,
    method: string,
  ) {
    const session = await p.db.transaction().execute(async (trx: Transaction<DB>) => {
      await trx
        .updateTable('users')
        .set({ failed_sign_ins: 0, locked_until: null })
        .where('id', '=', userId)
        .execute();
      const s = await p.sessions.create(trx, userId, { ip: ctx.ip, userAgent });
      await p.audit(
        trx,
        { ...ctx, actor: { kind: 'user', userId, label: email, roles: [] } },
        {
          action: 'auth.sign_in',
          objectType: 'session',
          objectId: s.sessionId.slice(0, 16),
          after: { method },
        },
      );
      return s;
    });
    return {
      kind: 'signed-in' as const,
      token: session.token,
      expiresAt: session.expiresAt,
      me: await me(userId, session.csrfToken),
    };
  }

  return {
    /** Step one: the password. Users with TOTP get a challenge for step two instead of a session. */
    async signIn(
      ctx: RequestContext,
      input: { email: string; password: string; userAgent: string | null },
    ): Promise<SignInResult> {
      const email = input.email.toLowerCase();
      const user = await p.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      const now = p.clock.now();
      if (user) await assertNotLocked(user, now);
      const ok = user
        ? await verifyPassword(user.password_hash, input.password)
        : await verifyPassword(await decoyHash(), input.password);
      if (!user || !ok || user.status !== 'active') {
        if (user) await recordFailure(ctx, user, 'sign_in');
        throw new AppError(401, 'invalid_credentials', 'The email or password is not right.');
      }
      if (user.totp_enabled_at)
        return { kind: 'mfa', challenge: issueChallenge(p.config.secretKey, user.id, now) };
      return startSession(ctx, user.id, user.email, input.userAgent, 'password');
    },

    /** Step two: a TOTP code (never the same time step twice) or a single-use recovery code. */
    async completeMfa(
      ctx: RequestContext,
      input: { challenge: string; code?: string; recoveryCode?: string; userAgent: string | null },
    ): Promise<SignInResult & { kind: 'signed-in' }> {
      const now = p.clock.now();
      const userId = readChallenge(p.config.secretKey, input.challenge, now);
      if (!userId)
        throw new AppError(
          401,
          'mfa_challenge_expired',
          'The sign-in took too long; enter your email and password again.',
        );
      const user = await p.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
      if (!user || user.status !== 'active' || !user.totp_secret_enc)
        throw new AppError(401, 'mfa_challenge_expired', 'Enter your email and password again.');
      await assertNotLocked(user, now);
      if (input.code) {
        const step = verifyTotp(p.secrets.open(user.totp_secret_enc), input.code, now);
        if (step === null || (user.totp_last_step !== null && step <= user.totp_last_step)) {
          await recordFailure(ctx, user, 'mfa');
          throw new AppError(
            401,
            'invalid_mfa_code',
            'The code is not right or was already used; wait for the next code and try again.',
          );
        }
        await p.db.updateTable('users').set({ totp_last_step: step }).where('id', '=', user.id).execute();
        return startSession(ctx, user.id, user.email, input.userAgent, 'password+totp');
      }
      const used = await p.db
        .updateTable('recovery_codes')
        .set({ used_at: now.toISOString() })
        .where('user_id', '=', user.id)
        .where('code_hash', '=', hashRecoveryCode(input.recoveryCode ?? ''))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) {
        await recordFailure(ctx, user, 'mfa');
        throw new AppError(401, 'invalid_mfa_code', 'That recovery code is not right or was already used.');
      }
      return startSession(ctx, user.id, user.email, input.userAgent, 'password+recovery-code');
    },

    /** A session for a user whose identity another step established (an accepted invitation). */
    startSessionFor: (
      ctx: RequestContext,
      userId: string,
      email: string,
      userAgent: string | null,
      method: string,
    ) => startSession(ctx, userId, email, userAgent, method),

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

    async signOutEverywhere(ctx: RequestContext): Promise<number> {
      const actor = requireSignedIn(ctx);
      return p.db.transaction().execute(async (trx) => {
        const n = await p.sessions.destroyAllFor(trx, actor.userId!);
        await p.audit(trx, ctx, {
          action: 'auth.sign_out_everywhere',
          objectType: 'user',
          objectId: actor.userId,
          after: { sessions: n },
        });
        return n;
      });
    },

    async me(ctx: RequestContext, csrfToken: string | null): Promise<Me> {
      const actor = requireSignedIn(ctx);
      return me(actor.userId!, csrfToken ?? '');
    },

    async listSessions(ctx: RequestContext, currentId: string | null) {
      const actor = requireSignedIn(ctx);
      const rows = await p.db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', actor.userId!)
        .orderBy('last_seen_at', 'desc')
        .execute();
      return rows.map((r) => ({
        // The stored id is a token hash; a prefix is enough to name a session and reveals nothing.
        id: r.id.slice(0, 16),
        current: r.id === currentId,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        expiresAt: r.expires_at,
        ip: r.ip,
        userAgent: r.user_agent,
      }));
    },

    async revokeSession(ctx: RequestContext, idPrefix: string): Promise<void> {
      const actor = requireSignedIn(ctx);
      await p.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('sessions')
          .select('id')
          .where('user_id', '=', actor.userId!)
          .execute();
        const match = rows.find((r) => r.id.startsWith(idPrefix));
        if (!match) throw new NotFoundError('session');
        await p.sessions.destroy(trx, match.id);
        await p.audit(trx, ctx, {
          action: 'auth.session_revoked',
          objectType: 'session',
          objectId: idPrefix,
        });
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;

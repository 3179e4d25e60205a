import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/types.ts';
import { decoyHash, verifyPassword } from '../../platform/auth/passwords.ts';
import { permissionsOf, requireSignedIn } from '../../platform/access/permissions.ts';
import { loadRoles, mfaPending } from '../../platform/auth/sessions.ts';
import {
  accountKey,
  refundAttempt,
  reserveAttempt,
  sourceOf,
  trustSource,
  type Attempt,
} from '../../platform/auth/sign-in-throttle.ts';
import { verifyTotp } from '../../platform/auth/totp.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError, NotFoundError, TooManyRequestsError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Me } from './auth.schemas.ts';
import { issueChallenge, readChallenge } from './mfa-challenge.ts';

export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

/** The email tried goes into the audit record only when it is one: a password typed into the field is not kept. */
const loggable = (email: string): string =>
  z.email().safeParse(email).success ? email : '(not an email address)';

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

  /**
   * Counts the attempt before any secret is checked (decisions/0006); a refusal is audited with
   * its count. The answer is the same whether or not the email has an account.
   */
  async function guard(
    ctx: RequestContext,
    attempt: Attempt,
    subject: { userId: string | null; email: string; step: 'sign_in' | 'mfa' },
  ): Promise<void> {
    const now = p.clock.now();
    const verdict = await p.db.transaction().execute(async (trx) => {
      const v = await reserveAttempt(trx, attempt, now);
      if (!v.ok)
        await p.audit(trx, ctx, {
          action: 'auth.sign_in_throttled',
          objectType: 'user',
          objectId: subject.userId,
          after: { email: loggable(subject.email), step: subject.step, limit: v.limit },
        });
      return v;
    });
    if (!verdict.ok) {
      const wait = verdict.retryAfterSeconds;
      const when = wait < 60 ? `${wait} second(s)` : `${Math.ceil(wait / 60)} minute(s)`;
      throw new TooManyRequestsError(
        `Too many sign-in attempts. Try again in ${when}, or reset your password by email.`,
        wait,
      );
    }
  }

  /** A failed check, known account or not: who was tried, from where (ip and request id), never the secret. */
  async function auditFailure(
    ctx: RequestContext,
    action: 'auth.sign_in_failed' | 'auth.mfa_failed',
    userId: string | null,
    after: { email: string; reason: string },
  ) {
    await p.db.transaction().execute((trx) =>
      p.audit(trx, ctx, {
        action,
        objectType: 'user',
        objectId: userId,
        after: { ...after, email: loggable(after.email) },
      }),
    );
  }

  /** `reserved`: the attempt that led here was counted by `guard`, and is given back. */
  async function startSession(
    ctx: RequestContext,
    userId: string,
    email: string,
    userAgent: string | null,
    method: string,
    reserved: Attempt | null,
  ) {
    const session = await p.db.transaction().execute(async (trx: Transaction<DB>) => {
      const now = p.clock.now();
      if (reserved) await refundAttempt(trx, reserved);
      await trustSource(trx, reserved ?? { account: accountKey(email), source: sourceOf(ctx.ip) }, now);
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
      const email = input.email.trim().toLowerCase();
      const user = await p.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      const attempt = { account: accountKey(email), source: sourceOf(ctx.ip) };
      await guard(ctx, attempt, { userId: user?.id ?? null, email, step: 'sign_in' });
      const ok = user
        ? await verifyPassword(user.password_hash, input.password)
        : await verifyPassword(await decoyHash(), input.password);
      if (!user || !ok || user.status !== 'active') {
        await auditFailure(ctx, 'auth.sign_in_failed', user?.id ?? null, {
          email,
          reason: !user ? 'unknown_account' : !ok ? 'wrong_password' : 'account_disabled',
        });
        throw new AppError(401, 'invalid_credentials', 'The email or password is not right.');
      }
      if (user.totp_enabled_at) {
        // The password was right; the code that follows is counted on its own.
        await p.db.transaction().execute((trx) => refundAttempt(trx, attempt));
        return { kind: 'mfa', challenge: issueChallenge(p.config.secretKey, user.id, p.clock.now()) };
      }
      return startSession(ctx, user.id, user.email, input.userAgent, 'password', attempt);
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
      const attempt = { account: accountKey(user.email), source: sourceOf(ctx.ip) };
      await guard(ctx, attempt, { userId: user.id, email: user.email, step: 'mfa' });
      if (input.code) {
        const step = verifyTotp(p.secrets.open(user.totp_secret_enc), input.code, now);
        // Taking the time step is one conditional update, so two parallel requests cannot both use it.
        const taken =
          step === null
            ? 0
            : Number(
                (
                  await p.db
                    .updateTable('users')
                    .set({ totp_last_step: step })
                    .where('id', '=', user.id)
                    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
                    .executeTakeFirst()
                ).numUpdatedRows,
              );
        if (taken !== 1) {
          await auditFailure(ctx, 'auth.mfa_failed', user.id, { email: user.email, reason: 'wrong_code' });
          throw new AppError(
            401,
            'invalid_mfa_code',
            'The code is not right or was already used; wait for the next code and try again.',
          );
        }
        return startSession(ctx, user.id, user.email, input.userAgent, 'password+totp', attempt);
      }
      const used = await p.db
        .updateTable('recovery_codes')
        .set({ used_at: now.toISOString() })
        .where('user_id', '=', user.id)
        .where('code_hash', '=', hashRecoveryCode(input.recoveryCode ?? ''))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) {
        await auditFailure(ctx, 'auth.mfa_failed', user.id, {
          email: user.email,
          reason: 'wrong_recovery_code',
        });
        throw new AppError(401, 'invalid_mfa_code', 'That recovery code is not right or was already used.');
      }
      return startSession(ctx, user.id, user.email, input.userAgent, 'password+recovery-code', attempt);
    },

    /** A session for a user whose identity another step established (an accepted invitation). */
    startSessionFor: (
      ctx: RequestContext,
      userId: string,
      email: string,
      userAgent: string | null,
      method: string,
    ) => startSession(ctx, userId, email, userAgent, method, null),

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

    /** Ends every session and revokes every API token: what a person does when they fear a leak. */
    async signOutEverywhere(ctx: RequestContext): Promise<number> {
      const actor = requireSignedIn(ctx);
      return p.db.transaction().execute(async (trx) => {
        const n = await p.sessions.destroyAllFor(trx, actor.userId!);
        const tokens = await p.tokens.revokeAllFor(trx, actor.userId!);
        await p.audit(trx, ctx, {
          action: 'auth.sign_out_everywhere',
          objectType: 'user',
          objectId: actor.userId,
          after: { sessions: n, tokens },
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

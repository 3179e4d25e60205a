import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Clock } from '../clock.ts';
import type { Actor, RoleAssignment } from '../context.ts';
import { MFA_ROLES, type Role } from './roles.ts';

export const SESSION_COOKIE = 'qila_session';
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

/** Only the hash of a session token is stored: a stolen database does not yield live sessions. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface ResolvedSession {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
}

export async function loadRoles(db: Kysely<DB> | Transaction<DB>, userId: string): Promise<RoleAssignment[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select(['role', 'scope_kind', 'scope_value'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    role: r.role as Role,
    scopeKind: r.scope_kind as RoleAssignment['scopeKind'],
    scopeValue: r.scope_value,
  }));
}

/** Whether this user must enrol TOTP before doing anything else. */
export function mfaPending(
  policy: 'required' | 'optional',
  roles: RoleAssignment[],
  totpEnabled: boolean,
): boolean {
  return policy === 'required' && !totpEnabled && roles.some((r) => MFA_ROLES.includes(r.role));
}

export function createSessionStore(deps: {
  db: Kysely<DB>;
  clock: Clock;
  mfaPolicy: 'required' | 'optional';
}) {
  const { db, clock } = deps;
  return {
    async create(
      trx: Transaction<DB>,
      userId: string,
      meta: { ip: string | null; userAgent: string | null },
    ): Promise<{ token: string; sessionId: string; csrfToken: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
      const sessionId = tokenHash(token);
      await trx
        .insertInto('sessions')
        .values({
          id: sessionId,
          user_id: userId,
          csrf_token: csrfToken,
          created_at: now.toISOString(),
          last_seen_at: now.toISOString(),
          expires_at: expiresAt.toISOString(),
          ip: meta.ip,
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
        })
        .execute();
      return { token, sessionId, csrfToken, expiresAt };
    },

    /** The actor behind a cookie token, or null when the session is unknown, idle too long or past its end. */
    async resolve(token: string): Promise<ResolvedSession | null> {
      if (!token || token.length > 100) return null;
      const id = tokenHash(token);
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id',
          'sessions.csrf_token',
          'sessions.last_seen_at',
          'sessions.expires_at',
          'users.id as user_id',
          'users.email',
          'users.status',
          'users.totp_enabled_at',
        ])
        .where('sessions.id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      const now = clock.now();
      const idleEnd = new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS;
      if (row.status !== 'active' || now.getTime() >= idleEnd || now.toISOString() >= row.expires_at) {
        await db.deleteFrom('sessions').where('id', '=', id).execute();
        return null;
      }
      if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
        await db
          .updateTable('sessions')
          .set({ last_seen_at: now.toISOString() })
          .where('id', '=', id)
          .execute();
      }
      const roles = await loadRoles(db, row.user_id);
      return {
        actor: {
          kind: 'user',
          userId: row.user_id,
          label: row.email,
          roles,
          mfaPending: mfaPending(deps.mfaPolicy, roles, Boolean(row.totp_enabled_at)),
        },
        sessionId: id,
        csrfToken: row.csrf_token,
      };
    },

    async destroy(trx: Transaction<DB>, sessionId: string): Promise<void> {
      await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    /** Ends every session of a user (sign-out everywhere, password change, account disabled). */
    async destroyAllFor(trx: Transaction<DB>, userId: string): Promise<number> {
      const res = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;

import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Clock } from '../clock.ts';
import type { Actor } from '../context.ts';
import { PERMISSIONS, type Permission } from './roles.ts';
import { loadRoles } from './sessions.ts';

export const TOKEN_PREFIX = 'qila_';
const LAST_USED_EVERY_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A new machine token: shown once to its creator, only its hash is kept. */
export function mintToken(): { token: string; prefix: string; hash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(30).toString('base64url')}`;
  return { token, prefix: token.slice(0, 12), hash: hashToken(token) };
}

export function createTokenStore(deps: { db: Kysely<DB>; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /** The actor a bearer token speaks for: its owner's roles, narrowed to the token's entity and permissions. */
    async resolve(token: string): Promise<Actor | null> {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
      const row = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          'api_tokens.id',
          'api_tokens.user_id',
          'api_tokens.entity_id',
          'api_tokens.permissions_json',
          'api_tokens.expires_at',
          'api_tokens.revoked_at',
          'api_tokens.last_used_at',
          'users.email',
          'users.status',
        ])
        .where('api_tokens.token_hash', '=', hashToken(token))
        .executeTakeFirst();
      const now = clock.now();
      if (!row || row.revoked_at || row.status !== 'active' || row.expires_at <= now.toISOString())
        return null;
      if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > LAST_USED_EVERY_MS) {
        await db
          .updateTable('api_tokens')
          .set({ last_used_at: now.toISOString() })
          .where('id', '=', row.id)
          .execute();
      }
      const roles = (await loadRoles(db, row.user_id)).filter(
        (r) => r.scopeKind === 'entity' && r.scopeValue === row.entity_id,
      );
      const granted = (JSON.parse(row.permissions_json) as string[]).filter((p): p is Permission =>
        (PERMISSIONS as readonly string[]).includes(p),
      );
      return {
        kind: 'user',
        userId: row.user_id,
        label: `${row.email} (token ${row.id.slice(0, 8)})`,
        roles,
        token: { id: row.id, permissions: granted },
      };
    },

    /** Revokes every live token of a user (sign-out everywhere, password reset); returns how many. */
    async revokeAllFor(trx: Transaction<DB>, userId: string): Promise<number> {
      const res = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: clock.now().toISOString() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
  };
}
export type TokenStore = ReturnType<typeof createTokenStore>;

import { z } from 'zod';
import { NEVER_FOR_TOKENS, permissionsOf, requirePermission } from '../../platform/access/permissions.ts';
import { PERMISSIONS, type Permission } from '../../platform/auth/roles.ts';
import { mintToken } from '../../platform/auth/tokens.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { PlainText } from '../../platform/plain-text.ts';
import type { Platform } from '../../platform/platform.ts';

export const TokenInput = z.object({
  name: PlainText(100).pipe(z.string().min(1)),
  permissions: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
  expiresInDays: z.number().int().min(1).max(365).default(90),
  /** Needed only when the creator belongs to more than one entity. */
  entityId: z.uuid().optional(),
});

export const TokenOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  entityId: z.string().nullable(),
  permissions: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type TokenOut = z.infer<typeof TokenOut>;

/**
 * API tokens for an entity's machine clients (a SIEM reporting incidents): scoped to the
 * creator's entity and to permissions the creator holds; shown once, stored as a hash.
 */
export function createTokenService(p: Platform) {
  const out = (r: {
    id: string;
    name: string;
    prefix: string;
    entity_id: string | null;
    permissions_json: string;
    created_at: string;
    expires_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  }): TokenOut => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    entityId: r.entity_id,
    permissions: JSON.parse(r.permissions_json) as string[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    status: r.revoked_at ? 'revoked' : r.expires_at <= p.clock.now().toISOString() ? 'expired' : 'active',
  });

  return {
    async list(ctx: RequestContext): Promise<TokenOut[]> {
      const actor = requirePermission(ctx, 'tokens.create');
      const rows = await p.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', actor.userId!)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(out);
    },

    async create(
      ctx: RequestContext,
      input: z.input<typeof TokenInput>,
    ): Promise<{ token: string; item: TokenOut }> {
      const actor = requirePermission(ctx, 'tokens.create');
      if (actor.token) throw new ForbiddenError('A token cannot create other tokens.');
      const t = TokenInput.parse(input);
      const never = t.permissions.filter((perm: Permission) => NEVER_FOR_TOKENS.has(perm));
      if (never.length)
        throw new ValidationError(
          `A token cannot carry ${never.join(', ')}: machine clients never see or manage people, invitations or tokens.`,
          { field: 'permissions' },
        );
      const entities = [
        ...new Set(
          actor.roles.filter((r) => r.scopeKind === 'entity' && r.scopeValue).map((r) => r.scopeValue!),
        ),
      ];
      const entityId = t.entityId ?? (entities.length === 1 ? entities[0]! : undefined);
      if (!entityId || !entities.includes(entityId)) {
        throw new ValidationError('Choose one of your entities for this token.', { field: 'entityId' });
      }
      const held = permissionsOf({ ...actor, roles: actor.roles.filter((r) => r.scopeValue === entityId) });
      const refused = t.permissions.filter((perm: Permission) => !held.has(perm));
      if (refused.length)
        throw new ValidationError(`You cannot grant permissions you do not hold: ${refused.join(', ')}.`, {
          field: 'permissions',
        });
      const minted = mintToken();
      const now = p.clock.now();
      const row = {
        id: newId(),
        user_id: actor.userId!,
        name: t.name,
        token_hash: minted.hash,
        prefix: minted.prefix,
        entity_id: entityId,
        permissions_json: JSON.stringify(t.permissions),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + t.expiresInDays * 86400_000).toISOString(),
        last_used_at: null,
        revoked_at: null,
      };
      await p.db.transaction().execute(async (trx) => {
        await trx.insertInto('api_tokens').values(row).execute();
        await p.audit(trx, ctx, {
          action: 'token.create',
          objectType: 'api_token',
          objectId: row.id,
          onBehalfOf: entityId,
          after: { name: t.name, permissions: t.permissions, expiresAt: row.expires_at },
        });
      });
      return { token: minted.token, item: out(row) };
    },

    async revoke(ctx: RequestContext, id: string): Promise<void> {
      const actor = requirePermission(ctx, 'tokens.create');
      await p.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('api_tokens')
          .select(['id', 'entity_id'])
          .where('id', '=', id)
          .where('user_id', '=', actor.userId!)
          .executeTakeFirst();
        if (!row) throw new NotFoundError('token');
        await trx
          .updateTable('api_tokens')
          .set({ revoked_at: p.clock.now().toISOString() })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .execute();
        await p.audit(trx, ctx, {
          action: 'token.revoke',
          objectType: 'api_token',
          objectId: id,
          onBehalfOf: row.entity_id,
        });
      });
    },
  };
}

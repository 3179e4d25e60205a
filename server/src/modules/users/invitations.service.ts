import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { assertPasswordAcceptable } from '../../platform/auth/password-policy.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { permissionsOf, requirePermission } from '../../platform/access/permissions.ts';
import { tokenHash } from '../../platform/auth/sessions.ts';
import type { Actor, RequestContext, RoleAssignment } from '../../platform/context.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { onDuplicate } from '../../platform/duplicates.ts';
import { newId } from '../../platform/ids.ts';
import { PlainText } from '../../platform/plain-text.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  administeredEntities,
  insertAssignments,
  isAuthorityAdmin,
  mayGrant,
  resolveAssignments,
  RoleAssignmentInput,
} from './role-scope.ts';
import { visibleUsers } from './users.service.ts';
import type { InvitationOut } from './users.schemas.ts';

export const INVITATION_TTL_DAYS = 7;

export const InvitationInput = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  displayName: PlainText(120).pipe(z.string().min(1)).optional(),
  roles: z.array(RoleAssignmentInput).min(1).max(10),
});

type Row = {
  id: string;
  email: string;
  display_name: string | null;
  roles_json: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
};

/**
 * An inviter who cannot see the user list must not learn from the answer that an email has an
 * account: the invitation is recorded as usual, and the mail tells the address's owner instead.
 */
const alreadyHasAccount = (actor: Actor, email: string) => ({
  to: email,
  subject: 'An invitation to Qila',
  text: `${actor.label} invited this address to Qila, but it already has a Qila account, so there is nothing to accept.\n\nSign in as usual. If you need the role you were invited to, ask the person who invited you to ask the National Cyber Security Authority to add it to your account.`,
});

export function createInvitationService(p: Platform) {
  const invitationMail = (actor: Actor, email: string, token: string) => ({
    to: email,
    subject: 'You are invited to Qila',
    text: `${actor.label} invited you to Qila, the national cyber-security platform.\n\nTo accept, open this link within ${INVITATION_TTL_DAYS} days and choose a password:\n${p.config.publicUrl}/accept-invitation?token=${token}\n\nIf you did not expect this invitation, ignore this message.`,
  });

  /** Whether the caller could find this user in the user list anyway. */
  async function maySeeUser(actor: Actor, userId: string): Promise<boolean> {
    if (!permissionsOf(actor).has('users.read')) return false;
    const scope = visibleUsers(p.db, actor);
    let q = p.db.selectFrom('users').select('id').where('id', '=', userId);
    if (scope) q = q.where('id', 'in', scope);
    return Boolean(await q.executeTakeFirst());
  }

  const status = (r: Row, now: string): InvitationOut['status'] =>
    r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expires_at <= now ? 'expired' : 'pending';

  const out = (r: Row): InvitationOut => {
    const s = status(r, p.clock.now().toISOString());
    return {
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      roles: JSON.parse(r.roles_json) as RoleAssignment[],
      status: s,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      allowedActions: s === 'pending' ? ['revoke'] : [],
    };
  };

  /** Invitations an actor may see: all for Authority administrators; those for their entity otherwise. */
  const visible = (actor: Actor, r: Row) =>
    isAuthorityAdmin(actor) || mayGrant(actor, JSON.parse(r.roles_json) as RoleAssignment[]);

  async function findPending(token: string) {
    const r = await p.db
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!r || status(r, p.clock.now().toISOString()) !== 'pending') {
      throw new AppError(
        404,
        'invitation_invalid',
        'This invitation has expired, was withdrawn or was already used; ask for a new one.',
      );
    }
    return r;
  }

  return {
    async create(ctx: RequestContext, input: z.input<typeof InvitationInput>): Promise<InvitationOut> {
      const actor = requirePermission(ctx, 'invitations.create');
      const inv = InvitationInput.parse(input);
      const roles = await resolveAssignments(p, inv.roles);
      if (!mayGrant(actor, roles))
        throw new ForbiddenError('You can invite people only to roles you administer.');
      const existing = await p.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', inv.email)
        .executeTakeFirst();
      if (existing && (await maySeeUser(actor, existing.id)))
        throw new ConflictError(
          'email_taken',
          `${inv.email} already has an account; change its roles instead.`,
        );
      const token = randomBytes(32).toString('base64url');
      const now = p.clock.now();
      const row: Row = {
        id: newId(),
        email: inv.email,
        display_name: inv.displayName ?? null,
        roles_json: JSON.stringify(roles),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + INVITATION_TTL_DAYS * 86400_000).toISOString(),
        accepted_at: null,
        revoked_at: null,
      };
      await p.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('invitations')
          .values({ ...row, token_hash: tokenHash(token), invited_by: actor.userId ?? 'system' })
          .execute();
        await p.mailer.queue(
          trx,
          existing ? alreadyHasAccount(actor, inv.email) : invitationMail(actor, inv.email, token),
        );
        await p.audit(trx, ctx, {
          action: 'invitation.create',
          objectType: 'invitation',
          objectId: row.id,
          after: { email: inv.email, roles, ...(existing ? { existingAccount: true } : {}) },
        });
      });
      return out(row);
    },

    async list(ctx: RequestContext): Promise<InvitationOut[]> {
      const actor = requirePermission(ctx, 'invitations.create');
      let q = p.db.selectFrom('invitations').selectAll().orderBy('created_at', 'desc').limit(500);
      if (!isAuthorityAdmin(actor)) {
        const entities = administeredEntities(actor);
        // Narrow in SQL first; the role check below is exact.
        q = q.where((eb) =>
          eb.or((entities.length ? entities : ['-']).map((e) => eb('roles_json', 'like', `%${e}%`))),
        );
      }
      return (await q.execute()).filter((r) => visible(actor, r)).map(out);
    },

    async revoke(ctx: RequestContext, id: string): Promise<void> {
      const actor = requirePermission(ctx, 'invitations.create');
      const r = await p.db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r || !visible(actor, r)) throw new NotFoundError('invitation');
      if (status(r, p.clock.now().toISOString()) !== 'pending')
        throw new ConflictError('invitation_not_pending', 'Only a pending invitation can be withdrawn.');
      await p.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('invitations')
          .set({ revoked_at: p.clock.now().toISOString() })
          .where('id', '=', id)
          .execute();
        await p.audit(trx, ctx, { action: 'invitation.revoke', objectType: 'invitation', objectId: id });
      });
    },

    /** What the invitee sees before accepting (public: the token is the credential). */
    async preview(token: string): Promise<{
      email: string;
      displayName: string | null;
      invitedBy: string;
      roles: (RoleAssignment & { scopeName: string | null })[];
      expiresAt: string;
    }> {
      const r = await findPending(token);
      const inviter = await p.db
        .selectFrom('users')
        .select('display_name')
        .where('id', '=', r.invited_by)
        .executeTakeFirst();
      const roles = JSON.parse(r.roles_json) as RoleAssignment[];
      // The invitee cannot look entities up yet, so the invitation names them.
      const named = await Promise.all(
        roles.map(async (a) => ({
          ...a,
          scopeName:
            a.scopeKind === 'entity' && a.scopeValue
              ? ((
                  await p.db
                    .selectFrom('entities')
                    .select('name_en')
                    .where('id', '=', a.scopeValue)
                    .executeTakeFirst()
                )?.name_en ?? null)
              : null,
        })),
      );
      return {
        email: r.email,
        displayName: r.display_name,
        invitedBy: inviter?.display_name ?? 'The National Cyber Security Authority',
        roles: named,
        expiresAt: r.expires_at,
      };
    },

    /** Creates the account with the invited roles; the caller then signs the new user in. */
    async accept(
      ctx: RequestContext,
      input: { token: string; displayName: string; password: string },
    ): Promise<{ userId: string; email: string }> {
      const r = await findPending(input.token);
      assertPasswordAcceptable(input.password, p.commonPasswords, [
        r.email.split('@')[0]!,
        input.displayName,
      ]);
      const hash = await hashPassword(input.password);
      const roles = JSON.parse(r.roles_json) as RoleAssignment[];
      const userId = newId();
      const now = p.clock.now().toISOString();
      await p.db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('invitations')
          .set({ accepted_at: now })
          .where('id', '=', r.id)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1)
          throw new AppError(404, 'invitation_invalid', 'This invitation was already used.');
        if (await trx.selectFrom('users').select('id').where('email', '=', r.email).executeTakeFirst()) {
          throw new ConflictError('email_taken', `${r.email} already has an account; sign in instead.`);
        }
        await trx
          .insertInto('users')
          .values({
            id: userId,
            email: r.email,
            display_name: input.displayName,
            password_hash: hash,
            created_at: now,
            updated_at: now,
            password_changed_at: now,
          })
          .execute()
          .catch(onDuplicate(`${r.email} already has an account; sign in instead.`, 'email_taken'));
        await insertAssignments(trx, userId, roles, now);
        await p.audit(
          trx,
          { ...ctx, actor: { kind: 'user', userId, label: r.email, roles: [] } },
          {
            action: 'invitation.accept',
            objectType: 'user',
            objectId: userId,
            after: { email: r.email, roles, invitation: r.id },
          },
        );
      });
      return { userId, email: r.email };
    },
  };
}

import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { MAX_PASSWORD_LENGTH } from '../../platform/auth/password-policy.ts';
import { ROLES } from '../../platform/auth/roles.ts';
import { setSessionCookie } from '../../platform/http/cookies.ts';
import { PlainText } from '../../platform/plain-text.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { Me, RoleAssignmentOut } from '../auth/auth.schemas.ts';
import { InvitationInput } from './invitations.service.ts';
import { RoleAssignmentInput } from './role-scope.ts';
import { InvitationOut, UserOut } from './users.schemas.ts';

const IdParam = z.object({ id: z.uuid() });
const NoContent = { 204: z.null() };

export function userRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { users, invitations } = s.users;
  const { auth } = s.auth;

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Users the caller administers (all, or those of their entity)',
        querystring: z.object({
          q: z.string().trim().max(100).optional(),
          role: z.enum(ROLES).optional(),
          cursor: z.string().max(254).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        }),
        response: { 200: z.object({ items: z.array(UserOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => users.list(req.ctx, req.query),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'One user', params: IdParam, response: { 200: UserOut } } },
    async (req) => users.get(req.ctx, req.params.id),
  );

  app.put(
    '/api/users/:id/roles',
    {
      schema: {
        tags: ['users'],
        summary: "Replace a user's role assignments",
        params: IdParam,
        body: z.object({ roles: z.array(RoleAssignmentInput).max(20) }),
        response: { 200: UserOut },
      },
    },
    async (req) => users.setRoles(req.ctx, req.params.id, req.body.roles),
  );

  app.put(
    '/api/users/:id/status',
    {
      schema: {
        tags: ['users'],
        summary: 'Disable or re-enable an account (disabling ends its sessions)',
        params: IdParam,
        body: z.object({ status: z.enum(['active', 'disabled']) }),
        response: { 200: UserOut },
      },
    },
    async (req) => users.setStatus(req.ctx, req.params.id, req.body.status),
  );

  app.delete(
    '/api/users/:id/sessions',
    {
      schema: {
        tags: ['users'],
        summary: 'End every session of a user and revoke their API tokens',
        params: IdParam,
        response: NoContent,
      },
    },
    async (req, reply) => {
      await users.revokeSessions(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/invitations',
    {
      schema: {
        tags: ['users'],
        summary: 'Invitations the caller may see',
        response: { 200: z.object({ items: z.array(InvitationOut) }) },
      },
    },
    async (req) => ({ items: await invitations.list(req.ctx) }),
  );

  app.post(
    '/api/invitations',
    {
      schema: {
        tags: ['users'],
        summary:
          'Invite someone by email (the link expires after 7 days); says an email is taken only to someone who can see that account',
        body: InvitationInput,
        response: { 201: InvitationOut },
      },
    },
    async (req, reply) => reply.status(201).send(await invitations.create(req.ctx, req.body)),
  );

  app.delete(
    '/api/invitations/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Withdraw a pending invitation',
        params: IdParam,
        response: NoContent,
      },
    },
    async (req, reply) => {
      await invitations.revoke(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );

  const Token = z.object({ token: z.string().min(20).max(100) });
  app.get(
    '/api/invitations/preview',
    {
      schema: {
        tags: ['users'],
        summary: 'What an invitation offers (the token in the link is the credential)',
        querystring: Token,
        response: {
          200: z.object({
            email: z.string(),
            displayName: z.string().nullable(),
            invitedBy: z.string(),
            roles: z.array(RoleAssignmentOut.extend({ scopeName: z.string().nullable() })),
            expiresAt: z.string(),
          }),
        },
      },
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req) => invitations.preview(req.query.token),
  );

  app.post(
    '/api/invitations/accept',
    {
      schema: {
        tags: ['users'],
        summary: 'Accept an invitation: choose a name and password; signs the new user in',
        body: Token.extend({
          displayName: PlainText(120).pipe(z.string().min(1)),
          password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
        }),
        response: { 200: Me },
      },
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { userId, email } = await invitations.accept(req.ctx, req.body);
      const session = await auth.startSessionFor(
        req.ctx,
        userId,
        email,
        req.headers['user-agent'] ?? null,
        'invitation',
      );
      setSessionCookie(reply, p.config, session.token, session.expiresAt);
      return session.me;
    },
  );
}

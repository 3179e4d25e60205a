import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { MAX_PASSWORD_LENGTH } from '../../platform/auth/password-policy.ts';
import { clearSessionCookie, isSecureOrigin, setSessionCookie } from '../../platform/http/cookies.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { Me, MfaBody, MfaChallenge, SessionOut, SignInBody } from './auth.schemas.ts';
import { OIDC_COOKIE } from './oidc.service.ts';

const signInLimit = { max: 20, timeWindow: '1 minute' };
const NoContent = { 204: z.null() };

export function authRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { auth, mfa, passwords } = s.auth;

  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; users with two-factor authentication get a challenge',
        body: SignInBody,
        response: { 200: z.union([Me, MfaChallenge]) },
      },
      config: { public: true, rateLimit: signInLimit },
    },
    async (req, reply) => {
      const res = await auth.signIn(req.ctx, { ...req.body, userAgent: req.headers['user-agent'] ?? null });
      if (res.kind === 'mfa') return { mfaRequired: true as const, challenge: res.challenge };
      setSessionCookie(reply, p.config, res.token, res.expiresAt);
      return res.me;
    },
  );

  app.post(
    '/api/auth/sign-in/mfa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second step: a TOTP code or a recovery code',
        body: MfaBody,
        response: { 200: Me },
      },
      config: { public: true, rateLimit: signInLimit },
    },
    async (req, reply) => {
      const res = await auth.completeMfa(req.ctx, {
        ...req.body,
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookie(reply, p.config, res.token, res.expiresAt);
      return res.me;
    },
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags: ['auth'], summary: 'End this session', response: NoContent } },
    async (req, reply) => {
      await auth.signOut(req.ctx, req.sessionId);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/sign-out-everywhere',
    {
      schema: {
        tags: ['auth'],
        summary: 'End every session of this account, on every device, and revoke its API tokens',
        response: NoContent,
      },
    },
    async (req, reply) => {
      await auth.signOutEverywhere(req.ctx);
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their roles and permissions',
        response: { 200: Me },
      },
    },
    async (req) => auth.me(req.ctx, req.csrfToken),
  );

  app.get(
    '/api/auth/sessions',
    {
      schema: {
        tags: ['auth'],
        summary: "The signed-in user's active sessions",
        response: { 200: z.object({ items: z.array(SessionOut) }) },
      },
    },
    async (req) => ({ items: await auth.listSessions(req.ctx, req.sessionId) }),
  );

  app.delete(
    '/api/auth/sessions/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'End one of my sessions',
        params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await auth.revokeSession(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change my password',
        body: z.object({
          currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
          newPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
        }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await passwords.change(req.ctx, req.body, req.sessionId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Send a one-time password-reset link, voiding any older one (answers the same whether or not the account exists)',
        body: z.object({ email: z.string().trim().min(3).max(254) }),
        response: { 202: z.object({ status: z.literal('sent-if-known') }) },
      },
      config: { public: true, rateLimit: { max: 5, timeWindow: '15 minutes' } },
    },
    async (req, reply) => {
      await passwords.requestReset(req.ctx, req.body.email);
      return reply.status(202).send({ status: 'sent-if-known' as const });
    },
  );

  app.post(
    '/api/auth/password-reset/complete',
    {
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with a reset link; ends every session and revokes every API token',
        body: z.object({
          token: z.string().min(20).max(100),
          password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
        }),
        response: NoContent,
      },
      config: { public: true, rateLimit: signInLimit },
    },
    async (req, reply) => {
      await passwords.completeReset(req.ctx, req.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/mfa/enroll',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start two-factor set-up: a new TOTP secret for the authenticator app',
        response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) },
      },
    },
    async (req) => mfa.enroll(req.ctx),
  );

  app.post(
    '/api/auth/mfa/confirm',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Finish two-factor set-up with a code from the app; returns single-use recovery codes (shown once)',
        body: z.object({
          code: z
            .string()
            .trim()
            .regex(/^\d{6}$/, 'must be the 6-digit code'),
        }),
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) },
      },
    },
    async (req) => mfa.confirm(req.ctx, req.body.code),
  );

  app.post(
    '/api/auth/mfa/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor authentication off (needs the password)',
        body: z.object({ password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await mfa.disable(req.ctx, req.body.password);
      return reply.status(204).send(null);
    },
  );
}

export function oidcRoutes(app: AppInstance, p: Platform, s: Services): void {
  const { oidc } = s.auth;
  const flowCookie = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: isSecureOrigin(p.config),
    path: '/api/auth/oidc',
  };

  app.get(
    '/api/auth/oidc',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether single sign-on is available, and the label of its button',
        response: { 200: z.object({ enabled: z.boolean(), label: z.string().nullable() }) },
      },
      config: { public: true },
    },
    async () => oidc.status(),
  );

  app.get(
    '/api/auth/oidc/start',
    {
      schema: { tags: ['auth'], summary: 'Start single sign-on: redirects to the identity provider' },
      config: { public: true, rateLimit: signInLimit },
    },
    async (_req, reply) => {
      const { url, cookie } = await oidc.start();
      // Lax, not Strict: the browser must send it back on the provider's top-level redirect.
      reply.setCookie(OIDC_COOKIE, cookie, { ...flowCookie, maxAge: 600 });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Where the identity provider returns; signs in and redirects into the app',
        querystring: z
          .object({
            code: z.string().max(2000).optional(),
            state: z.string().max(500).optional(),
            error: z.string().max(200).optional(),
          })
          .passthrough(),
      },
      config: { public: true, rateLimit: signInLimit },
    },
    async (req, reply) => {
      const query = req.url.split('?')[1] ?? '';
      const outcome = await oidc.callback(
        req.ctx,
        query,
        req.cookies[OIDC_COOKIE],
        req.headers['user-agent'] ?? null,
      );
      reply.clearCookie(OIDC_COOKIE, { path: flowCookie.path });
      if (outcome.kind === 'signed-in') {
        setSessionCookie(reply, p.config, outcome.token, outcome.expiresAt);
        return reply.redirect('/', 302);
      }
      if (outcome.kind === 'mfa')
        return reply.redirect(`/sign-in?challenge=${encodeURIComponent(outcome.challenge)}`, 302);
      return reply.redirect(`/sign-in?error=${outcome.reason}`, 302);
    },
  );
}

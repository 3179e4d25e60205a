import { z } from 'zod';
import type { AppInstance } from '../../app.ts';
import { SESSION_COOKIE } from '../../platform/auth/sessions.ts';
import type { Platform } from '../../platform/platform.ts';
import { Me, SignInBody } from './auth.schemas.ts';
import { createAuthService } from './auth.service.ts';

export function authRoutes(app: AppInstance, p: Platform): void {
  const auth = createAuthService(p);
  const secure = !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(p.config.publicUrl);

  app.post(
    '/api/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: SignInBody,
        response: { 200: Me },
      },
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { token, expiresAt, me } = await auth.signIn(req.ctx, {
        ...req.body,
        userAgent: req.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        expires: expiresAt,
      });
      return me;
    },
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } } },
    async (req, reply) => {
      await auth.signOut(req.ctx, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
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
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.ts';
import { SESSION_COOKIE, type SessionStore } from '../auth/sessions.ts';
import type { TokenStore } from '../auth/tokens.ts';
import { sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Resolves the caller once per request into `req.ctx`. Cookie-authenticated writes must echo
 * the session's CSRF token in a header, which another site cannot read or set.
 */
export function registerRequestContext(
  app: FastifyInstance,
  sessions: SessionStore,
  tokens: TokenStore,
): void {
  app.decorateRequest('ctx', null as unknown as RequestContext);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    req.ctx = { actor: null, requestId: req.id, ip: req.ip };
    if (!req.url.startsWith('/api/')) return;
    // Machine clients: a bearer token, no cookie, so no CSRF exposure.
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const actor = await tokens.resolve(auth.slice('Bearer '.length).trim());
      if (!actor)
        return sendProblem(reply, req, 401, 'invalid_token', 'The API token is unknown, expired or revoked.');
      req.ctx = { actor, requestId: req.id, ip: req.ip };
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await sessions.resolve(token);
    if (!session) return;
    if (UNSAFE.has(req.method) && req.headers[CSRF_HEADER] !== session.csrfToken) {
      return sendProblem(
        reply,
        req,
        403,
        'csrf_failed',
        'The request is missing its CSRF token; reload the page and try again.',
      );
    }
    req.ctx = { actor: session.actor, requestId: req.id, ip: req.ip };
    req.sessionId = session.sessionId;
    req.csrfToken = session.csrfToken;
  });
}

import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';

/** True unless Qila is reached on localhost: then cookies are Secure and HSTS is sent. */
export const isSecureOrigin = (config: Config): boolean =>
  !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(config.publicUrl);

export function setSessionCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: isSecureOrigin(config),
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

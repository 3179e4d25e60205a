import * as client from 'openid-client';
import { secretBox } from '../../platform/auth/secret-box.ts';
import type { RequestContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuthService } from './auth.service.ts';
import { issueChallenge } from './mfa-challenge.ts';

export const OIDC_COOKIE = 'qila_oidc';
const FLOW_TTL_MS = 10 * 60 * 1000;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  exp: number;
}

export type OidcOutcome =
  | { kind: 'signed-in'; token: string; expiresAt: Date }
  | { kind: 'mfa'; challenge: string }
  | { kind: 'refused'; reason: 'sso_failed' | 'sso_no_account' | 'sso_email_unverified' };

/**
 * Single sign-on through an OpenID Connect provider (authorization code flow with PKCE, state
 * and nonce). The provider vouches for who the person is; Qila still decides what they may do:
 * only existing, active accounts sign in, with the roles they were given here.
 */
export function createOidcService(p: Platform, auth: AuthService) {
  const cfg = p.config.oidc;
  const box = secretBox(p.config.secretKey, 'qila-oidc-flow-v1');
  const redirectUri = `${p.config.publicUrl}/api/auth/oidc/callback`;
  let discovered: Promise<client.Configuration> | undefined;

  function configuration(): Promise<client.Configuration> {
    if (!cfg)
      throw new AppError(404, 'sso_not_configured', 'Single sign-on is not configured on this server.');
    // Plain http only for a provider on this machine (tests, local development).
    const insecure = /^http:\/\/(127\.0\.0\.1|localhost)(:|\/)/.test(cfg.issuer);
    discovered ??= client
      .discovery(
        new URL(cfg.issuer),
        cfg.clientId,
        cfg.clientSecret,
        undefined,
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  }

  return {
    status: () => ({ enabled: Boolean(cfg), label: cfg?.label ?? null }),

    /** Where to send the browser, and the sealed flow state to keep in a short-lived cookie. */
    async start(): Promise<{ url: string; cookie: string }> {
      const config = await configuration();
      const flow: Flow = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        exp: p.clock.now().getTime() + FLOW_TTL_MS,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: cfg!.scopes,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, cookie: box.seal(JSON.stringify(flow)) };
    },

    async callback(
      ctx: RequestContext,
      query: string,
      sealed: string | undefined,
      userAgent: string | null,
    ): Promise<OidcOutcome> {
      const config = await configuration();
      let flow: Flow;
      try {
        flow = JSON.parse(box.open(sealed ?? '')) as Flow;
        if (flow.exp < p.clock.now().getTime()) throw new Error('expired');
      } catch {
        return { kind: 'refused', reason: 'sso_failed' };
      }
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri}?${query}`), {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (err) {
        p.log.warn({ err }, 'single sign-on failed');
        return { kind: 'refused', reason: 'sso_failed' };
      }
      const email = typeof claims?.email === 'string' ? claims.email.toLowerCase() : null;
      if (!email) return { kind: 'refused', reason: 'sso_failed' };
      if (claims?.email_verified === false) return { kind: 'refused', reason: 'sso_email_unverified' };
      const user = await p.db
        .selectFrom('users')
        .select(['id', 'email', 'status', 'totp_enabled_at'])
        .where('email', '=', email)
        .executeTakeFirst();
      if (!user || user.status !== 'active') return { kind: 'refused', reason: 'sso_no_account' };
      // Qila's own second factor still applies to people who turned it on.
      if (user.totp_enabled_at)
        return { kind: 'mfa', challenge: issueChallenge(p.config.secretKey, user.id, p.clock.now()) };
      const session = await auth.startSessionFor(ctx, user.id, user.email, userAgent, 'oidc');
      return { kind: 'signed-in', token: session.token, expiresAt: session.expiresAt };
    },
  };
}

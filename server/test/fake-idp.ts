import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface IdpUser {
  sub: string;
  email: string;
  email_verified?: boolean;
}

/**
 * A minimal OpenID Connect provider on 127.0.0.1 for tests: discovery, JWKS, an authorization
 * endpoint that signs in `nextUser` at once, and a token endpoint that checks PKCE and the
 * client secret and returns a signed ID token.
 */
export async function startFakeIdp(client: { id: string; secret: string }) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string; user: IdpUser }>();
  const app: FastifyInstance = Fastify();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  // The issuer URL names the port, so the port is reserved first and routes read it lazily.
  let issuer = '';
  const state = {
    nextUser: { sub: 'u-1', email: 'someone@example.gov.pk', email_verified: true } as IdpUser,
  };

  app.get('/.well-known/openid-configuration', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  }));
  app.get('/jwks', async () => ({ keys: [jwk] }));
  app.get('/authorize', async (req, reply) => {
    const q = req.query as Record<string, string>;
    if (q.client_id !== client.id || q.code_challenge_method !== 'S256')
      return reply.status(400).send({ error: 'invalid_request' });
    const code = randomBytes(16).toString('hex');
    codes.set(code, {
      nonce: q.nonce!,
      challenge: q.code_challenge!,
      redirectUri: q.redirect_uri!,
      user: state.nextUser,
    });
    return reply.redirect(`${q.redirect_uri}?code=${code}&state=${encodeURIComponent(q.state!)}`, 302);
  });
  app.post('/token', async (req, reply) => {
    const body = req.body as Record<string, string>;
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':')
      .map(decodeURIComponent);
    const [id, secret] = basic.length === 2 ? basic : [body.client_id, body.client_secret];
    const grant = codes.get(body.code ?? '');
    codes.delete(body.code ?? '');
    const verifierOk =
      grant &&
      createHash('sha256')
        .update(body.code_verifier ?? '')
        .digest('base64url') === grant.challenge;
    if (
      id !== client.id ||
      secret !== client.secret ||
      !grant ||
      !verifierOk ||
      body.redirect_uri !== grant.redirectUri
    ) {
      return reply.status(400).send({ error: 'invalid_grant' });
    }
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      nonce: grant.nonce,
      email: grant.user.email,
      email_verified: grant.user.email_verified,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setSubject(grant.user.sub)
      .setAudience(client.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    return {
      access_token: randomBytes(16).toString('hex'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  issuer = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return { issuer, state, close: () => app.close() };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../platform/auth/totp.ts';
import { startFakeIdp } from '../../../test/fake-idp.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

describe('single sign-on through OpenID Connect', () => {
  let t: TestApp;
  let idp: Awaited<ReturnType<typeof startFakeIdp>>;
  beforeAll(async () => {
    idp = await startFakeIdp({ id: 'qila', secret: 'idp-test-secret' });
    t = await createTestApp({
      env: {
        QILA_OIDC_ISSUER: idp.issuer,
        QILA_OIDC_CLIENT_ID: 'qila',
        QILA_OIDC_CLIENT_SECRET: 'idp-test-secret',
        QILA_OIDC_LABEL: 'Pakistan Government ID',
      },
    });
    await t.signInAs({
      email: 'officer@punjab.gov.pk',
      displayName: 'Officer',
      roles: [{ role: 'provincial_officer', scopeKind: 'admin_unit', scopeValue: 'PK-PB' }],
    });
  });
  afterAll(async () => {
    await t.close();
    await idp.close();
  });

  /** Follows the browser's path: start -> provider -> callback, carrying the flow cookie. */
  async function ssoAs(email: string, verified = true) {
    idp.state.nextUser = { sub: email, email, email_verified: verified };
    const start = await t.app.inject('/api/auth/oidc/start');
    expect(start.statusCode).toBe(302);
    const flowCookie = String(start.headers['set-cookie']).split(';')[0]!;
    expect(String(start.headers['set-cookie'])).toMatch(/HttpOnly/);
    const atIdp = await fetch(start.headers.location!, { redirect: 'manual' });
    const back = new URL(atIdp.headers.get('location')!);
    return t.app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie: flowCookie } });
  }

  it('advertises itself to the sign-in page', async () => {
    expect((await t.app.inject('/api/auth/oidc')).json()).toEqual({
      enabled: true,
      label: 'Pakistan Government ID',
    });
  });

  it('signs in an existing account with the roles Qila gave it', async () => {
    const res = await ssoAs('Officer@Punjab.gov.pk');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = (res.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('qila_session='))!
      .split(';')[0]!;
    const me = (await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).json<{
      email: string;
      roles: { role: string }[];
    }>();
    expect(me).toMatchObject({ email: 'officer@punjab.gov.pk', roles: [{ role: 'provincial_officer' }] });
    const audit = await t.p.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'auth.sign_in')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.after_json).toContain('oidc');
  });

  it('does not create accounts: an unknown person is sent back to sign-in', async () => {
    const res = await ssoAs('stranger@gov.pk');
    expect(res.headers.location).toBe('/sign-in?error=sso_no_account');
    expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/qila_session=[^;]/);
  });

  it('refuses an unverified email and a callback without the flow cookie', async () => {
    expect((await ssoAs('officer@punjab.gov.pk', false)).headers.location).toBe(
      '/sign-in?error=sso_email_unverified',
    );
    const forged = await t.app.inject('/api/auth/oidc/callback?code=abc&state=xyz');
    expect(forged.headers.location).toBe('/sign-in?error=sso_failed');
  });

  it('still asks for Qila’s second factor when the person turned it on', async () => {
    const u = await t.p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'officer@punjab.gov.pk')
      .executeTakeFirstOrThrow();
    await t.p.db
      .updateTable('users')
      .set({
        totp_secret_enc: t.p.secrets.seal('JBSWY3DPEHPK3PXP'),
        totp_enabled_at: t.clock.now().toISOString(),
      })
      .where('id', '=', u.id)
      .execute();
    const res = await ssoAs('officer@punjab.gov.pk');
    const challenge = decodeURIComponent(/challenge=([^&]+)/.exec(res.headers.location!)![1]!);
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/mfa',
      payload: { challenge, code: totpAt('JBSWY3DPEHPK3PXP', t.clock.now()) },
    });
    expect(done.statusCode).toBe(200);
  });
});

describe('single sign-on not configured', () => {
  it('says so, and its routes answer a 404 problem', async () => {
    const t = await createTestApp();
    try {
      expect((await t.app.inject('/api/auth/oidc')).json()).toEqual({ enabled: false, label: null });
      const start = await t.app.inject('/api/auth/oidc/start');
      expect(start.statusCode).toBe(404);
      expect(start.json()).toMatchObject({ code: 'sso_not_configured' });
    } finally {
      await t.close();
    }
  });
});

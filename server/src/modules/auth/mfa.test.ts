import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../platform/auth/totp.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/harness.ts';

describe('two-factor authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const signIn = (email: string, password = TEST_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });

  it('enrols, then demands a code at sign-in; refuses a replayed code; accepts each recovery code once', async () => {
    const a = await t.signInAs({
      email: 'cert.lead@pkcert.gov',
      displayName: 'Lead',
      roles: [{ role: 'cert_analyst', scopeKind: 'national', scopeValue: null }],
    });
    const enroll = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enroll',
      headers: a.headers(true),
    });
    const { secret, otpauthUri } = enroll.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Qila%3Acert\.lead%40pkcert\.gov\?secret=/);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/confirm',
      headers: a.headers(true),
      payload: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/confirm',
      headers: a.headers(true),
      payload: { code: totpAt(secret, t.clock.now()) },
    });
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    const row = await t.p.db
      .selectFrom('users')
      .select(['totp_secret_enc'])
      .where('email', '=', 'cert.lead@pkcert.gov')
      .executeTakeFirstOrThrow();
    expect(row.totp_secret_enc).not.toContain(secret); // encrypted at rest

    // Password alone no longer signs in.
    const step1 = await signIn('cert.lead@pkcert.gov');
    expect(step1.headers['set-cookie']).toBeUndefined();
    const { challenge } = step1.json<{ mfaRequired: boolean; challenge: string }>();
    // The code used at enrolment is the same time step: a replay, refused.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/mfa',
      payload: { challenge, code: totpAt(secret, t.clock.now()) },
    });
    expect(replay.json()).toMatchObject({ code: 'invalid_mfa_code' });
    t.clock.advance(30_000);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/mfa',
      payload: { challenge, code: totpAt(secret, t.clock.now()) },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ email: 'cert.lead@pkcert.gov', totpEnabled: true });

    const c2 = (await signIn('cert.lead@pkcert.gov')).json<{ challenge: string }>().challenge;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in/mfa',
          payload: { challenge: c2, recoveryCode: recoveryCodes[0] },
        })
      ).statusCode,
    ).toBe(200);
    const c3 = (await signIn('cert.lead@pkcert.gov')).json<{ challenge: string }>().challenge;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in/mfa',
          payload: { challenge: c3, recoveryCode: recoveryCodes[0] },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('expires a challenge after five minutes and refuses a forged one', async () => {
    await t.signInAs({ email: 'slow@x.gov', displayName: 'S', roles: [] });
    const u = await t.p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'slow@x.gov')
      .executeTakeFirstOrThrow();
    await t.p.db
      .updateTable('users')
      .set({ totp_secret_enc: t.p.secrets.seal('JBSWY3DPEHPK3PXP'), totp_enabled_at: 'x' })
      .where('id', '=', u.id)
      .execute();
    const { challenge } = (await signIn('slow@x.gov')).json<{ challenge: string }>();
    const forged = `${challenge.split('.')[0]}.AAAA`;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in/mfa',
          payload: { challenge: forged, code: '123456' },
        })
      ).json(),
    ).toMatchObject({ code: 'mfa_challenge_expired' });
    t.clock.advance(6 * 60_000);
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/mfa',
      payload: { challenge, code: totpAt('JBSWY3DPEHPK3PXP', t.clock.now()) },
    });
    expect(late.json()).toMatchObject({ code: 'mfa_challenge_expired' });
  });
});

describe('two-factor required for Authority and CERT roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { QILA_MFA: 'required' } });
  });
  afterAll(() => t.close());

  it('lets an analyst without TOTP do nothing but enrol, then everything', async () => {
    const a = await t.signInAs({
      email: 'analyst@ncsa.gov',
      displayName: 'A',
      roles: [{ role: 'authority_analyst', scopeKind: 'national', scopeValue: null }],
    });
    const me = (await t.app.inject({ url: '/api/auth/me', headers: a.headers() })).json<{
      mfaEnrollmentRequired: boolean;
      permissions: string[];
    }>();
    expect(me).toMatchObject({ mfaEnrollmentRequired: true, permissions: [] });
    const blocked = await t.app.inject({ url: '/api/registry/overview', headers: a.headers() });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'mfa_enrollment_required' });
    const { secret } = (
      await t.app.inject({ method: 'POST', url: '/api/auth/mfa/enroll', headers: a.headers(true) })
    ).json<{ secret: string }>();
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/confirm',
      headers: a.headers(true),
      payload: { code: totpAt(secret, t.clock.now()) },
    });
    expect((await t.app.inject({ url: '/api/registry/overview', headers: a.headers() })).statusCode).toBe(
      200,
    );
  });

  it('does not require it of an entity member', async () => {
    const m = await t.signInAs({ email: 'member@x.pk', displayName: 'M', roles: [] });
    expect((await t.app.inject({ url: '/api/auth/me', headers: m.headers() })).json()).toMatchObject({
      mfaEnrollmentRequired: false,
    });
  });
});

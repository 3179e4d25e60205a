import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/harness.ts';

/** The reset link is only ever in the queued mail; read it from there like the user would. */
async function linkFromMail(t: TestApp, to: string): Promise<string> {
  const jobs = await t.p.db
    .selectFrom('jobs')
    .select('payload')
    .where('kind', '=', 'mail.send')
    .orderBy('created_at', 'desc')
    .execute();
  const mail = jobs
    .map((j) => JSON.parse(j.payload) as { to: string; text: string })
    .find((m) => m.to === to);
  const token = /reset-password\?token=([\w-]+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error('no reset mail');
  return token;
}

describe('passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses weak passwords when changing, naming the field', async () => {
    const a = await t.signInAs({ email: 'weak@x.gov', displayName: 'W', roles: [] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: a.headers(true),
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'Password2026!' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.password' }] });
    const wrongCurrent = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: a.headers(true),
      payload: { currentPassword: 'nope', newPassword: 'a far better passphrase' },
    });
    expect(wrongCurrent.json()).toMatchObject({ code: 'invalid_password' });
  });

  it('ends the other sessions when the password changes, keeping this one', async () => {
    const a = await t.signInAs({ email: 'changer@x.gov', displayName: 'C', roles: [] });
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'changer@x.gov', password: TEST_PASSWORD },
    });
    const otherCookie = String(other.headers['set-cookie']).split(';')[0]!;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: a.headers(true),
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'a calmer passphrase today' },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: a.headers() })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: otherCookie } })).statusCode).toBe(
      401,
    );
  });

  it('resets by a one-time link that ends every session', async () => {
    const a = await t.signInAs({ email: 'forgetful@x.gov', displayName: 'F', roles: [] });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'nobody@x.gov' },
    });
    const known = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'Forgetful@x.gov' },
    });
    // The same answer whether or not the account exists.
    expect([unknown.statusCode, unknown.body]).toEqual([known.statusCode, known.body]);
    const token = await linkFromMail(t, 'forgetful@x.gov');
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      payload: { token, password: 'a brand new passphrase here' },
    });
    expect(done.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: a.headers() })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: 'forgetful@x.gov', password: TEST_PASSWORD },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: 'forgetful@x.gov', password: 'a brand new passphrase here' },
        })
      ).statusCode,
    ).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      payload: { token, password: 'another new passphrase' },
    });
    expect(again.json()).toMatchObject({ code: 'reset_link_invalid' });
  });

  it('voids an older reset link when a newer one is sent', async () => {
    await t.signInAs({ email: 'twice@x.gov', displayName: 'T', roles: [] });
    const ask = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset',
        payload: { email: 'twice@x.gov' },
        remoteAddress: '10.1.1.2',
      });
    await ask();
    const older = await linkFromMail(t, 'twice@x.gov');
    t.clock.advance(1000);
    await ask();
    const newer = await linkFromMail(t, 'twice@x.gov');
    expect(newer).not.toBe(older);
    const complete = (token: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset/complete',
        payload: { token, password: 'a brand new passphrase here' },
      });
    expect((await complete(older)).json()).toMatchObject({ code: 'reset_link_invalid' });
    expect((await complete(newer)).statusCode).toBe(204);
  });

  it('lets the owner back in from a throttled source once the password is reset by email', async () => {
    await t.signInAs({ email: 'throttled@x.gov', displayName: 'T', roles: [] });
    const signIn = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: 'throttled@x.gov', password },
        remoteAddress: '10.1.1.3',
      });
    for (let i = 0; i < 6; i++) await signIn('not my password at all');
    expect((await signIn(TEST_PASSWORD)).statusCode).toBe(429);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'throttled@x.gov' },
      remoteAddress: '10.1.1.4',
    });
    const token = await linkFromMail(t, 'throttled@x.gov');
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      payload: { token, password: 'a brand new passphrase here' },
    });
    expect((await signIn('a brand new passphrase here')).statusCode).toBe(200);
  });

  it('expires a reset link after an hour', async () => {
    await t.signInAs({ email: 'late@x.gov', displayName: 'L', roles: [] });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'late@x.gov' },
      remoteAddress: '10.1.1.1',
    });
    const token = await linkFromMail(t, 'late@x.gov');
    t.clock.advance(61 * 60_000);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      payload: { token, password: 'a brand new passphrase here' },
    });
    expect(res.json()).toMatchObject({ code: 'reset_link_invalid' });
  });

  it('signs out everywhere', async () => {
    const a = await t.signInAs({ email: 'many@x.gov', displayName: 'M', roles: [] });
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'many@x.gov', password: TEST_PASSWORD },
    });
    const cookie2 = String(second.headers['set-cookie']).split(';')[0]!;
    const sessions = (await t.app.inject({ url: '/api/auth/sessions', headers: a.headers() })).json<{
      items: { current: boolean }[];
    }>();
    expect(sessions.items).toHaveLength(2);
    expect(sessions.items.filter((s) => s.current)).toHaveLength(1);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/sign-out-everywhere', headers: a.headers(true) }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: cookie2 } })).statusCode).toBe(401);
  });
});

describe('sign-in throttling and cookies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { QILA_PUBLIC_URL: 'https://qila.ncsa.gov.pk' } });
  });
  afterAll(() => t.close());

  it('holds under a scripted burst from one address', async () => {
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: `guess${i}@x.gov`, password: 'guess-guess-guess' },
          remoteAddress: '203.0.113.7',
        }),
      ),
    );
    const codes = burst.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(20);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
    const limited = burst.find((r) => r.statusCode === 429)!;
    expect(limited.headers['retry-after']).toBeDefined();
    // Another address is not affected.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { email: 'x@x.gov', password: 'guess-guess-guess' },
          remoteAddress: '203.0.113.8',
        })
      ).statusCode,
    ).toBe(401);
  });

  it('marks cookies Secure and sends HSTS outside localhost', async () => {
    await t.signInAs({ email: 'secure@x.gov', displayName: 'S', roles: [] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'secure@x.gov', password: TEST_PASSWORD },
      remoteAddress: '198.51.100.1',
    });
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });
});

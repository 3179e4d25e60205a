import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/harness.ts';

describe('sign-in and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs in, sets a safe cookie, and answers /me with roles and permissions', async () => {
    await t.signInAs({
      email: 'Analyst@Example.gov',
      displayName: 'An Analyst',
      roles: [{ role: 'authority_analyst', scopeKind: 'national', scopeValue: null }],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'analyst@example.gov', password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/qila_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: cookie.split(';')[0]! } });
    expect(me.json()).toMatchObject({ email: 'analyst@example.gov', roles: [{ role: 'authority_analyst' }] });
    expect(me.json<{ permissions: string[] }>().permissions).toContain('entities.read');
  });

  it('answers 401 without a session and with a wrong password, in the same words for an unknown account', async () => {
    expect((await t.app.inject('/api/auth/me')).statusCode).toBe(401);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'analyst@example.gov', password: 'not-the-password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'nobody@example.gov', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const a = await t.signInAs({
      email: 'csrf@example.gov',
      displayName: 'C',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const without = await t.app.inject({
      method: 'PUT',
      url: '/api/jurisdiction/holidays/2026-07-01',
      headers: a.headers(false),
      payload: { nameEn: 'X' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'csrf_failed' });
    const withToken = await t.app.inject({
      method: 'PUT',
      url: '/api/jurisdiction/holidays/2026-07-01',
      headers: a.headers(true),
      payload: { nameEn: 'X' },
    });
    expect(withToken.statusCode).toBe(200);
    const outOfRange = await t.app.inject({
      method: 'PUT',
      url: '/api/jurisdiction/holidays/1231-02-02',
      headers: a.headers(true),
      payload: { nameEn: 'X' },
    });
    expect(outOfRange.statusCode).toBe(400);
  });

  it('locks an account after repeated failures, even with the right password', async () => {
    await t.signInAs({ email: 'target@example.gov', displayName: 'T', roles: [] });
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: 'target@example.gov', password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password-123')).statusCode).toBe(401);
    const locked = await attempt(TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    t.clock.advance(16 * 60 * 1000);
    expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('expires an idle session', async () => {
    const a = await t.signInAs({ email: 'idle@example.gov', displayName: 'I', roles: [] });
    expect((await t.app.inject({ url: '/api/auth/me', headers: a.headers() })).statusCode).toBe(200);
    t.clock.advance(3 * 60 * 60 * 1000);
    expect((await t.app.inject({ url: '/api/auth/me', headers: a.headers() })).statusCode).toBe(401);
  });

  it('signs out: the session no longer works', async () => {
    const a = await t.signInAs({ email: 'leaver@example.gov', displayName: 'L', roles: [] });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: a.headers(true) }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: a.headers() })).statusCode).toBe(401);
  });
});

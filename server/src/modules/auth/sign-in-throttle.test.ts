import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceOf, THROTTLE } from '../../platform/auth/sign-in-throttle.ts';
import { newTotpSecret } from '../../platform/auth/totp.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/harness.ts';

/** A problem answer without what differs on every request. */
const same = (body: string) => {
  const { requestId: _, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
};

describe('sign-in throttling (decisions/0006)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const signIn = (email: string, password: string, from: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password },
      remoteAddress: from,
    });

  it('lets only five of 19 parallel wrong passwords be checked, and then refuses the right one from that source', async () => {
    await t.signInAs({ email: 'parallel@x.gov', displayName: 'P', roles: [] });
    const burst = await Promise.all(
      Array.from({ length: 19 }, () => signIn('parallel@x.gov', 'wrong-guess-wrong', '198.51.100.19')),
    );
    const codes = burst.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(THROTTLE.perSource);
    expect(codes.filter((c) => c === 429)).toHaveLength(19 - THROTTLE.perSource);
    const right = await signIn('parallel@x.gov', TEST_PASSWORD, '198.51.100.19');
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.headers['set-cookie']).toBeUndefined();
  });

  it("does not let a stranger's guesses stop the owner (an Authority administrator) from their usual source", async () => {
    await t.signInAs({
      email: 'chief@ncsa.gov',
      displayName: 'Chief',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    expect((await signIn('chief@ncsa.gov', TEST_PASSWORD, '10.20.0.1')).statusCode).toBe(200);
    // A stranger guesses from four addresses: beyond the account's free attempts, most are refused.
    const stranger: number[] = [];
    for (const from of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'])
      for (let i = 0; i < THROTTLE.perSource; i++)
        stranger.push((await signIn('chief@ncsa.gov', `guess number ${i}`, from)).statusCode);
    expect(stranger.every((c) => c === 401 || c === 429)).toBe(true);
    expect(stranger.filter((c) => c === 401).length).toBeLessThanOrEqual(THROTTLE.accountFree + 1);
    // The owner's usual source is not slowed; the same source as the stranger is.
    expect((await signIn('chief@ncsa.gov', TEST_PASSWORD, '10.20.0.1')).statusCode).toBe(200);
    expect((await signIn('chief@ncsa.gov', TEST_PASSWORD, '192.0.2.1')).statusCode).toBe(429);
    // From a new source the owner waits a step of the ladder, and is then let in.
    const fresh = await signIn('chief@ncsa.gov', TEST_PASSWORD, '10.30.0.9');
    expect(fresh.statusCode).toBe(429);
    t.clock.advance(Number(fresh.headers['retry-after']) * 1000);
    expect((await signIn('chief@ncsa.gov', TEST_PASSWORD, '10.30.0.9')).statusCode).toBe(200);
  });

  it('answers a known and an unknown email alike, wrong or locked', async () => {
    await t.signInAs({ email: 'known@x.gov', displayName: 'K', roles: [] });
    const known: { status: number; body: unknown; retry: unknown }[] = [];
    const unknown: typeof known = [];
    for (let i = 0; i <= THROTTLE.perSource; i++) {
      const k = await signIn('known@x.gov', 'not the password', '198.51.100.40');
      const u = await signIn('nobody-here@x.gov', 'not the password', '198.51.100.40');
      known.push({ status: k.statusCode, body: same(k.body), retry: k.headers['retry-after'] });
      unknown.push({ status: u.statusCode, body: same(u.body), retry: u.headers['retry-after'] });
    }
    expect(known).toEqual(unknown);
    expect(known.at(-1)!.status).toBe(429);
  });

  it('audits every failed sign-in, known account or not, with source and request id and no password', async () => {
    await t.signInAs({ email: 'audited@x.gov', displayName: 'A', roles: [] });
    const k = await signIn('audited@x.gov', 'secret-guess-one', '198.51.100.77');
    const u = await signIn('ghost@x.gov', 'secret-guess-two', '198.51.100.77');
    const rows = await t.p.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.sign_in_failed')
      .where('ip', '=', '198.51.100.77')
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.request_id)).toEqual([
      k.json<{ requestId: string }>().requestId,
      u.json<{ requestId: string }>().requestId,
    ]);
    expect(rows[0]!.object_id).not.toBeNull();
    expect(rows[1]!.object_id).toBeNull();
    expect(JSON.parse(rows[1]!.after_json!)).toEqual({ email: 'ghost@x.gov', reason: 'unknown_account' });
    expect(JSON.stringify(rows)).not.toMatch(/secret-guess/);
    // Throttled attempts are recorded too.
    for (let i = 0; i < THROTTLE.perSource; i++) await signIn('ghost@x.gov', 'secret-guess', '198.51.100.78');
    const throttled = await t.p.db
      .selectFrom('audit_log')
      .select(['after_json', 'request_id'])
      .where('action', '=', 'auth.sign_in_throttled')
      .where('ip', '=', '198.51.100.78')
      .execute();
    expect(throttled).toHaveLength(0);
    await signIn('ghost@x.gov', 'secret-guess', '198.51.100.78');
    expect(
      (
        await t.p.db
          .selectFrom('audit_log')
          .select('after_json')
          .where('action', '=', 'auth.sign_in_throttled')
          .where('ip', '=', '198.51.100.78')
          .execute()
      ).map((r) => JSON.parse(r.after_json!) as unknown),
    ).toEqual([{ email: 'ghost@x.gov', step: 'sign_in', limit: 'source' }]);
  });

  it('bounds parallel second-factor guesses the same way', async () => {
    await t.signInAs({ email: 'coded@x.gov', displayName: 'C', roles: [] });
    await t.p.db
      .updateTable('users')
      .set({
        totp_secret_enc: t.p.secrets.seal(newTotpSecret()),
        totp_enabled_at: t.clock.now().toISOString(),
      })
      .where('email', '=', 'coded@x.gov')
      .execute();
    const { challenge } = (await signIn('coded@x.gov', TEST_PASSWORD, '198.51.100.90')).json<{
      challenge: string;
    }>();
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-in/mfa',
          payload: { challenge, code: String(100000 + i) },
          remoteAddress: '198.51.100.90',
        }),
      ),
    );
    const codes = burst.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(THROTTLE.perSource);
    expect(codes.filter((c) => c === 429)).toHaveLength(12 - THROTTLE.perSource);
  });

  it('counts an IPv6 subscriber by its /64', () => {
    expect(sourceOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceOf('203.0.113.9')).toBe('203.0.113.9');
  });
});

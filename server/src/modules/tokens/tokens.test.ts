import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';

describe('API tokens for machine clients', () => {
  let t: TestApp;
  let ciso: Agent;
  let entityA: string;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 30 });
    entityA = (await t.p.db.selectFrom('entities').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    ciso = await t.signInAs({
      email: 'ciso@a.example',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entityA }],
    });
  });
  afterAll(() => t.close());

  const create = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/tokens', headers: ciso.headers(true), payload });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('is shown once, stored hashed, and acts only within its entity and permissions', async () => {
    const res = await create({ name: 'SIEM', permissions: ['entities.read'], expiresInDays: 30 });
    expect(res.statusCode).toBe(201);
    const { token, item } = res.json<{
      token: string;
      item: { id: string; prefix: string; status: string };
    }>();
    expect(token).toMatch(/^qila_/);
    expect(item).toMatchObject({ status: 'active', prefix: token.slice(0, 12) });
    const stored = await t.p.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await t.app.inject({ url: '/api/tokens', headers: ciso.headers() })).body).not.toContain(token);

    const entities = await t.app.inject({ url: '/api/entities', headers: bearer(token) });
    expect(entities.json<{ items: { id: string }[] }>().items.map((e) => e.id)).toEqual([entityA]);
    // Not granted to the token, though its owner holds them.
    expect((await t.app.inject({ url: '/api/notifications', headers: bearer(token) })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/mfa/enroll', headers: bearer(token) }))
        .statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/api/users', headers: bearer(token) })).statusCode).toBe(403);
    // No CSRF needed for a bearer token, but a token cannot mint tokens.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: bearer(token),
          payload: { name: 'x', permissions: ['entities.read'] },
        })
      ).statusCode,
    ).toBe(403);
    const used = await t.p.db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
  });

  it('refuses permissions its creator does not hold', async () => {
    const res = await create({ name: 'Too much', permissions: ['audit.read'] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/audit\.read/);
  });

  it('stops working when revoked or expired', async () => {
    const a = (await create({ name: 'Revoke me', permissions: ['entities.read'] })).json<{
      token: string;
      item: { id: string };
    }>();
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/tokens/${a.item.id}`, headers: ciso.headers(true) }))
        .statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/entities', headers: bearer(a.token) })).json()).toMatchObject({
      status: 401,
      code: 'invalid_token',
    });
    const b = (await create({ name: 'Short', permissions: ['entities.read'], expiresInDays: 1 })).json<{
      token: string;
    }>();
    t.clock.advance(2 * 86400_000);
    expect((await t.app.inject({ url: '/api/entities', headers: bearer(b.token) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/entities', headers: bearer('qila_forged') })).statusCode).toBe(
      401,
    );
  });
});

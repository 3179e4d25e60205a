import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { mintToken } from '../../platform/auth/tokens.ts';
import { newId } from '../../platform/ids.ts';
import { createTestApp, TEST_PASSWORD, type Agent, type TestApp } from '../../../test/harness.ts';

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

  /** A new session for an existing user (an earlier test moved the clock past the old one). */
  async function signInAgain(email: string): Promise<Agent> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: TEST_PASSWORD },
    });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    return { cookie, csrf, headers: (w = false) => ({ cookie, ...(w ? { 'x-csrf-token': csrf } : {}) }) };
  }

  /** A token written straight to the table, as one made before tokens were refused these permissions. */
  async function storedToken(ownerEmail: string, permissions: string[]): Promise<string> {
    const owner = await t.p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', ownerEmail)
      .executeTakeFirstOrThrow();
    const m = mintToken();
    const now = t.clock.now();
    await t.p.db
      .insertInto('api_tokens')
      .values({
        id: newId(),
        user_id: owner.id,
        name: 'Old',
        token_hash: m.hash,
        prefix: m.prefix,
        entity_id: entityA,
        permissions_json: JSON.stringify(permissions),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + 86400_000).toISOString(),
      })
      .execute();
    return m.token;
  }

  it('cannot be created to invite people, read users or make tokens', async () => {
    ciso = await signInAgain('ciso@a.example');
    for (const perm of ['invitations.create', 'users.read', 'tokens.create']) {
      const res = await create({ name: 'Too far', permissions: ['incidents.report', perm] });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.permissions' }] });
      expect(res.json<{ detail: string }>().detail).toContain(perm);
    }
  });

  it('never invites, reads users, or revokes tokens and invitations, even when granted before the rule', async () => {
    const token = await storedToken('ciso@a.example', [
      'invitations.create',
      'users.read',
      'tokens.create',
      'entities.read',
    ]);
    const invited = await t.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: bearer(token),
      payload: { email: 'new.admin@a.example', roles: [{ role: 'entity_admin', scopeValue: entityA }] },
    });
    expect(invited.statusCode).toBe(403);
    expect(
      await t.p.db
        .selectFrom('invitations')
        .select('id')
        .where('email', '=', 'new.admin@a.example')
        .execute(),
    ).toEqual([]);
    expect((await t.app.inject({ url: '/api/users', headers: bearer(token) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/invitations', headers: bearer(token) })).statusCode).toBe(403);

    // The owner's other token and a pending invitation survive the token's attempts.
    const other = (await create({ name: 'Keep me', permissions: ['entities.read'] })).json<{
      token: string;
      item: { id: string };
    }>();
    const invitation = (
      await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: ciso.headers(true),
        payload: { email: 'pending@a.example', roles: [{ role: 'entity_member', scopeValue: entityA }] },
      })
    ).json<{ id: string }>();
    const revokeToken = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${other.item.id}`,
      headers: bearer(token),
    });
    const revokeInvitation = await t.app.inject({
      method: 'DELETE',
      url: `/api/invitations/${invitation.id}`,
      headers: bearer(token),
    });
    expect([revokeToken.statusCode, revokeInvitation.statusCode]).toEqual([403, 403]);
    expect((await t.app.inject({ url: '/api/entities', headers: bearer(other.token) })).statusCode).toBe(200);
    const list = (await t.app.inject({ url: '/api/invitations', headers: ciso.headers() })).json<{
      items: { id: string; status: string }[];
    }>();
    expect(list.items.find((i) => i.id === invitation.id)?.status).toBe('pending');
  });

  it('stops when its owner signs out everywhere or resets the password', async () => {
    const ops = await t.signInAs({
      email: 'ops@a.example',
      displayName: 'Ops',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entityA }],
    });
    const mint = async (agent: Agent) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: agent.headers(true),
          payload: { name: 'SIEM', permissions: ['entities.read'] },
        })
      ).json<{ token: string }>().token;
    const works = async (token: string) =>
      (await t.app.inject({ url: '/api/entities', headers: bearer(token) })).statusCode;

    const first = await mint(ops);
    expect(await works(first)).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/sign-out-everywhere',
          headers: ops.headers(true),
        })
      ).statusCode,
    ).toBe(204);
    expect(await works(first)).toBe(401);

    const second = await mint(await signInAgain('ops@a.example'));
    expect(await works(second)).toBe(200);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'ops@a.example' },
    });
    const mail = (await t.p.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute())
      .map((j) => JSON.parse(j.payload) as { to: string; text: string })
      .filter((m) => m.to === 'ops@a.example')
      .at(-1);
    const reset = /reset-password\?token=([\w-]+)/.exec(mail!.text)![1]!;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/password-reset/complete',
          payload: { token: reset, password: 'a fresh passphrase for ops' },
        })
      ).statusCode,
    ).toBe(204);
    expect(await works(second)).toBe(401);
  });
});

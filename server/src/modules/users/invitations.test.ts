import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/demo.ts';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';

async function tokenFromMail(t: TestApp, to: string): Promise<string> {
  const jobs = await t.p.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute();
  const mail = jobs
    .map((j) => JSON.parse(j.payload) as { to: string; text: string })
    .find((m) => m.to === to);
  return /accept-invitation\?token=([\w-]+)/.exec(mail?.text ?? '')![1]!;
}

describe('invitations', () => {
  let t: TestApp;
  let admin: Agent;
  let entityA: string;
  let entityB: string;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 30 });
    const e = await t.p.db.selectFrom('entities').select('id').orderBy('id').limit(2).execute();
    entityA = e[0]!.id;
    entityB = e[1]!.id;
    admin = await t.signInAs({
      email: 'root@ncsa.gov',
      displayName: 'Root',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const invite = (a: Agent, email: string, role: string, scopeValue: string | null) =>
    t.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: a.headers(true),
      payload: { email, roles: [{ role, scopeValue }] },
    });

  it('invites an entity administrator who accepts, is signed in and sees only their entity', async () => {
    const res = await invite(admin, 'New.CISO@bank.example', 'entity_admin', entityA);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'new.ciso@bank.example',
      status: 'pending',
      allowedActions: ['revoke'],
    });
    const token = await tokenFromMail(t, 'new.ciso@bank.example');
    const preview = await t.app.inject({ url: `/api/invitations/preview?token=${token}` });
    expect(preview.json()).toMatchObject({
      email: 'new.ciso@bank.example',
      roles: [{ role: 'entity_admin', scopeValue: entityA }],
    });
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, displayName: 'Nadia', password: 'password2026' },
    });
    expect(weak.statusCode).toBe(400);
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, displayName: 'Nadia Rehman', password: 'tea in the margalla hills' },
    });
    expect(accepted.statusCode).toBe(200);
    const cookie = String(accepted.headers['set-cookie']).split(';')[0]!;
    const entities = (await t.app.inject({ url: '/api/entities', headers: { cookie } })).json<{
      items: { id: string }[];
    }>();
    expect(entities.items.map((e) => e.id)).toEqual([entityA]);
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, displayName: 'X', password: 'tea in the margalla hills' },
    });
    expect(reuse.statusCode).toBe(404);
    const audit = await t.p.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'invitation.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.create', 'invitation.accept']);
  });

  it('lets an entity administrator invite to their own entity only', async () => {
    const ea = await t.signInAs({
      email: 'ea@a.example',
      displayName: 'EA',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entityA }],
    });
    expect((await invite(ea, 'member@a.example', 'entity_member', entityA)).statusCode).toBe(201);
    expect((await invite(ea, 'member@b.example', 'entity_member', entityB)).statusCode).toBe(403);
    expect((await invite(ea, 'boss@a.example', 'authority_admin', null)).statusCode).toBe(403);
    const list = (await t.app.inject({ url: '/api/invitations', headers: ea.headers() })).json<{
      items: { email: string }[];
    }>();
    expect(list.items.map((i) => i.email)).toContain('member@a.example');
    expect(list.items.map((i) => i.email)).not.toContain('member@b.example');
  });

  it('refuses a scope that does not exist and an existing account', async () => {
    expect((await invite(admin, 'r@x.example', 'sector_regulator', 'no-such-sector')).json()).toMatchObject({
      code: 'validation_failed',
    });
    expect((await invite(admin, 'root@ncsa.gov', 'observer', null)).statusCode).toBe(409);
  });

  it('does not tell an entity administrator that an email outside their entity has an account', async () => {
    const ea = await t.signInAs({
      email: 'quiet@a.example',
      displayName: 'Quiet',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entityA }],
    });
    const shape = (r: Awaited<ReturnType<typeof invite>>) => {
      const {
        id: _,
        email: __,
        createdAt: ___,
        expiresAt: ____,
        ...rest
      } = r.json<Record<string, unknown>>();
      return [r.statusCode, rest];
    };
    const existing = await invite(ea, 'root@ncsa.gov', 'entity_member', entityA);
    const fresh = await invite(ea, 'someone.new@a.example', 'entity_member', entityA);
    expect(shape(existing)).toEqual(shape(fresh));
    expect(existing.statusCode).toBe(201);
    // The owner of the address is told instead, and gets no link that could make a second account.
    const mail = (await t.p.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute())
      .map((j) => JSON.parse(j.payload) as { to: string; text: string })
      .filter((m) => m.to === 'root@ncsa.gov');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toMatch(/already has a Qila account/);
    expect(mail[0]!.text).not.toMatch(/accept-invitation/);
    // Someone the entity administrator can already see in their user list is named as taken.
    expect((await invite(ea, 'ea@a.example', 'entity_member', entityA)).statusCode).toBe(409);
  });

  it('expires after seven days and can be withdrawn', async () => {
    const created = (await invite(admin, 'slow@x.example', 'observer', null)).json<{ id: string }>();
    const token = await tokenFromMail(t, 'slow@x.example');
    const withdrawn = (await invite(admin, 'gone@x.example', 'observer', null)).json<{ id: string }>();
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/invitations/${withdrawn.id}`,
          headers: admin.headers(true),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          url: `/api/invitations/preview?token=${await tokenFromMail(t, 'gone@x.example')}`,
        })
      ).statusCode,
    ).toBe(404);
    t.clock.advance(8 * 86400_000);
    expect((await t.app.inject({ url: `/api/invitations/preview?token=${token}` })).json()).toMatchObject({
      code: 'invitation_invalid',
    });
    // The admin's session ended meanwhile (12-hour limit): sign in again.
    const again = await t.signInAs({
      email: 'root2@ncsa.gov',
      displayName: 'Root',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const list = (await t.app.inject({ url: '/api/invitations', headers: again.headers() })).json<{
      items: { id: string; status: string }[];
    }>();
    expect(list.items.find((i) => i.id === created.id)?.status).toBe('expired');
  });
});

describe('user administration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('disables an account (ending its sessions), changes roles, and shows allowed actions', async () => {
    const admin = await t.signInAs({
      email: 'root@ncsa.gov',
      displayName: 'Root',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const bob = await t.signInAs({
      email: 'bob@x.gov',
      displayName: 'Bob',
      roles: [{ role: 'observer', scopeKind: 'national', scopeValue: null }],
    });
    const list = (await t.app.inject({ url: '/api/users?q=bob', headers: admin.headers() })).json<{
      items: { id: string; allowedActions: string[]; activeSessions: number }[];
    }>();
    const target = list.items[0]!;
    expect(target.allowedActions).toEqual(['editRoles', 'disable', 'revokeSessions']);
    expect(target.activeSessions).toBe(1);
    const roles = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${target.id}/roles`,
      headers: admin.headers(true),
      payload: { roles: [{ role: 'sector_regulator', scopeValue: 'energy' }] },
    });
    expect(roles.json()).toMatchObject({
      roles: [{ role: 'sector_regulator', scopeKind: 'sector', scopeValue: 'energy' }],
    });
    const disabled = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${target.id}/status`,
      headers: admin.headers(true),
      payload: { status: 'disabled' },
    });
    expect(disabled.json()).toMatchObject({
      status: 'disabled',
      activeSessions: 0,
      allowedActions: ['editRoles', 'enable', 'revokeSessions'],
    });
    expect((await t.app.inject({ url: '/api/auth/me', headers: bob.headers() })).statusCode).toBe(401);
    const me = (await t.app.inject({ url: '/api/users?q=root', headers: admin.headers() })).json<{
      items: { allowedActions: string[] }[];
    }>();
    expect(me.items[0]!.allowedActions).toEqual(['revokeSessions']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { expectAudited } from '../../../test/audited.ts';

describe('audit trail page and export', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signInAs({
      email: 'root@ncsa.gov',
      displayName: 'Root',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    for (const [date, name] of [
      ['2027-02-01', 'Plain day'],
      ['2027-02-02', '=HYPERLINK("http://evil.example","click")'],
      ['2027-02-03', '+cmd|calc'],
    ]) {
      await t.app.inject({
        method: 'PUT',
        url: `/api/jurisdiction/holidays/${date}`,
        headers: admin.headers(true),
        payload: { nameEn: name },
      });
    }
  });
  afterAll(() => t.close());

  it('filters by action family and object, newest first, with keyset paging', async () => {
    const all = (
      await t.app.inject({ url: '/api/audit?action=holiday.&limit=2', headers: admin.headers() })
    ).json<{ items: { seq: number; objectId: string; actorLabel: string }[]; nextBefore: number }>();
    expect(all.items.map((i) => i.objectId)).toEqual(['PK:2027-02-03', 'PK:2027-02-02']);
    expect(all.items[0]!.actorLabel).toBe('root@ncsa.gov');
    const next = (
      await t.app.inject({
        url: `/api/audit?action=holiday.&limit=2&before=${all.nextBefore}`,
        headers: admin.headers(),
      })
    ).json<{ items: { objectId: string }[]; nextBefore: number | null }>();
    expect(next.items.map((i) => i.objectId)).toEqual(['PK:2027-02-01']);
    expect(next.nextBefore).toBeNull();
    const one = (
      await t.app.inject({ url: '/api/audit?objectId=PK:2027-02-02', headers: admin.headers() })
    ).json<{ items: { after: { name_en: string } }[] }>();
    expect(one.items[0]!.after.name_en).toMatch(/^=HYPERLINK/);
  });

  it('exports CSV with formulas neutralised, and JSON that parses', async () => {
    const csv = await t.app.inject({
      url: '/api/audit/export?format=csv&action=holiday.',
      headers: admin.headers(),
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="qila-audit-/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^seq,at,actorLabel/);
    expect(lines).toHaveLength(4);
    // The JSON "after" cell starts with "{", not "=", but a cell that starts a formula would be prefixed.
    expect(csv.body).not.toMatch(/,=HYPERLINK/);
    const json = await t.app.inject({
      url: '/api/audit/export?format=json&action=holiday.',
      headers: admin.headers(),
    });
    expect(json.json<unknown[]>()).toHaveLength(3);
    await expectAudited(t, json, { action: 'export.audit_trail', objectType: 'audit_log', objectId: null });
    const exported = await t.p.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'export.audit_trail')
      .execute();
    expect(exported).toHaveLength(2);
  });

  it('is refused to callers without audit.read, as a problem', async () => {
    const obs = await t.signInAs({
      email: 'obs@x.gov',
      displayName: 'O',
      roles: [{ role: 'observer', scopeKind: 'national', scopeValue: null }],
    });
    const res = await t.app.inject({ url: '/api/audit/export?format=csv', headers: obs.headers() });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

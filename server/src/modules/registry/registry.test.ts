import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { loadDemo } from '../../demo/demo.ts';

interface Page {
  items: { id: string; sector: string; adminUnit: string }[];
  nextCursor: string | null;
}

describe('registry scope', () => {
  let t: TestApp;
  let national: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 300 });
    national = await t.signInAs({
      email: 'n@x.gov',
      displayName: 'N',
      roles: [{ role: 'authority_analyst', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const list = async (a: Agent, qs = '') =>
    (await t.app.inject({ url: `/api/entities?limit=200${qs}`, headers: a.headers() })).json<Page>();

  it('pages through every entity with a stable cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Page = await list(national, cursor ? `&cursor=${cursor}` : '');
      page.items.forEach((i) => seen.add(i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(300);
  });

  it('shows a sector regulator only their sector', async () => {
    const reg = await t.signInAs({
      email: 'r@x.gov',
      displayName: 'R',
      roles: [{ role: 'sector_regulator', scopeKind: 'sector', scopeValue: 'telecom' }],
    });
    const page = await list(reg);
    expect(page.items.length).toBeGreaterThan(0);
    expect(new Set(page.items.map((i) => i.sector))).toEqual(new Set(['telecom']));
    // Asking for another sector yields nothing rather than leaking it.
    expect((await list(reg, '&sector=finance')).items).toHaveLength(0);
  });

  it('shows a provincial officer only their province, and counts only it', async () => {
    const officer = await t.signInAs({
      email: 'p@x.gov',
      displayName: 'P',
      roles: [{ role: 'provincial_officer', scopeKind: 'admin_unit', scopeValue: 'PK-SD' }],
    });
    expect(new Set((await list(officer)).items.map((i) => i.adminUnit))).toEqual(new Set(['PK-SD']));
    const overview = (
      await t.app.inject({ url: '/api/registry/overview', headers: officer.headers() })
    ).json<{ byAdminUnit: { key: string }[] }>();
    expect(overview.byAdminUnit.map((r) => r.key)).toEqual(['PK-SD']);
  });

  it('gives an observer national counts but never entity identities', async () => {
    const obs = await t.signInAs({
      email: 'o@x.gov',
      displayName: 'O',
      roles: [{ role: 'observer', scopeKind: 'national', scopeValue: null }],
    });
    const overview = await t.app.inject({ url: '/api/registry/overview', headers: obs.headers() });
    expect(overview.json<{ total: number }>().total).toBe(300);
    expect((await t.app.inject({ url: '/api/entities', headers: obs.headers() })).statusCode).toBe(403);
  });

  it('rejects a forged cursor with a 400 problem', async () => {
    const res = await t.app.inject({ url: '/api/entities?cursor=not-a-cursor', headers: national.headers() });
    expect(res.statusCode).toBe(400);
  });

  it('treats search text as data, not SQL or wildcards', async () => {
    expect((await list(national, `&q=${encodeURIComponent("' or 1=1 --")}`)).items).toHaveLength(0);
    expect((await list(national, '&q=%25')).items).toHaveLength(0);
    const one = (await list(national)).items[0]!;
    const byName = await list(
      national,
      `&q=${encodeURIComponent((one as unknown as { nameEn: string }).nameEn.slice(0, 12))}`,
    );
    expect(byName.items.map((i) => i.id)).toContain(one.id);
  });
});

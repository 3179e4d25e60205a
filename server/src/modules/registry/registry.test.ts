import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { loadDemo } from '../../demo/demo.ts';
import { rebuildCounts } from './registry.counts.ts';

interface Item {
  id: string;
  sector: string;
  subsector: string;
  adminUnit: string;
  regulator: string;
  ciiTier: number | null;
  kind: string;
  nameEn: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

describe('registry', () => {
  let t: TestApp;
  let national: Agent;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 400 });
    national = await t.signInAs({
      email: 'n@x.gov',
      displayName: 'N',
      roles: [{ role: 'authority_analyst', scopeKind: 'national', scopeValue: null }],
    });
    admin = await t.signInAs({
      email: 'a@x.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const list = async (a: Agent, qs = '') =>
    (await t.app.inject({ url: `/api/entities?limit=200${qs}`, headers: a.headers() })).json<Page>();
  const all = async (a: Agent, qs = '') => {
    const out: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(a, `${qs}${cursor ? `&cursor=${cursor}` : ''}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };

  it('pages through every entity with a stable cursor', async () => {
    expect(new Set((await all(national)).map((i) => i.id)).size).toBe(400);
  });

  it('combines filters by sector, subsector, province, regulator, tier and kind', async () => {
    const everything = await all(national);
    const sample = everything.find((e) => e.ciiTier !== null)!;
    const qs = `&sector=${sample.sector}&subsector=${sample.subsector}&adminUnit=${sample.adminUnit}&regulator=${sample.regulator}&tier=${sample.ciiTier}&kind=${sample.kind}`;
    const got = await all(national, qs);
    const expected = everything.filter(
      (e) =>
        e.sector === sample.sector &&
        e.subsector === sample.subsector &&
        e.adminUnit === sample.adminUnit &&
        e.regulator === sample.regulator &&
        e.ciiTier === sample.ciiTier &&
        e.kind === sample.kind,
    );
    expect(got.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(got.length).toBeGreaterThan(0);
    const untiered = await all(national, '&tier=none');
    expect(untiered.every((e) => e.ciiTier === null)).toBe(true);
  });

  it('shows a sector regulator only their sector, in lists, counts and single records', async () => {
    const reg = await t.signInAs({
      email: 'r@x.gov',
      displayName: 'R',
      roles: [{ role: 'sector_regulator', scopeKind: 'sector', scopeValue: 'telecom' }],
    });
    const mine = await all(reg);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((i) => i.sector))).toEqual(new Set(['telecom']));
    expect(await all(reg, '&sector=finance')).toHaveLength(0);
    const overview = (await t.app.inject({ url: '/api/registry/overview', headers: reg.headers() })).json<{
      total: number;
      bySector: { key: string }[];
    }>();
    expect(overview.total).toBe(mine.length);
    expect(overview.bySector.map((s) => s.key)).toEqual(['telecom']);
    const finance = (await all(national, '&sector=finance'))[0]!;
    expect(
      (await t.app.inject({ url: `/api/entities/${finance.id}`, headers: reg.headers() })).statusCode,
    ).toBe(404);
  });

  it('gives an observer national counts but never entity identities', async () => {
    const obs = await t.signInAs({
      email: 'o@x.gov',
      displayName: 'O',
      roles: [{ role: 'observer', scopeKind: 'national', scopeValue: null }],
    });
    expect(
      (await t.app.inject({ url: '/api/registry/overview', headers: obs.headers() })).json<{
        total: number;
      }>().total,
    ).toBe(400);
    expect((await t.app.inject({ url: '/api/entities', headers: obs.headers() })).statusCode).toBe(403);
  });

  it('keeps the incrementally maintained counts equal to a full recount', async () => {
    const fromCube = (
      await t.app.inject({ url: '/api/registry/overview', headers: national.headers() })
    ).json<unknown>();
    const filtered = (
      await t.app.inject({ url: '/api/registry/overview?q=a', headers: national.headers() })
    ).json<{ total: number }>();
    expect(filtered.total).toBeLessThanOrEqual(400);
    await t.p.db.transaction().execute((trx) => rebuildCounts(trx));
    expect(
      (await t.app.inject({ url: '/api/registry/overview', headers: national.headers() })).json(),
    ).toEqual(fromCube);
  });

  it('rejects a forged cursor and treats search text as data', async () => {
    expect(
      (await t.app.inject({ url: '/api/entities?cursor=not-a-cursor', headers: national.headers() }))
        .statusCode,
    ).toBe(400);
    expect((await list(national, `&q=${encodeURIComponent("' or 1=1 --")}`)).items).toHaveLength(0);
    expect((await list(national, '&q=%25')).items).toHaveLength(0);
    const one = (await list(national)).items[0]!;
    expect(
      (await list(national, `&q=${encodeURIComponent(one.nameEn.slice(0, 12))}`)).items.map((i) => i.id),
    ).toContain(one.id);
  });

  it('creates, edits with optimistic concurrency, and keeps counts in step', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: admin.headers(true),
      payload: {
        registrationNo: 'PK-TEL-NEW-1',
        nameEn: 'Ravi Fibre Networks',
        kind: 'cii_operator',
        sector: 'telecom',
        subsector: 'telecom.fixed',
        adminUnit: 'PK-SD',
        size: 'large',
        annualTurnover: 9_000_000_000,
      },
    });
    expect(created.statusCode).toBe(201);
    const e = created.json<{
      id: string;
      version: number;
      regulator: string;
      allowedActions: string[];
      designationHistory: unknown[];
    }>();
    expect(e.regulator).toBe('PTA');
    expect(e.allowedActions).toEqual(['edit', 'editContacts', 'editAssets', 'grade']);
    expect(e.designationHistory).toHaveLength(1);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: admin.headers(true),
      payload: {
        registrationNo: 'PK-TEL-NEW-1',
        nameEn: 'X',
        kind: 'cii_operator',
        sector: 'telecom',
        subsector: 'telecom.fixed',
        adminUnit: 'PK-SD',
        size: 'large',
      },
    });
    expect(dup.statusCode).toBe(409);
    const wrongSub = await t.app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: admin.headers(true),
      payload: {
        registrationNo: 'PK-X',
        nameEn: 'X',
        kind: 'cii_operator',
        sector: 'telecom',
        subsector: 'finance.banking',
        adminUnit: 'PK-SD',
        size: 'large',
      },
    });
    expect(wrongSub.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body.subsector' }],
    });

    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/entities/${e.id}`,
      headers: admin.headers(true),
      payload: { version: e.version, sector: 'energy', subsector: 'energy.electricity-distribution' },
    });
    expect(moved.json()).toMatchObject({ sector: 'energy', regulator: 'NEPRA', version: e.version + 1 });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/entities/${e.id}`,
      headers: admin.headers(true),
      payload: { version: e.version, nameEn: 'Lost update' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict' });
    const cube = await t.p.db
      .selectFrom('entity_counts')
      .select(sql<number>`sum(n)`.as('n'))
      .where('sector', '=', 'energy')
      .executeTakeFirstOrThrow();
    const real = await t.p.db
      .selectFrom('entities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sector', '=', 'energy')
      .executeTakeFirstOrThrow();
    expect(Number(cube.n)).toBe(Number(real.n));
  });

  it('lets an entity administrator keep contacts and assets current, and routes designation changes to the Authority', async () => {
    const target = (await list(national, '&sector=health')).items[0]!;
    const ea = await t.signInAs({
      email: 'ea@h.example',
      displayName: 'EA',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: target.id }],
    });
    const detail = (await t.app.inject({ url: `/api/entities/${target.id}`, headers: ea.headers() })).json<{
      version: number;
      allowedActions: string[];
      contacts: unknown[];
      size: string;
    }>();
    expect(detail.allowedActions).toEqual(['editContacts', 'editAssets', 'requestChange']);
    expect(detail.contacts).toHaveLength(3);
    const contacts = await t.app.inject({
      method: 'PUT',
      url: `/api/entities/${target.id}/contacts`,
      headers: ea.headers(true),
      payload: {
        contacts: [
          { kind: 'incident_24x7', name: 'SOC', email: 'soc@h.example', phone: '+92 51 1234567' },
          { kind: 'ciso', name: 'Dr Amna', email: 'amna@h.example' },
        ],
      },
    });
    expect(contacts.statusCode).toBe(204);
    const badAsset = await t.app.inject({
      method: 'POST',
      url: `/api/entities/${target.id}/assets`,
      headers: ea.headers(true),
      payload: { kind: 'ip_range', value: 'not-an-ip' },
    });
    expect(badAsset.statusCode).toBe(400);
    const asset = await t.app.inject({
      method: 'POST',
      url: `/api/entities/${target.id}/assets`,
      headers: ea.headers(true),
      payload: { kind: 'ip_range', value: '203.0.113.0/24', note: 'DMZ' },
    });
    expect(asset.statusCode).toBe(201);

    const newSize = detail.size === 'large' ? 'medium' : 'large';
    const req = await t.app.inject({
      method: 'PATCH',
      url: `/api/entities/${target.id}`,
      headers: ea.headers(true),
      payload: {
        version: detail.version,
        size: newSize,
        website: 'https://new.h.example',
        reason: 'We merged with a sister hospital.',
      },
    });
    const after = req.json<{
      size: string;
      website: string;
      pendingChanges: { id: string; changes: object }[];
    }>();
    expect(after.website).toBe('https://new.h.example');
    expect(after.size).toBe(detail.size);
    expect(after.pendingChanges).toHaveLength(1);
    expect(after.pendingChanges[0]!.changes).toEqual({ size: newSize });

    const queue = (
      await t.app.inject({ url: '/api/registry/change-requests', headers: admin.headers() })
    ).json<{ items: { id: string; allowedActions: string[] }[] }>();
    const cr = queue.items.find((i) => i.id === after.pendingChanges[0]!.id)!;
    expect(cr.allowedActions).toEqual(['approve', 'reject']);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/registry/change-requests/${cr.id}/decision`,
          headers: ea.headers(true),
          payload: { decision: 'approve' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/registry/change-requests/${cr.id}/decision`,
          headers: admin.headers(true),
          payload: { decision: 'approve', note: 'Confirmed with the merger filing.' },
        })
      ).statusCode,
    ).toBe(204);
    const final = (await t.app.inject({ url: `/api/entities/${target.id}`, headers: ea.headers() })).json<{
      size: string;
      pendingChanges: unknown[];
    }>();
    expect(final).toMatchObject({ size: newSize, pendingChanges: [] });
  });

  it('grades an entity, keeps the history and reads back the designation in force on a past date', async () => {
    const e = (await list(national, '&sector=energy&tier=none')).items[0]!;
    t.clock.set('2026-03-01T09:00:00Z');
    const march = await t.signInAs({
      email: 'a1@x.gov',
      displayName: 'A1',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const g1 = await t.app.inject({
      method: 'POST',
      url: `/api/entities/${e.id}/grading`,
      headers: march.headers(true),
      payload: {
        answers: {
          population: '100k_1m',
          economy: 'regional',
          security: 'limited',
          dependence: 'one',
          substitutability: 'days',
        },
      },
    });
    expect(g1.json()).toMatchObject({ tier: 3, score: 42.5 });
    t.clock.set('2026-09-01T09:00:00Z');
    const relogin = await t.signInAs({
      email: 'a2@x.gov',
      displayName: 'A2',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const g2 = await t.app.inject({
      method: 'POST',
      url: `/api/entities/${e.id}/grading`,
      headers: relogin.headers(true),
      payload: {
        answers: {
          population: 'over_10m',
          economy: 'national',
          security: 'significant',
          dependence: 'several',
          substitutability: 'weeks',
        },
      },
    });
    expect(g2.json<{ explanation: string }>().explanation).toMatch(/Deciding criteria: Population served/);
    const at = async (d: string) =>
      (
        await t.app.inject({ url: `/api/entities/${e.id}/designation?at=${d}`, headers: relogin.headers() })
      ).json<{ ciiTier: number | null }>();
    expect((await at('2026-02-01')).ciiTier).toBeNull();
    expect((await at('2026-05-01')).ciiTier).toBe(3);
    expect((await at('2026-10-01')).ciiTier).toBe(1);
    const detail = (await t.app.inject({ url: `/api/entities/${e.id}`, headers: relogin.headers() })).json<{
      ciiTier: number;
      designation: string;
      designationHistory: unknown[];
    }>();
    expect(detail).toMatchObject({ ciiTier: 1, designation: 'essential' });
    expect(detail.designationHistory).toHaveLength(3);
    const incomplete = await t.app.inject({
      method: 'POST',
      url: `/api/entities/${e.id}/grading`,
      headers: relogin.headers(true),
      payload: { answers: { population: 'over_10m' } },
    });
    expect(incomplete.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body.answers.economy' }],
    });
  });
});

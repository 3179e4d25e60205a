import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { recoverCounts, type SeenCell, type SeenRelation } from '../disclosure-attacker.ts';
import { createTestApp, type Agent, type TestApp } from '../harness.ts';

/**
 * The attacker against the compliance map and the registry counts. The map's row totals are
 * public (the registry gives each unit's and sector's entity count) and its status totals follow
 * from either margin, so the attacker is handed both; no hidden cell may come out.
 */

const STATUSES = ['compliant', 'at_risk', 'non_compliant'] as const;
type Status = (typeof STATUSES)[number];
type Row = { key: string; suppressed: boolean; reason: string | null } & Record<Status, number | null>;
interface ComplianceMap {
  disclosure: { applied: boolean; minCohort: number };
  totals: Record<Status, number> | null;
  byAdminUnit: Row[];
  bySector: Row[];
}
interface Listed {
  key: string;
  count: number | null;
  suppressed: boolean;
  reason: 'below_cohort' | 'complementary' | null;
}
interface Overview {
  disclosure: { applied: boolean; minCohort: number };
  total: number | null;
  totalReason: 'below_cohort' | 'complementary' | null;
  bySector: Listed[];
  byAdminUnit: Listed[];
  byTier: Listed[];
}

describe('disclosure control of the compliance map and the registry counts', () => {
  let t: TestApp;
  let observer: Agent;
  let regulator: Agent;
  let analyst: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 150 });
    const as = (email: string, role: string, scopeKind: string, scopeValue: string | null) =>
      t.signInAs({ email, displayName: email, roles: [{ role, scopeKind, scopeValue } as never] });
    observer = await as('observer@ncsa.pk', 'observer', 'national', null);
    regulator = await as('reg@pta.pk', 'sector_regulator', 'sector', 'telecom');
    analyst = await as('analyst@ncsa.pk', 'authority_analyst', 'national', null);
    // The review's cases: a unit of exactly 5 entities, all compliant (5 + 0 + 0 gave it away),
    // and a unit with one non-compliant entity.
    const set = async (unit: string, counts: Partial<Record<Status, number>>) => {
      await t.p.db.deleteFrom('compliance_counts').where('admin_unit', '=', unit).execute();
      for (const [status, n] of Object.entries(counts))
        await t.p.db
          .insertInto('compliance_counts')
          .values({ sector: 'telecom', admin_unit: unit, status, n })
          .execute();
    };
    await set('PK-GB', { compliant: 5 });
    await set('PK-IS', { compliant: 7, at_risk: 5, non_compliant: 1 });
    // Two large mixed units, which there is no reason to hide.
    await set('PK-PB', { compliant: 40, at_risk: 12, non_compliant: 9 });
    await set('PK-SD', { compliant: 30, at_risk: 8, non_compliant: 6 });
  }, 240_000); // the demo load is slow on a busy machine
  afterAll(() => t.close());

  const get = async <T>(a: Agent, url: string) => {
    const res = await t.app.inject({ url, headers: a.headers() });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  /** The true row totals, as the registry publishes them to someone exempt. */
  const rowTotals = async (sector?: string) => {
    let q = t.p.db.selectFrom('compliance_counts').select(['sector', 'admin_unit', 'n']);
    if (sector) q = q.where('sector', '=', sector);
    const units = new Map<string, number>();
    const sectors = new Map<string, number>();
    for (const r of await q.execute()) {
      units.set(r.admin_unit, (units.get(r.admin_unit) ?? 0) + Number(r.n));
      sectors.set(r.sector, (sectors.get(r.sector) ?? 0) + Number(r.n));
    }
    return { units, sectors };
  };

  const expectMapSafe = async (map: ComplianceMap, sector?: string) => {
    expect(map.disclosure.applied).toBe(true);
    const known = await rowTotals(sector);
    const cells: Record<string, SeenCell> = {};
    const relations: SeenRelation[] = [];
    const side = (tag: string, rows: Row[], totals: Map<string, number>) => {
      for (const r of rows) {
        if (r.suppressed) expect(STATUSES.map((s) => r[s])).toEqual([null, null, null]);
        else expect(STATUSES.every((s) => r[s] === 0 || r[s]! >= map.disclosure.minCohort)).toBe(true);
        const terms = STATUSES.map((s) => `${tag}:${r.key}|${s}`);
        STATUSES.forEach((s, i) => (cells[terms[i]!] = { n: r[s], reason: null }));
        cells[`${tag}-total:${r.key}`] = { n: totals.get(r.key)! };
        relations.push({ terms, total: `${tag}-total:${r.key}` });
      }
      for (const s of STATUSES)
        relations.push({ terms: rows.map((r) => `${tag}:${r.key}|${s}`), total: `t:${s}` });
    };
    side('u', map.byAdminUnit, known.units);
    side('s', map.bySector, known.sectors);
    for (const s of STATUSES) cells[`t:${s}`] = { n: map.totals?.[s] ?? null, reason: null };
    cells.all = { n: [...known.units.values()].reduce((a, b) => a + b, 0) };
    relations.push({ terms: STATUSES.map((s) => `t:${s}`), total: 'all' });
    const recovered = recoverCounts(cells, relations, map.disclosure.minCohort);
    // The status totals are derivable by design; every hidden row cell must stay hidden.
    for (const s of STATUSES) recovered.delete(`t:${s}`);
    expect(recovered).toEqual(new Map());
  };

  it('hides the unit of five all-compliant entities and the one non-compliant one from an observer', async () => {
    const map = await get<ComplianceMap>(observer, '/api/supervision/national');
    const unit = (k: string) => map.byAdminUnit.find((r) => r.key === k)!;
    expect(unit('PK-GB')).toMatchObject({ suppressed: true, compliant: null, reason: 'whole_row' });
    expect(unit('PK-IS')).toMatchObject({ suppressed: true, non_compliant: null });
    expect(map.byAdminUnit.filter((r) => !r.suppressed).length).toBeGreaterThan(0);
    await expectMapSafe(map);
  });

  it('gives the telecom regulator the same protection on their sector', async () => {
    const map = await get<ComplianceMap>(regulator, '/api/supervision/national');
    expect(map.bySector.map((r) => r.key)).toEqual(['telecom']);
    expect(map.byAdminUnit.find((r) => r.key === 'PK-GB')).toMatchObject({ suppressed: true });
    await expectMapSafe(map, 'telecom');
  });

  it('shows an analyst, who reads every record anyway, the whole map', async () => {
    const map = await get<ComplianceMap>(analyst, '/api/supervision/national');
    expect(map.disclosure.applied).toBe(false);
    expect(map.byAdminUnit.find((r) => r.key === 'PK-GB')).toMatchObject({ compliant: 5, suppressed: false });
  });

  describe('registry overview', () => {
    /** A sector, unit and tier 1 holding exactly one entity. */
    const lone = async () => {
      const rows = await t.p.db
        .selectFrom('entity_counts')
        .select(['sector', 'admin_unit', (eb) => eb.fn.sum<number>('n').as('n')])
        .where('tier', '=', '1')
        .groupBy(['sector', 'admin_unit'])
        .execute();
      return rows.find((r) => Number(r.n) === 1)!;
    };

    it('withholds a filtered count of one from an observer, never showing the 1', async () => {
      const one = await lone();
      expect(one).toBeDefined();
      const o = await get<Overview>(
        observer,
        `/api/registry/overview?sector=${one.sector}&adminUnit=${one.admin_unit}&tier=1`,
      );
      expect(o.disclosure.applied).toBe(true);
      expect(o.total).toBeNull();
      expect(o.totalReason).toBe('below_cohort');
      for (const c of [...o.bySector, ...o.byAdminUnit, ...o.byTier])
        expect(c).toMatchObject({ count: null, suppressed: true, reason: 'below_cohort' });
      expect(JSON.stringify(o)).not.toMatch(/"count":1\b/);
    });

    it('gives an analyst the exact figures', async () => {
      const one = await lone();
      const o = await get<Overview>(
        analyst,
        `/api/registry/overview?sector=${one.sector}&adminUnit=${one.admin_unit}&tier=1`,
      );
      expect(o.disclosure.applied).toBe(false);
      expect(o.total).toBe(1);
      expect(o.byTier).toEqual([{ key: '1', count: 1, suppressed: false, reason: null }]);
    });

    it('leaves nothing an observer or the regulator could work out from the three lists', async () => {
      for (const a of [observer, regulator]) {
        const o = await get<Overview>(a, '/api/registry/overview');
        const cells: Record<string, SeenCell> = { total: { n: o.total, reason: o.totalReason } };
        const relations: SeenRelation[] = [];
        for (const [tag, list] of [
          ['sector', o.bySector],
          ['unit', o.byAdminUnit],
          ['tier', o.byTier],
        ] as const) {
          for (const c of list) {
            cells[`${tag}:${c.key}`] = { n: c.count, reason: c.reason };
            if (!c.suppressed) expect(c.count).toBeGreaterThanOrEqual(o.disclosure.minCohort);
          }
          relations.push({ terms: list.map((c) => `${tag}:${c.key}`), total: 'total' });
        }
        expect(recoverCounts(cells, relations, o.disclosure.minCohort)).toEqual(new Map());
      }
    });
  });
});

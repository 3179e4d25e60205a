import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { newId } from '../../src/platform/ids.ts';
import { recoverCounts, meanLeaks, type SeenCell, type SeenRelation } from '../disclosure-attacker.ts';
import { createTestApp, type Agent, type TestApp } from '../harness.ts';

/**
 * Plays the attacker against the published national views: from what one answer shows, with the
 * identities any reader knows (a row sums to its margin, every list to the same total), no
 * hidden count or mean may come out.
 */

type Reason = 'below_cohort' | 'complementary' | null;
interface MeanCell {
  n: number | null;
  score: number | null;
  suppressed: boolean;
  reason: Reason;
}
interface Picture {
  minCohort: number;
  disclosure: { applied: boolean; minCohort: number };
  accepted: number | null;
  acceptedReason: Reason;
  overall: number | null;
  bySectorDimension: (MeanCell & { sector: string; dimension: string })[];
  byUnitSector: (MeanCell & { adminUnit: string; sector: string })[];
  trend: { bySector: { sector: string; current: number | null; currentReason: Reason }[] };
  weakest: { n: number }[];
}
interface Count {
  incidents: number | null;
  suppressed: boolean;
  reason: Reason;
}
interface Incidents {
  from: string;
  to: string;
  disclosure: { applied: boolean; minCohort: number };
  months: { month: string; bySector: Record<string, Count> }[];
  byClass: (Count & { rsitClass: string })[];
  byAdminUnit: (Count & { adminUnit: string })[];
  sectors: (Count & { sector: string; meanHoursToReport: number | null; onTimeShare: number | null })[];
}

describe('disclosure control of the national views', () => {
  let t: TestApp;
  let observer: Agent;
  let regulator: Agent;
  let admin: Agent;
  let campaignId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 150 });
    const as = (email: string, role: string, scopeKind: string, scopeValue: string | null) =>
      t.signInAs({ email, displayName: email, roles: [{ role, scopeKind, scopeValue } as never] });
    observer = await as('observer@ncsa.pk', 'observer', 'national', null);
    regulator = await as('reg@pta.pk', 'sector_regulator', 'sector', 'telecom');
    admin = await as('admin@ncsa.pk', 'authority_admin', 'national', null);
    // The outside review's case: telecom with two large units and four small ones (7 entities),
    // and a second sector with one small unit.
    const user = await t.p.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    campaignId = newId();
    await t.p.db
      .insertInto('campaigns')
      .values({
        id: campaignId,
        name: 'Disclosure probe',
        description: null,
        frameworks_json: '[]',
        selection_json: '{}',
        opens_on: '2026-01-01',
        due_on: '2026-03-01',
        grace_days: 0,
        status: 'open',
        created_by: user.id,
        created_at: t.p.clock.now().toISOString(),
      })
      .execute();
    const rows: [string, string, number, number][] = [
      ['telecom', 'PK-PB', 20, 70],
      ['telecom', 'PK-SD', 9, 60],
      ['telecom', 'PK-KP', 3, 80],
      ['telecom', 'PK-BA', 2, 55],
      ['telecom', 'PK-IS', 1, 90],
      ['telecom', 'PK-GB', 1, 40],
      ['energy', 'PK-PB', 12, 65],
      ['energy', 'PK-SD', 6, 50],
      ['energy', 'PK-KP', 2, 30],
    ];
    for (const [sector, unit, n, mean] of rows)
      for (const dimension of ['overall', 'legal', 'technical'])
        await t.p.db
          .insertInto('assessment_cells')
          .values({ campaign_id: campaignId, sector, admin_unit: unit, dimension, n, score_sum: n * mean })
          .execute();
  }, 240_000); // the demo load is slow on a busy machine
  afterAll(() => t.close());

  const picture = async (a: Agent, id = campaignId) => {
    const res = await t.app.inject({ url: `/api/campaigns/${id}/national`, headers: a.headers() });
    expect(res.statusCode).toBe(200);
    return res.json<Picture>();
  };

  /** The attacker's model of a picture: its cells and the identities between them. */
  const attackPicture = (pic: Picture) => {
    const cells: Record<string, SeenCell & { score: number | null; trueN: number }> = {};
    const sectors = new Set<string>();
    for (const c of pic.bySectorDimension.filter((x) => x.dimension === 'overall')) {
      cells[`sd:${c.sector}`] = { n: c.n, reason: c.reason, score: c.score, trueN: 0 };
      sectors.add(c.sector);
    }
    for (const c of pic.byUnitSector)
      cells[`us:${c.adminUnit}|${c.sector}`] = { n: c.n, reason: c.reason, score: c.score, trueN: 0 };
    cells.total = { n: pic.accepted, reason: pic.acceptedReason, score: pic.overall, trueN: 0 };
    const us = pic.byUnitSector.map((c) => `us:${c.adminUnit}|${c.sector}`);
    const relations: SeenRelation[] = [
      ...[...sectors].map((s) => ({ terms: us.filter((k) => k.endsWith(`|${s}`)), total: `sd:${s}` })),
      { terms: [...sectors].map((s) => `sd:${s}`), total: 'total' },
      { terms: us, total: 'total' },
    ];
    return { cells, relations };
  };

  const expectPictureSafe = (pic: Picture, minCohort: number) => {
    for (const c of [...pic.bySectorDimension, ...pic.byUnitSector]) {
      if (c.suppressed) expect([c.n, c.score]).toEqual([null, null]);
      else expect(c.n!).toBeGreaterThanOrEqual(minCohort);
    }
    const { cells, relations } = attackPicture(pic);
    expect(recoverCounts(cells, relations, minCohort)).toEqual(new Map());
    expect(meanLeaks(cells, relations, minCohort)).toEqual([]);
    // The trend repeats the sector cells; it must not show what they hide.
    for (const s of pic.trend.bySector) {
      const cell = pic.bySectorDimension.find((c) => c.sector === s.sector && c.dimension === 'overall');
      if (cell?.suppressed) expect([s.current, s.currentReason]).toEqual([null, cell.reason]);
    }
  };

  it('hides the telecom regulator’s small units and enough others that no mean comes out', async () => {
    const pic = await picture(regulator);
    expect(pic.disclosure.applied).toBe(true);
    const telecom = pic.byUnitSector.filter((c) => c.sector === 'telecom');
    expect(telecom.filter((c) => c.reason === 'below_cohort').map((c) => c.adminUnit)).toEqual(
      expect.arrayContaining(['PK-KP', 'PK-BA', 'PK-IS', 'PK-GB']),
    );
    // Before, the four cells showed n = 7 in all; sector mean minus PK-PB and PK-SD gave 67.7.
    expect(telecom.filter((c) => c.suppressed).every((c) => c.n === null)).toBe(true);
    expect(pic.byUnitSector.some((c) => c.sector === 'energy')).toBe(false);
    expectPictureSafe(pic, pic.minCohort);
  });

  it('protects the observer’s national picture, with its dimensions and the trend', async () => {
    const pic = await picture(observer);
    const energyKp = pic.byUnitSector.find((c) => c.sector === 'energy' && c.adminUnit === 'PK-KP')!;
    expect(energyKp).toMatchObject({ suppressed: true, reason: 'below_cohort', n: null });
    // Energy's only other small-enough partner is PK-SD (6): it goes too.
    expect(pic.byUnitSector.find((c) => c.sector === 'energy' && c.adminUnit === 'PK-SD')).toMatchObject({
      suppressed: true,
      reason: 'complementary',
    });
    expectPictureSafe(pic, pic.minCohort);
    // The demo's own campaign, from real answers, holds up as well.
    const demo = await t.p.db
      .selectFrom('assessment_cells')
      .select('campaign_id')
      .where('campaign_id', '!=', campaignId)
      .executeTakeFirstOrThrow();
    expectPictureSafe(await picture(observer, demo.campaign_id), pic.minCohort);
    expectPictureSafe(await picture(regulator, demo.campaign_id), pic.minCohort);
  });

  it('shows the Authority every cell, since it reads every record anyway', async () => {
    const pic = await picture(admin);
    expect(pic.disclosure.applied).toBe(false);
    expect(pic.byUnitSector.every((c) => !c.suppressed && c.n !== null)).toBe(true);
    expect(pic.accepted).toBe(56);
  });

  describe('incidents', () => {
    let month: string;
    const national = async (a: Agent) => {
      const res = await t.app.inject({ url: '/api/incidents/national?months=12', headers: a.headers() });
      expect(res.statusCode).toBe(200);
      return res.json<Incidents>();
    };

    beforeAll(async () => {
      month = (await national(admin)).to;
      // A month with one ransomware case in Gilgit-Baltistan's telecom and two phishing ones in
      // the capital: small counts that the lists by class, unit and sector must not give away.
      const add = async (sector: string, unit: string, rsitClass: string, incidents: number) =>
        t.p.db
          .insertInto('incident_cells')
          .values({ month, sector, admin_unit: unit, rsit_class: rsitClass, incidents, report_minutes: 600 })
          .onConflict((oc) =>
            oc.columns(['month', 'sector', 'admin_unit', 'rsit_class']).doUpdateSet({ incidents }),
          )
          .execute();
      await add('telecom', 'PK-GB', 'malicious-code', 1);
      await add('telecom', 'PK-IS', 'fraud', 2);
      await add('telecom', 'PK-PB', 'intrusions', 30);
      await add('energy', 'PK-PB', 'intrusions', 9);
    });

    /** The attacker's model: every list sums to one total; each sector's months to its count. */
    const attackIncidents = (v: Incidents) => {
      const cells: Record<string, SeenCell> = { total: { n: null } };
      const seen = (k: string, c: Count) => (cells[k] = { n: c.incidents, reason: c.reason });
      v.byClass.forEach((c) => seen(`class:${c.rsitClass}`, c));
      v.byAdminUnit.forEach((c) => seen(`unit:${c.adminUnit}`, c));
      v.sectors.forEach((c) => seen(`sector:${c.sector}`, c));
      for (const m of v.months)
        for (const [s, c] of Object.entries(m.bySector)) seen(`ms:${m.month}|${s}`, c);
      const relations: SeenRelation[] = [
        { terms: v.byClass.map((c) => `class:${c.rsitClass}`), total: 'total' },
        { terms: v.byAdminUnit.map((c) => `unit:${c.adminUnit}`), total: 'total' },
        { terms: v.sectors.map((c) => `sector:${c.sector}`), total: 'total' },
        ...v.sectors.map((c) => ({
          terms: v.months.map((m) => `ms:${m.month}|${c.sector}`),
          total: `sector:${c.sector}`,
        })),
      ];
      return { cells, relations };
    };

    const expectIncidentsSafe = (v: Incidents) => {
      expect(v.disclosure.applied).toBe(true);
      const all: Count[] = [
        ...v.byClass,
        ...v.byAdminUnit,
        ...v.sectors,
        ...v.months.flatMap((m) => Object.values(m.bySector)),
      ];
      for (const c of all) {
        if (c.suppressed) expect(c.incidents).toBeNull();
        else expect(c.incidents === 0 || c.incidents! >= v.disclosure.minCohort).toBe(true);
      }
      for (const s of v.sectors.filter((x) => x.suppressed)) expect(s.meanHoursToReport).toBeNull();
      const { cells, relations } = attackIncidents(v);
      // The grand total is published nowhere but may well follow from a complete list; that is
      // no secret. Every cell the answer hides must stay hidden.
      const recovered = recoverCounts(cells, relations, v.disclosure.minCohort);
      recovered.delete('total');
      expect(recovered).toEqual(new Map());
    };

    it('hides small incident counts from an observer, and what would give them away', async () => {
      const v = await national(observer);
      const gb = v.byAdminUnit.find((u) => u.adminUnit === 'PK-GB')!;
      const truth = await t.p.db
        .selectFrom('incident_cells')
        .select((eb) => eb.fn.sum<number>('incidents').as('n'))
        .where('admin_unit', '=', 'PK-GB')
        .where('month', '>=', v.from)
        .executeTakeFirstOrThrow();
      if (Number(truth.n) < v.disclosure.minCohort) expect(gb).toMatchObject({ suppressed: true });
      const thisMonth = v.months.find((m) => m.month === month)!;
      // Energy's nine this month: shown as they are, or withheld to cover a neighbour, never altered.
      const energy = thisMonth.bySector.energy!;
      expect(energy.suppressed ? energy.reason : energy.incidents).toBe(
        energy.suppressed ? 'complementary' : 9,
      );
      expectIncidentsSafe(v);
    });

    it('gives the telecom regulator the same protection on their own sector', async () => {
      const v = await national(regulator);
      expect(v.sectors.map((s) => s.sector)).toContain('telecom');
      expectIncidentsSafe(v);
    });
  });
});

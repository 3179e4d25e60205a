import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { loadDemo } from '../../demo/demo.ts';

const ZTMM = 'cisa-ztmm-2.0@2026.2';

interface Assessment {
  frameworks: {
    id: string;
    scale: number[];
    levels: { level: number; name: { en: string; ur?: string } }[];
  }[];
  requirements: {
    frameworkId: string;
    itemId: string;
    groups: string[];
    answer: { version: number } | null;
  }[];
  score: {
    overall: number | null;
    frameworks: Record<string, { score: number | null; cumulativeLevel: number | null }>;
    rulesVersion: string;
  };
}

describe('a framework answered and scored on its own level scale (CISA ZTMM: four stages)', () => {
  let t: TestApp;
  let ciso: Agent;
  let assessmentId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 40 });
    const admin = await t.signInAs({
      email: 'a@ncsa.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
    const entity = await t.p.db
      .selectFrom('entities')
      .select(['id', 'sector'])
      .where('cii_tier', '=', 1)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    ciso = await t.signInAs({
      email: 'ciso@zt.example',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entity.id }],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      headers: admin.headers(true),
      payload: {
        name: 'Zero trust 2026',
        frameworks: [ZTMM],
        selection: { sectors: [entity.sector] },
        opensOn: '2026-01-05',
        dueOn: '2026-03-31',
      },
    });
    expect(res.statusCode).toBe(201);
    const mine = (await t.app.inject({ url: '/api/assessments', headers: ciso.headers() })).json<{
      items: { id: string; campaignName: string }[];
    }>();
    assessmentId = mine.items.find((i) => i.campaignName === 'Zero trust 2026')!.id;
  });
  afterAll(() => t.close());

  const get = async () =>
    (
      await t.app.inject({ url: `/api/assessments/${assessmentId}`, headers: ciso.headers() })
    ).json<Assessment>();
  const answer = (itemId: string, body: Record<string, unknown>) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/assessments/${assessmentId}/answers/${ZTMM}/${itemId}`,
      headers: ciso.headers(true),
      payload: body,
    });

  it('offers the four stages by name, and the cross-cutting capabilities as their own group', async () => {
    const a = await get();
    const f = a.frameworks.find((x) => x.id === ZTMM)!;
    expect(f.scale).toEqual([1, 2, 3, 4]);
    expect(f.levels.map((l) => l.name.en)).toEqual(['Traditional', 'Initial', 'Advanced', 'Optimal']);
    expect(f.levels.every((l) => l.name.ur)).toBe(true);
    expect(a.requirements.filter((r) => r.groups[0] === 'XC').map((r) => r.itemId)).toEqual([
      'XC.VA',
      'XC.AO',
      'XC.GOV',
    ]);
  });

  it('refuses a level outside the framework scale, naming the field, and writes nothing', async () => {
    for (const level of [0, 5]) {
      const res = await answer('ID.AUTH', { level });
      expect(res.statusCode, `level ${level}`).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const problem = res.json<{ code: string; errors: { path: string; message: string }[] }>();
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.path)).toEqual(['body.level']);
      expect(problem.errors[0]!.message).toMatch(/levels of CISA Zero Trust.*\(1, 2, 3, 4\)/);
    }
    expect(
      await t.p.db.selectFrom('answers').select('id').where('assignment_id', '=', assessmentId).execute(),
    ).toEqual([]);
  });

  it('scores Optimal as 100 and Advanced as two thirds; an old answer of 5 still counts as Optimal', async () => {
    const a = await get();
    const items = a.requirements.map((r) => r.itemId);
    for (const itemId of items.slice(1)) expect((await answer(itemId, { level: 4 })).statusCode).toBe(200);
    expect((await get()).score.frameworks[ZTMM]).toEqual({ score: 100, cumulativeLevel: null, tier: null });
    expect((await answer(items[0]!, { level: 3 })).statusCode).toBe(200);
    const advanced = (await get()).score;
    // (n - 1) requirements at 100 and one at 66.67, all weight 1.
    const n = items.length;
    expect(advanced.frameworks[ZTMM]!.score).toBe(Math.round((((n - 1) * 100 + 200 / 3) / n) * 10) / 10);
    expect(advanced.frameworks[ZTMM]!.cumulativeLevel).toBe(3);
    expect(advanced.rulesVersion).toBe('2026.1');
    // An answer stored before ZTMM declared four stages (0-5 then): 5 is read as Optimal.
    await t.p.db
      .updateTable('answers')
      .set({ level: 5 })
      .where('assignment_id', '=', assessmentId)
      .where('item_id', '=', items[0]!)
      .execute();
    expect((await get()).score.frameworks[ZTMM]).toMatchObject({ score: 100, cumulativeLevel: 4 });
  });

  it('sets gap targets on the framework scale: a tier-1 target of 4 of 0-5 (80) is Advanced, the nearest stage', async () => {
    const a = await get();
    const first = a.requirements[0]!.itemId;
    const version = a.requirements[0]!.answer!.version;
    expect((await answer(first, { level: 1, version })).statusCode).toBe(200);
    const gaps = (
      await t.app.inject({ url: `/api/assessments/${assessmentId}/gaps`, headers: ciso.headers() })
    ).json<{ ciiTier: number; items: { itemId: string; level: number; target: number; gap: number }[] }>();
    expect(gaps.ciiTier).toBe(1);
    // Every other requirement is at Optimal, above any target; the Traditional one is two stages short of Advanced.
    expect(gaps.items).toEqual([expect.objectContaining({ itemId: first, level: 1, target: 3, gap: 2 })]);
  });

  it('exports OSCAL findings judged on the framework scale: Optimal satisfied, Traditional not', async () => {
    const doc = (
      await t.app.inject({ url: `/api/assessments/${assessmentId}/oscal`, headers: ciso.headers() })
    ).json<{
      'assessment-results': {
        results: {
          findings: { title: string; description: string; target: { status: { state: string } } }[];
        }[];
      };
    }>();
    const findings = doc['assessment-results'].results[0]!.findings;
    const [first, second] = (await get()).requirements.map((r) => r.itemId);
    const f1 = findings.find((f) => f.title === first)!;
    expect(f1.description).toBe('Level 1 on a scale of 1 to 4.');
    expect(f1.target.status.state).toBe('not-satisfied');
    expect(findings.find((f) => f.title === second)!.target.status.state).toBe('satisfied');
  });
});

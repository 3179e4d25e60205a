import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { ManualClock } from '../clock.ts';
import { jurisdictionDate, jurisdictionInstant, jurisdictionToday } from './today.ts';

const KARACHI = { timeZone: 'Asia/Karachi' };
// Pakistan is UTC+5: 23:30 on 28 February is 18:30Z; 00:30 on 1 March is 19:30Z, still 28 February in UTC.
const EVE = '2026-02-28T18:30:00.000Z';
const JUST_AFTER_MIDNIGHT = '2026-02-28T19:30:00.000Z';
const NEW_RULES_FROM = '2026-03-01';

describe('the jurisdiction day (pure)', () => {
  it('is the local date, not the UTC date', () => {
    expect(jurisdictionDate(new Date(EVE), KARACHI)).toBe('2026-02-28');
    expect(jurisdictionDate(new Date(JUST_AFTER_MIDNIGHT), KARACHI)).toBe('2026-03-01');
    expect(jurisdictionToday(new ManualClock(JUST_AFTER_MIDNIGHT), KARACHI)).toBe('2026-03-01');
  });

  it('turns a local date and wall-clock time into the instant', () => {
    expect(jurisdictionInstant('2026-03-01', '00:30', KARACHI).toISOString()).toBe(JUST_AFTER_MIDNIGHT);
  });
});

/**
 * A copy of the catalogs where every rule set read "today" gains a version taking effect on
 * 1 March (local). At 23:30 on the eve the old rules apply; at 00:30 the new ones, although the
 * UTC date has not moved.
 */
function catalogsWithMarchRules(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'qila-catalogs-'));
  const root = path.resolve(import.meta.dirname, '../../../../catalogs');
  cpSync(root, dir, { recursive: true });
  const republish = (from: string, to: string, change: Record<string, unknown> = {}) => {
    const old = JSON.parse(readFileSync(path.join(dir, from), 'utf8')) as Record<string, unknown>;
    const next = { ...old, ...change, version: '2026.9', effectiveFrom: NEW_RULES_FROM };
    writeFileSync(path.join(dir, to), JSON.stringify(next));
  };
  republish('cii-grading/pk/2026.1.json', 'cii-grading/pk/2026.9.json');
  republish('penalties/pk/2026.1.json', 'penalties/pk/2026.9.json');
  republish('supervision/pk/2026.1.json', 'supervision/pk/2026.9.json');
  republish('assessments/pk/2026.1.json', 'assessments/pk/2026.9.json', {
    reminderDaysBeforeDue: [3],
    reminderLocalTime: '09:00',
  });
  return dir;
}

describe('a rule that takes effect on a local date', () => {
  let t: TestApp;
  let admin: Agent;
  let catalogs: string;
  const clock = new ManualClock('2026-02-28T18:00:00.000Z');

  beforeAll(async () => {
    catalogs = catalogsWithMarchRules();
    t = await createTestApp({ clock, env: { QILA_CATALOG_DIR: catalogs } });
    admin = await t.signInAs({
      email: 'admin@ncsa.pk',
      displayName: 'Admin',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(catalogs, { recursive: true, force: true });
  });

  const get = async <T>(url: string) => (await t.app.inject({ url, headers: admin.headers() })).json<T>();
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: admin.headers(true), payload });

  /** What each rule-in-force lookup answers at the clock's current time. */
  async function inForce(n: number) {
    const entity = await post('/api/entities', {
      registrationNo: `PK-DAY-${n}`,
      nameEn: `Day Line Networks ${n}`,
      kind: 'cii_operator',
      sector: 'telecom',
      subsector: 'telecom.fixed',
      adminUnit: 'PK-SD',
      size: 'large',
    });
    expect(entity.statusCode).toBe(201);
    const { id, designationHistory } = entity.json<{
      id: string;
      designationHistory: { effectiveFrom: string }[];
    }>();
    const graded = await post(`/api/entities/${id}/grading`, {
      answers: {
        population: 'over_10m',
        economy: 'national',
        security: 'severe',
        dependence: 'most',
        substitutability: 'none',
      },
    });
    expect(graded.statusCode).toBe(200);
    const designation = await t.p.db
      .selectFrom('designations')
      .select(['effective_from', 'rule_set'])
      .where('entity_id', '=', id)
      .where('rule_set', 'is not', null)
      .executeTakeFirstOrThrow();
    const campaign = await post('/api/campaigns', {
      name: `Telecom check ${n}`,
      frameworks: ['pk-ncsa-baseline@2026.1'],
      selection: { sectors: ['telecom'] },
      opensOn: '2026-03-01',
      dueOn: '2026-03-20',
      graceDays: 3,
    });
    expect(campaign.statusCode).toBe(201);
    const campaignId = campaign.json<{ id: string }>().id;
    const plan = await post('/api/supervision/plans', {
      name: `Audit programme ${n}`,
      periodStart: '2026-03-01',
      periodEnd: '2026-12-31',
      capacity: 1,
    });
    expect(plan.statusCode).toBe(201);
    const jobs = await t.p.db
      .selectFrom('jobs')
      .select(['unique_key', 'run_at'])
      .where('unique_key', 'like', `campaign:${campaignId}:%`)
      .orderBy('run_at')
      .execute();
    return {
      registeredOn: designationHistory.at(-1)?.effectiveFrom,
      grading: (await get<{ version: string }>('/api/registry/grading')).version,
      gradedWith: designation.rule_set,
      gradedFrom: designation.effective_from,
      penalties: (await get<{ version: string }>('/api/supervision/penalty-schedule')).version,
      supervision: plan.json<{ rulesVersion: string }>().rulesVersion,
      campaignJobs: jobs.map((j) => [String(j.unique_key).replace(`campaign:${campaignId}:`, ''), j.run_at]),
    };
  }

  it('23:30 on the eve (18:30 UTC): the rules in force until then', async () => {
    clock.set(EVE);
    const r = await inForce(1);
    expect(r).toMatchObject({
      registeredOn: '2026-02-28',
      grading: '2026.1',
      gradedWith: '2026.1',
      gradedFrom: '2026-02-28',
      penalties: '2026.1',
      supervision: '2026.1',
    });
    // Reminders at noon in Karachi (07:00 UTC) 7 days and 1 day before the due date; the
    // escalation when submissions close, at midnight after the grace days.
    expect(r.campaignJobs).toEqual([
      ['reminder:7', '2026-03-13T07:00:00.000Z'],
      ['reminder:1', '2026-03-19T07:00:00.000Z'],
      ['overdue', '2026-03-23T19:00:00.000Z'],
    ]);
  });

  it('00:30 on the day (19:30 UTC, still the eve in UTC): the new rules', async () => {
    clock.set(JUST_AFTER_MIDNIGHT);
    const r = await inForce(2);
    expect(r).toMatchObject({
      registeredOn: '2026-03-01',
      grading: '2026.9',
      gradedWith: '2026.9',
      gradedFrom: '2026-03-01',
      penalties: '2026.9',
      supervision: '2026.9',
    });
    expect(r.campaignJobs).toEqual([
      ['reminder:3', '2026-03-17T04:00:00.000Z'],
      ['overdue', '2026-03-23T19:00:00.000Z'],
    ]);
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';
import { ManualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';

const NOW = '2026-09-15T06:00:00.000Z';
const monthsAgo = (n: number) => {
  const d = new Date(NOW);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString();
};

/** The catalogs, with the planning history shortened to three months. */
function catalogsWithShortHistory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'qila-catalogs-'));
  cpSync(path.resolve(import.meta.dirname, '../../../../catalogs'), dir, { recursive: true });
  const file = path.join(dir, 'supervision/pk/2026.1.json');
  const rules = JSON.parse(readFileSync(file, 'utf8')) as { auditPlanning: Record<string, unknown> };
  rules.auditPlanning.historyMonths = 3;
  writeFileSync(file, JSON.stringify(rules));
  return dir;
}

describe('audit planning counts incidents over the catalog window', () => {
  let t: TestApp;
  let admin: Agent;
  let catalogs: string;

  beforeAll(async () => {
    catalogs = catalogsWithShortHistory();
    t = await createTestApp({ clock: new ManualClock(NOW), env: { QILA_CATALOG_DIR: catalogs } });
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

  it('an incident older than the window no longer raises the priority', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: admin.headers(true),
      payload: {
        registrationNo: 'PK-WIN-1',
        nameEn: 'Window Telecom',
        kind: 'cii_operator',
        sector: 'telecom',
        subsector: 'telecom.fixed',
        adminUnit: 'PK-SD',
        size: 'large',
      },
    });
    expect(created.statusCode).toBe(201);
    const entityId = created.json<{ id: string }>().id;
    // One incident two months ago (inside three months), one five months ago (outside).
    for (const [i, at] of [monthsAgo(2), monthsAgo(5)].entries())
      await t.p.db
        .insertInto('incidents')
        .values({
          id: newId(),
          reference: `INC-WIN-${i}`,
          entity_id: entityId,
          sector: 'telecom',
          admin_unit: 'PK-SD',
          title: 'Outage',
          severity: 'medium',
          rsit_class: 'availability',
          rsit_type: 'dos',
          tlp: 'AMBER',
          status: 'closed',
          aware_at: at,
          classified_at: at,
          reported_at: at,
          facts_json: '{}',
          created_by: 'test',
          updated_at: at,
        })
        .execute();
    const plan = await t.app.inject({
      method: 'POST',
      url: '/api/supervision/plans',
      headers: admin.headers(true),
      payload: { name: 'Window check', periodStart: '2026-10-01', periodEnd: '2026-12-31', capacity: 1 },
    });
    expect(plan.statusCode).toBe(201);
    const item = plan
      .json<{ items: { entityId: string; reasons: { label: string; points: number }[] }[] }>()
      .items.find((i) => i.entityId === entityId)!;
    expect(item.reasons.map((r) => r.label)).toContain('1 incident(s) in 3 months');
  });
});

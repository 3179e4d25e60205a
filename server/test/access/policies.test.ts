// The access policies against the tables in docs/security.md, which are the specification: the
// role catalog must grant exactly the permissions the table shows, and every policy must find and
// allow exactly what its table says, both in memory (`can`, `readsContent`) and in SQL (`where`),
// on real rows of the dialect under test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { entityPolicy, incidentPolicy, supervisionPolicy } from '../../src/platform/access/index.ts';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, type Role } from '../../src/platform/auth/roles.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { Actor } from '../../src/platform/context.ts';
import { createTestApp, type TestApp } from '../harness.ts';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/security.md'), 'utf8');

/** The rows of the first table after a heading, as arrays of trimmed cells (header first). */
function table(heading: string): string[][] {
  const at = doc.indexOf(`### ${heading}`);
  if (at < 0) throw new Error(`docs/security.md has no section "${heading}"`);
  const lines = doc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows.filter((r) => !r.every((c) => /^:?-+:?$/.test(c)));
}

const COLUMN_ROLE: Record<string, Role> = {
  admin: 'authority_admin',
  analyst: 'authority_analyst',
  cert: 'cert_analyst',
  regulator: 'sector_regulator',
  province: 'provincial_officer',
  'entity admin': 'entity_admin',
  'entity member': 'entity_member',
  auditor: 'auditor',
  observer: 'observer',
};

describe('the role catalog grants what docs/security.md says', () => {
  it('every role holds exactly the permissions ticked in "Permissions by role"', () => {
    const [header, ...rows] = table('Permissions by role');
    const roles = header!.slice(1).map((h) => COLUMN_ROLE[h]!);
    expect([...roles].sort()).toEqual([...ROLES].sort());
    expect(rows.map((r) => r[0]!.replaceAll('`', '')).sort()).toEqual([...PERMISSIONS].sort());
    for (const r of rows) {
      const perm = r[0]!.replaceAll('`', '');
      roles.forEach((role, i) =>
        expect(ROLE_PERMISSIONS[role].includes(perm as never), `${role} ${perm}`).toBe(r[i + 1] === '✓'),
      );
    }
  });
});

describe('policies against the tables in docs/security.md', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-16T06:00:00.000Z');
  let entity: { id: string; sector: string; admin_unit: string };
  let otherEntity: string;
  let otherSector: string;
  let otherUnit: string;
  const incidents = new Map<string, string>();
  let namedCert = '';
  let namedRegulator = '';

  const actor = (
    role: Role,
    scopeKind: Actor['roles'][0]['scopeKind'],
    scopeValue: string | null,
    userId = 'u-' + role,
  ): Actor => ({
    kind: 'user',
    userId,
    label: role,
    roles: [{ role, scopeKind, scopeValue }],
  });

  beforeAll(async () => {
    t = await createTestApp({ clock });
    // With its incidents, so the demo's audits (and their lead auditors) exist too.
    await loadDemo(t.p, { entities: 60 });
    entity = await t.p.db
      .selectFrom('entities')
      .select(['id', 'sector', 'admin_unit'])
      .where('sector', '=', 'telecom')
      .where('admin_unit', '=', 'PK-PB')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const other = await t.p.db
      .selectFrom('entities')
      .select(['id', 'sector', 'admin_unit'])
      .where('sector', '!=', entity.sector)
      .where('admin_unit', '!=', entity.admin_unit)
      .executeTakeFirstOrThrow();
    otherEntity = other.id;
    otherSector = other.sector;
    otherUnit = other.admin_unit;
    const ciso = await t.signInAs({
      email: 'ciso@policy.pk',
      displayName: 'CISO',
      roles: [{ role: 'entity_admin', scopeKind: 'entity', scopeValue: entity.id }],
    });
    for (const [email, role, scopeKind, scopeValue] of [
      ['named-cert@policy.pk', 'cert_analyst', 'national', null],
      ['named-reg@policy.pk', 'sector_regulator', 'sector', entity.sector],
    ] as const)
      await t.signInAs({ email, displayName: email, roles: [{ role, scopeKind, scopeValue }] });
    const ids = await t.p.db.selectFrom('users').select(['id', 'email']).execute();
    namedCert = ids.find((u) => u.email === 'named-cert@policy.pk')!.id;
    namedRegulator = ids.find((u) => u.email === 'named-reg@policy.pk')!.id;
    for (const tlp of ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: ciso.headers(true),
        payload: {
          title: `Policy probe ${tlp}`,
          summary: 'A report made to check who may find and read it.',
          severity: 'low',
          rsitClass: 'intrusions',
          rsitType: 'system-compromise',
          awareAt: '2026-03-16T04:00:00.000Z',
          suspectedMalicious: true,
          crossBorder: false,
          tlp,
          ...(tlp === 'RED' ? { redRecipients: [namedCert, namedRegulator] } : {}),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      incidents.set(tlp, res.json<{ id: string }>().id);
    }
  });
  afterAll(async () => t?.close());

  function callers(): Record<string, Actor> {
    return {
      admin: actor('authority_admin', 'national', null),
      analyst: actor('authority_analyst', 'national', null),
      cert: actor('cert_analyst', 'national', null),
      'cert named on the report': actor('cert_analyst', 'national', null, namedCert),
      'regulator of the sector': actor('sector_regulator', 'sector', entity.sector),
      'regulator of the sector named on the report': actor(
        'sector_regulator',
        'sector',
        entity.sector,
        namedRegulator,
      ),
      'regulator of another sector': actor('sector_regulator', 'sector', otherSector),
      'provincial officer of the unit': actor('provincial_officer', 'admin_unit', entity.admin_unit),
      'provincial officer of another unit': actor('provincial_officer', 'admin_unit', otherUnit),
      'entity admin of the entity': actor('entity_admin', 'entity', entity.id),
      'entity member of the entity': actor('entity_member', 'entity', entity.id),
      'entity member of the reporting entity': actor('entity_member', 'entity', entity.id),
      'entity admin of another entity': actor('entity_admin', 'entity', otherEntity),
      'entity member of another entity': actor('entity_member', 'entity', otherEntity),
      'named on the report, now an entity member elsewhere': actor(
        'entity_member',
        'entity',
        otherEntity,
        namedCert,
      ),
      auditor: actor('auditor', 'audit', 'some-firm'),
      observer: actor('observer', 'national', null),
    };
  }

  it('Registry: who finds an entity and what they may do', async () => {
    const [header, ...rows] = table('Registry: who finds an entity and what they may do');
    const actions = header!.slice(2) as ('edit' | 'editContacts' | 'grade' | 'requestChange')[];
    const who = callers();
    for (const [caller, find, ...cells] of rows) {
      const a = who[caller!];
      expect(a, caller).toBeDefined();
      const found = await t.p.db
        .selectFrom('entities')
        .select('id')
        .where('id', '=', entity.id)
        .where(entityPolicy.where(a!))
        .executeTakeFirst();
      expect(Boolean(found), `${caller} finds (SQL)`).toBe(find === '✓');
      expect(entityPolicy.visible(a!, entity), `${caller} finds`).toBe(find === '✓');
      actions.forEach((act, i) =>
        expect(entityPolicy.can(a!, act, entity), `${caller} ${act}`).toBe(cells[i] === '✓'),
      );
      expect(
        entityPolicy
          .actions(a!, entity)
          .filter((x) => x !== 'editAssets')
          .sort(),
      ).toEqual(actions.filter((_, i) => cells[i] === '✓').sort());
    }
  });

  it('Incidents: who finds a report and who reads it, by TLP', async () => {
    const [header, ...rows] = table('Incidents: who finds a report and who reads it, by TLP');
    const tlps = header!.slice(1);
    const who = callers();
    for (const [caller, ...cells] of rows) {
      const a = who[caller!];
      expect(a, caller).toBeDefined();
      for (const [i, tlp] of tlps.entries()) {
        const id = incidents.get(tlp)!;
        const found = await t.p.db
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', id)
          .where(incidentPolicy.where(a!))
          .executeTakeFirst();
        const expected = cells[i];
        expect(Boolean(found), `${caller} finds ${tlp}`).toBe(expected !== '—');
        if (!found) continue;
        const named = (
          await t.p.db
            .selectFrom('incident_recipients')
            .select('code')
            .where('incident_id', '=', id)
            .where('kind', '=', 'user')
            .execute()
        ).map((r) => r.code);
        expect(incidentPolicy.readsContent(a!, found, named), `${caller} reads ${tlp}`).toBe(
          expected === 'content',
        );
        // What the API offers follows the same answer.
        expect(incidentPolicy.actions(a!, found, named).includes('export')).toBe(expected === 'content');
      }
    }
  });

  it('Supervision: audits', async () => {
    // Any audit with a lead, put in fieldwork (the demo's stages depend on its size).
    const led = await t.p.db
      .selectFrom('audits')
      .select('id')
      .where('lead_auditor_id', 'is not', null)
      .executeTakeFirstOrThrow();
    await t.p.db.updateTable('audits').set({ status: 'fieldwork' }).where('id', '=', led.id).execute();
    const audit = await t.p.db
      .selectFrom('audits')
      .innerJoin('auditors', 'auditors.id', 'audits.lead_auditor_id')
      .selectAll('audits')
      .select('auditors.user_id as lead_user')
      .where('audits.id', '=', led.id)
      .executeTakeFirstOrThrow();
    const [header, ...rows] = table('Supervision: audits');
    const actions = header!.slice(2) as ('assign' | 'finding' | 'verify')[];
    const base = callers();
    const firm = 'firm-of-the-lead';
    const who: Record<string, Actor> = {
      admin: base.admin!,
      'regulator of the sector': actor('sector_regulator', 'sector', audit.sector),
      'regulator of another sector': actor(
        'sector_regulator',
        'sector',
        audit.sector === 'energy' ? 'health' : 'energy',
      ),
      'provincial officer of the unit': actor('provincial_officer', 'admin_unit', audit.admin_unit),
      'entity admin of the entity': actor('entity_admin', 'entity', audit.entity_id),
      'the lead auditor': actor('auditor', 'audit', firm, audit.lead_user),
      'another auditor': actor('auditor', 'audit', firm, 'someone-else'),
      observer: base.observer!,
    };
    const now = clock.now().toISOString();
    for (const [caller, find, ...cells] of rows) {
      const a = who[caller!];
      expect(a, caller).toBeDefined();
      const found = await t.p.db
        .selectFrom('audits')
        .select('id')
        .where('id', '=', audit.id)
        .where(supervisionPolicy.auditWhere(a!))
        .executeTakeFirst();
      expect(Boolean(found), `${caller} finds the audit`).toBe(find === '✓');
      actions.forEach((act, i) =>
        expect(
          Boolean(found) &&
            supervisionPolicy.canAudit(a!, act, { ...audit, leadUserId: audit.lead_user }, now),
          `${caller} ${act}`,
        ).toBe(cells[i] === '✓'),
      );
    }
  });
});

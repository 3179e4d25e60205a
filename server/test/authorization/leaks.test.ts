// The leak walk: every list, search, export and notice endpoint, asked by every kind of caller
// (each role, callers of another entity, sector and unit, an API token and a person holding two
// roles), must leave out the rows the caller may not read. The expectations below are written from
// the tables in docs/security.md, not from the policy code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { newId } from '../../src/platform/ids.ts';
import { createTestApp, type TestApp } from '../harness.ts';
import { makeAgent, twoTenants, type Agent, type Scopes, type Who } from './agents.ts';

const TLPS = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
type Tlp = (typeof TLPS)[number];
type Side = 'A' | 'B';

/** A caller, described by what the tables in docs/security.md key on. */
interface Caller {
  name: string;
  headers(write?: boolean): Record<string, string>;
  /** Which probe reports (side x TLP) this caller may read the content of. */
  reads(side: Side, tlp: Tlp): boolean;
  /** Whether the caller may see entity B's records at all (registry). */
  seesEntities: Side[];
}

const marker = (side: Side, tlp: Tlp, run: string) => `LEAKPROBE-${run}-${side}-${tlp.replace('+', '_')}`;

describe('leak walk: lists, searches, exports and notices hold only readable rows', () => {
  let t: TestApp;
  let s: Scopes;
  const run = newId().slice(-6);
  const callers: Caller[] = [];
  const refs = new Map<string, string>();

  const national = (tlp: Tlp) => tlp !== 'RED';
  const table: Record<Exclude<Who, 'anonymous'>, { reads: Caller['reads']; sees: Side[] }> = {
    authority_admin: { reads: (_s, tlp) => national(tlp), sees: ['A', 'B'] },
    authority_analyst: { reads: (_s, tlp) => national(tlp), sees: ['A', 'B'] },
    cert_analyst: { reads: (_s, tlp) => national(tlp), sees: ['A', 'B'] },
    sector_regulator: { reads: (side, tlp) => side === 'A' && tlp !== 'RED', sees: ['A'] },
    provincial_officer: {
      reads: (side, tlp) => side === 'A' && ['GREEN', 'AMBER'].includes(tlp),
      sees: ['A'],
    },
    entity_admin: { reads: (side) => side === 'A', sees: ['A'] },
    entity_member: { reads: (side) => side === 'A', sees: ['A'] },
    auditor: { reads: () => false, sees: [] },
    observer: { reads: () => false, sees: [] },
    other_sector_regulator: { reads: (side, tlp) => side === 'B' && tlp !== 'RED', sees: ['B'] },
    other_province_officer: {
      reads: (side, tlp) => side === 'B' && ['GREEN', 'AMBER'].includes(tlp),
      sees: ['B'],
    },
    other_entity_admin: { reads: (side) => side === 'B', sees: ['B'] },
  };

  beforeAll(async () => {
    t = await createTestApp();
    await loadDemo(t.p, { entities: 80, incidents: false });
    s = await twoTenants(t.p);

    const agents = new Map<string, Agent>();
    for (const who of Object.keys(table) as Exclude<Who, 'anonymous'>[])
      agents.set(who, await makeAgent(t.p, who, s));
    for (const [who, rule] of Object.entries(table))
      callers.push({
        name: who,
        headers: (w) => agents.get(who)!.headers(w),
        reads: rule.reads,
        seesEntities: rule.sees,
      });

    // A person holding two roles: the other province's officer who is also a member of entity A.
    const two = await makeAgent(t.p, 'other_province_officer', s);
    await t.p.db
      .insertInto('role_assignments')
      .values({
        id: newId(),
        user_id: two.userId,
        role: 'entity_member',
        scope_kind: 'entity',
        scope_value: s.entityA,
        created_at: t.p.clock.now().toISOString(),
      })
      .execute();
    callers.push({
      name: 'two roles (other unit officer + member of A)',
      headers: (w) => two.headers(w),
      reads: (side, tlp) => side === 'A' || (side === 'B' && ['GREEN', 'AMBER'].includes(tlp)),
      seesEntities: ['A', 'B'],
    });

    // Each side reports one incident at every TLP; RED names the national CERT analyst agent.
    const certId = (
      await t.p.db
        .selectFrom('users')
        .select('id')
        .where('display_name', '=', 'cert_analyst')
        .executeTakeFirstOrThrow()
    ).id;
    for (const side of ['A', 'B'] as const) {
      const reporter = agents.get(side === 'A' ? 'entity_admin' : 'other_entity_admin')!;
      for (const tlp of TLPS) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/incidents',
          headers: reporter.headers(true),
          payload: {
            title: marker(side, tlp, run),
            summary: `Probe ${marker(side, tlp, run)} for the leak walk.`,
            severity: 'low',
            rsitClass: 'intrusions',
            rsitType: 'system-compromise',
            awareAt: t.p.clock.now().toISOString(),
            suspectedMalicious: true,
            crossBorder: false,
            tlp,
            ...(tlp === 'RED' ? { redRecipients: [certId] } : {}),
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        refs.set(marker(side, tlp, run), res.json<{ id: string }>().id);
      }
    }
    // The named national CERT analyst reads both RED reports.
    const cert = callers.find((c) => c.name === 'cert_analyst')!;
    cert.reads = () => true;

    // An API token of entity A's administrator, for its SIEM.
    const tok = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: agents.get('entity_admin')!.headers(true),
      payload: { name: 'SIEM', permissions: ['incidents.read', 'incidents.report', 'entities.read'] },
    });
    expect(tok.statusCode, tok.body).toBe(201);
    const bearer = tok.json<{ token: string }>().token;
    callers.push({
      name: 'API token of entity A',
      headers: () => ({ authorization: `Bearer ${bearer}` }),
      reads: (side) => side === 'A',
      seesEntities: ['A'],
    });
  }, 120_000);
  afterAll(async () => t?.close());

  const READS = [
    '/api/incidents?view=recent&limit=100',
    '/api/incidents?view=queue&limit=100',
    `/api/incidents?q=LEAKPROBE&limit=100`,
    '/api/incidents/duties?limit=100',
    '/api/notifications?limit=100',
    '/api/advisories',
    '/api/supervision/audits',
    '/api/supervision/actions',
    '/api/supervision/cases',
  ];

  it('no list, search or notice carries a report the caller may not read', async () => {
    const leaks: string[] = [];
    for (const c of callers) {
      for (const url of READS) {
        const res = await t.app.inject({ method: 'GET', url, headers: c.headers() });
        if (res.statusCode >= 400) continue; // refused outright: nothing leaks
        for (const side of ['A', 'B'] as const)
          for (const tlp of TLPS) {
            const m = marker(side, tlp, run);
            if (res.body.includes(m) && !c.reads(side, tlp)) leaks.push(`${c.name} ${url}: ${m}`);
          }
      }
    }
    expect(leaks).toEqual([]);
    // And the walk is not vacuous: the list shows every report the caller may read.
    const missing: string[] = [];
    for (const c of callers) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/incidents?view=recent&limit=100',
        headers: c.headers(),
      });
      for (const side of ['A', 'B'] as const)
        for (const tlp of TLPS)
          if (c.reads(side, tlp) && !res.body.includes(marker(side, tlp, run)))
            missing.push(`${c.name}: ${side} ${tlp}`);
    }
    expect(missing).toEqual([]);
  }, 120_000);

  it('an export of a report answers 404 to everyone who may not read it', async () => {
    const wrong: string[] = [];
    for (const c of callers)
      for (const side of ['A', 'B'] as const)
        for (const tlp of TLPS) {
          const id = refs.get(marker(side, tlp, run))!;
          const res = await t.app.inject({
            method: 'GET',
            url: `/api/incidents/${id}/stix`,
            headers: c.headers(),
          });
          const readable = c.reads(side, tlp);
          if (readable && res.statusCode !== 200)
            wrong.push(`${c.name} ${side} ${tlp}: ${res.statusCode}, wanted 200`);
          if (!readable && res.statusCode === 200) wrong.push(`${c.name} ${side} ${tlp}: exported`);
          if (!readable && res.body.includes(marker(side, tlp, run)))
            wrong.push(`${c.name} ${side} ${tlp}: leaked`);
        }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('registry lists and exports hold only entities in the caller’s reach', async () => {
    const names = new Map<Side, string>();
    for (const [side, id] of [
      ['A', s.entityA],
      ['B', s.entityB],
    ] as const)
      names.set(
        side,
        (
          await t.p.db
            .selectFrom('entities')
            .select('registration_no')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).registration_no,
      );
    const leaks: string[] = [];
    for (const c of callers)
      for (const url of ['/api/entities?limit=100', '/api/entities/export?format=csv'])
        for (const side of ['A', 'B'] as const) {
          const res = await t.app.inject({ method: 'GET', url, headers: c.headers() });
          if (res.statusCode >= 400) continue;
          const seen = res.body.includes(names.get(side)!);
          // National readers see everyone, but a list is paged: only absence of the unseen matters.
          if (seen && !c.seesEntities.includes(side)) leaks.push(`${c.name} ${url}: entity ${side}`);
        }
    expect(leaks).toEqual([]);
  }, 120_000);
});

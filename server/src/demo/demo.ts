import type { RequestContext } from '../platform/context.ts';
import { systemContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import type { Platform } from '../platform/platform.ts';
import { createUserService, type NewUser } from '../modules/users/users.service.ts';
import { insertEntities } from '../modules/registry/registry.repo.ts';
import { loadGradingRuleSets, ruleSetInForce } from '../modules/registry/grading.ts';
import { demoContacts, generateEntities, loadDemoNames } from './entities.ts';
import { loadDemoCampaign } from './assessments.ts';
import { gradeDemoEntity } from './grading.ts';
import { loadDemoIncidents } from './incidents.ts';
import { loadDemoSupervision } from './supervision.ts';
import { seededRandom } from './random.ts';

/** Shown on first start so a newcomer can sign in; production refuses demonstration data. */
export const DEMO_PASSWORD = 'Qila-demo-2026!';

export interface DemoLogin {
  email: string;
  role: string;
}

export async function demoLoaded(p: Platform): Promise<boolean> {
  const row = await p.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'admin@ncsa.demo')
    .executeTakeFirst();
  return Boolean(row);
}

/** Loads the demonstration country once; returns the demo logins. */
export async function loadDemo(
  p: Platform,
  opts: { seed?: number; entities?: number; incidents?: boolean } = {},
): Promise<DemoLogin[]> {
  if (p.config.env === 'production') throw new Error('Demonstration data is refused in production.');
  const ctx: RequestContext = systemContext('demo-loader');
  const r = seededRandom(opts.seed ?? 2026);
  const names = loadDemoNames(p.config.catalogDir, p.config.jurisdiction);
  const entities = generateEntities(p.catalog.profile, names, opts.entities ?? 600, r);
  // Critical-infrastructure candidates are graded with the rule set in force, like real ones.
  const rules = ruleSetInForce(
    loadGradingRuleSets(p.config.catalogDir, p.config.jurisdiction),
    p.clock.now().toISOString().slice(0, 10),
  );
  const gradings = new Map<number, ReturnType<typeof gradeDemoEntity>>();
  entities.forEach((e, i) => {
    if (!rules || e.cii_tier === null) return;
    const g = gradeDemoEntity(e, rules, r);
    gradings.set(i, g);
    e.cii_tier = g.result.tier;
    e.designation =
      g.result.tier === null ? (e.size === 'large' ? 'important' : 'other') : g.result.designation;
  });
  const now = p.clock.now().toISOString();
  const ids: string[] = [];

  if (!(await demoLoaded(p))) {
    await p.db.transaction().execute(async (trx) => {
      const rows = entities.map((e, index) => {
        const id = newId();
        ids.push(id);
        return { id, index, ...e, name_ur: null, parent_id: null, created_at: now, updated_at: now };
      });
      await insertEntities(
        trx,
        rows.map(({ index: _index, ...row }) => row),
      );
      const today = now.slice(0, 10);
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        await trx
          .insertInto('designations')
          .values(
            chunk.map((e) => {
              const g = gradings.get(e.index);
              return {
                id: newId(),
                entity_id: e.id,
                effective_from: today,
                designation: e.designation,
                cii_tier: e.cii_tier,
                rule_set: g ? g.result.ruleSet : null,
                score: g ? g.result.score : null,
                answers_json: g ? JSON.stringify(g.answers) : null,
                explanation: g ? g.result.explanation : 'Registered; not critical infrastructure.',
                decided_by: 'demo-loader',
                created_at: now,
              };
            }),
          )
          .execute();
        await trx
          .insertInto('entity_contacts')
          .values(
            chunk.flatMap((e) =>
              demoContacts(e, names, r).map((c) => ({ id: newId(), entity_id: e.id, ...c, updated_at: now })),
            ),
          )
          .execute();
        await trx
          .insertInto('entity_assets')
          .values(
            chunk
              .filter((e) => e.website)
              .map((e) => ({
                id: newId(),
                entity_id: e.id,
                kind: 'domain',
                value: new URL(e.website).hostname,
                note: 'Main website',
                created_at: now,
              })),
          )
          .execute();
      }
      await p.audit(trx, ctx, {
        action: 'demo.load',
        objectType: 'entity',
        objectId: null,
        after: { entities: entities.length, seed: opts.seed ?? 2026 },
      });
    });
  }
  const firstOf = (sector: string) => {
    const idx = entities.findIndex((e) => e.sector === sector);
    return ids[idx >= 0 ? idx : 0] ?? null;
  };
  const profile = p.catalog.profile;
  // Demo people follow the jurisdiction profile: two sector regulators, one provincial officer.
  const sectors = ['telecom', 'finance'].map(
    (code, i) => profile.sectors.find((s) => s.code === code) ?? profile.sectors[i % profile.sectors.length]!,
  );
  const unit = profile.administrativeUnits.find((u) => u.code === 'PK-PB') ?? profile.administrativeUnits[0]!;
  const entityForAdmin = firstOf(sectors[0]!.code);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const users: (Omit<NewUser, 'password'> & { label: string })[] = [
    {
      email: 'admin@ncsa.demo',
      displayName: 'Ayesha Siddiqui',
      label: 'Authority administrator',
      roles: [{ role: 'authority_admin', scopeValue: null }],
    },
    {
      email: 'analyst@ncsa.demo',
      displayName: 'Bilal Ahmed',
      label: 'Authority analyst',
      roles: [{ role: 'authority_analyst', scopeValue: null }],
    },
    {
      email: 'cert@pkcert.demo',
      displayName: 'Sana Qureshi',
      label: 'CERT analyst',
      roles: [{ role: 'cert_analyst', scopeValue: null }],
    },
    ...sectors.map((s, i) => ({
      email: `${s.code}.regulator@${slug(s.subsectors[0]!.regulator)}.demo`,
      displayName: ['Imran Khattak', 'Farah Naqvi'][i]!,
      label: `Sector regulator (${s.name.en.toLowerCase()})`,
      roles: [{ role: 'sector_regulator' as const, scopeValue: s.code }],
    })),
    {
      email: `officer@${slug(unit.name.en.split(' ')[0]!)}.demo`,
      displayName: 'Usman Chaudhry',
      label: `Provincial officer (${unit.name.en})`,
      roles: [{ role: 'provincial_officer', scopeValue: unit.code }],
    },
    ...(entityForAdmin
      ? [
          {
            email: 'ciso@telecom-entity.demo',
            displayName: 'Hina Baloch',
            label: 'Entity administrator',
            roles: [{ role: 'entity_admin' as const, scopeValue: entityForAdmin }],
          },
        ]
      : []),
    {
      email: 'observer@ncsa.demo',
      displayName: 'Kamran Malik',
      label: 'Observer (aggregates only)',
      roles: [{ role: 'observer', scopeValue: null }],
    },
  ];
  const userService = createUserService(p);
  for (const u of users) {
    const exists = await p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', u.email)
      .executeTakeFirst();
    if (!exists) await userService.create(ctx, { ...u, password: DEMO_PASSWORD });
  }
  if (ids.length && !(await p.db.selectFrom('campaigns').select('id').limit(1).executeTakeFirst())) {
    await loadDemoCampaign(p, ctx, r);
  }
  if (opts.incidents !== false) {
    const cert = await p.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'cert@pkcert.demo')
      .executeTakeFirst();
    await loadDemoIncidents(p, r, {
      count: Math.min(320, Math.round(entities.length / 2)),
      ongoingAt: entityForAdmin,
      certUserId: cert?.id ?? null,
    });
  }
  const supervisionLogins =
    opts.incidents !== false && ids.length
      ? await loadDemoSupervision(p, r, { password: DEMO_PASSWORD, cisoEntityId: entityForAdmin })
      : [];
  return [...users.map((u) => ({ email: u.email, role: u.label })), ...supervisionLogins];
}

import type { Transaction } from 'kysely';
import type { DB } from '../db/types.ts';
import { systemContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { toIsoDate } from '../platform/jurisdiction/time.ts';
import type { Platform } from '../platform/platform.ts';
import { monthOf } from '../modules/incidents/duties.ts';
import { dutyStatus, planDuties } from '../modules/incidents/rules/deadlines.ts';
import { loadReportingRuleSets, regimeApplies, regimesInForce } from '../modules/incidents/rules/rule-set.ts';
import { createImportService } from '../modules/registry/import/import.service.ts';
import { createComplianceEngine } from '../modules/supervision/compliance.ts';
import { loadDemo, type DemoLogin } from './demo.ts';
import { generateEntities, loadDemoNames } from './entities.ts';
import { seededRandom, type Random } from './random.ts';

export const SCALES = {
  medium: { entities: 5_000, years: 5, incidents: 10_000, audits: 200 },
  large: { entities: 50_000, years: 5, incidents: 100_000, audits: 2_000 },
} as const;
export type Scale = keyof typeof SCALES;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const CLASSES = [
  ['fraud', 'phishing'],
  ['availability', 'ddos'],
  ['malicious-code', 'infected-system'],
  ['intrusion-attempts', 'brute-force'],
  ['intrusions', 'system-compromise'],
  ['information-content-security', 'data-leak'],
  ['information-gathering', 'scanner'],
  ['vulnerable', 'vulnerable-system'],
] as const;
const SEVERITY = [
  'critical',
  'high',
  'high',
  'medium',
  'medium',
  'medium',
  'low',
  'low',
  'low',
  'low',
] as const;

/** A progress bar on stderr: the large dataset takes minutes, and people like to see it move. */
function progress(label: string, total: number) {
  const tty = process.stderr.isTTY;
  let last = -1;
  return (done: number) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    // On a terminal the bar redraws in place; in a log, one line per quarter.
    if (pct === last || (!tty && pct % 25 !== 0 && done < total)) return;
    last = pct;
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    const line = `  ${label.padEnd(12)} [${bar}] ${String(pct).padStart(3)}% ${done}/${total}`;
    process.stderr.write(tty ? `\r${line}${done >= total ? '\n' : ''}` : `${line}\n`);
  };
}

async function inBatches<T>(
  p: Platform,
  rows: T[],
  size: number,
  insert: (trx: Transaction<DB>, chunk: T[]) => Promise<void>,
  tick?: (n: number) => void,
) {
  for (let i = 0; i < rows.length; i += size * 20) {
    await p.db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(rows.length, i + size * 20); j += size)
        await insert(trx, rows.slice(j, j + size));
    });
    tick?.(Math.min(rows.length, i + size * 20));
  }
}

/**
 * A country-sized dataset for benchmarks, deterministic from its seed: the registry through the
 * import path, yearly national campaigns accepted for every entity (scores and national cells; the
 * millions of individual answers are left out), years of incidents with their statutory duties worked
 * out by the same deadline engine, audits with findings, and everyone's compliance.
 */
export async function loadScaleDemo(p: Platform, scale: Scale, seed = 2026): Promise<DemoLogin[]> {
  const size = SCALES[scale];
  const r = seededRandom(seed);
  const now = p.clock.now();
  const ctx = systemContext('scale-demo');
  const logins = await loadDemo(p, { entities: 600, incidents: false });

  // Registry: the rest arrives the way a real register would, as one CSV through the importer.
  const extra = size.entities - 600;
  const tick0 = progress('entities', extra);
  const names = loadDemoNames(p.config.catalogDir, p.config.jurisdiction);
  const generated = generateEntities(p.catalog.profile, names, extra, seededRandom(seed + 1));
  const header =
    'registration_no,name_en,kind,sector,subsector,admin_unit,size,annual_turnover,cii_tier,website';
  const csv = [
    header,
    ...generated.map((e, i) =>
      [
        `S-${i}`,
        `"${e.name_en} ${i}"`,
        e.kind,
        e.sector,
        e.subsector,
        e.admin_unit,
        e.size,
        e.annual_turnover ?? '',
        e.cii_tier ?? '',
        e.website,
      ].join(','),
    ),
  ].join('\n');
  const imports = createImportService(p);
  const report = await imports.dryRun(ctx, { content: Buffer.from(csv), fileName: 'scale.csv' });
  if (report.errorCount)
    throw new Error(`scale import refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
  await imports.commit(ctx, report.id);
  tick0(extra);

  const entities = await p.db
    .selectFrom('entities')
    .select(['id', 'sector', 'subsector', 'admin_unit', 'kind', 'cii_tier', 'annual_turnover'])
    .orderBy('id')
    .execute();
  await campaigns(p, r, entities, size.years, now);
  await incidents(p, r, entities, size.incidents, size.years, now);
  await audits(p, r, entities, size.audits, now);
  const tick = progress('compliance', 1);
  await p.db.transaction().execute((trx) => createComplianceEngine(p).recompute(trx, null, now));
  tick(1);
  return logins;
}

type Entity = {
  id: string;
  sector: string;
  subsector: string;
  admin_unit: string;
  kind: string;
  cii_tier: number | null;
  annual_turnover: number | null;
};

async function campaigns(p: Platform, r: Random, entities: Entity[], years: number, now: Date) {
  const tick = progress('campaigns', years * entities.length);
  const baseline = await p.db
    .selectFrom('frameworks')
    .select('id')
    .where('kind', '=', 'baseline')
    .orderBy('id')
    .executeTakeFirst();
  if (!baseline) return;
  const dims = ['legal', 'institutional', 'human', 'technical'] as const;
  let done = 0;
  for (let y = years; y >= 1; y--) {
    const year = now.getUTCFullYear() - y;
    const id = newId(Date.UTC(year, 2, 1));
    await p.db
      .insertInto('campaigns')
      .values({
        id,
        name: `National cyber assessment ${year}`,
        description: 'Generated for benchmarks: every entity assessed against the national baseline.',
        frameworks_json: JSON.stringify([baseline.id]),
        selection_json: '{}',
        opens_on: `${year}-03-01`,
        due_on: `${year}-05-31`,
        grace_days: 14,
        status: 'open',
        created_by: 'scale-demo',
        created_at: new Date(Date.UTC(year, 2, 1)).toISOString(),
      })
      .execute();
    // Maturity improves year on year, unevenly across entities.
    const rows = entities.map((e) => {
      const dim = Object.fromEntries(
        dims.map((d) => [d, Math.min(100, Math.max(0, 30 + (years - y) * 6 + (r.next() - 0.5) * 50))]),
      );
      const overall = dims.reduce((s, d) => s + dim[d]!, 0) / dims.length;
      return { e, dim, overall };
    });
    const reviewed = new Date(Date.UTC(year, 5, 15)).toISOString();
    await inBatches(
      p,
      rows,
      500,
      async (trx, chunk) => {
        const ids = chunk.map(() => newId(Date.UTC(year, 5, 15)));
        await trx
          .insertInto('assignments')
          .values(
            chunk.map((c, i) => ({
              id: ids[i]!,
              campaign_id: id,
              entity_id: c.e.id,
              frameworks_json: JSON.stringify([baseline.id]),
              status: 'accepted',
              submission_no: 1,
              score: Math.round(c.overall * 10) / 10,
              score_json: JSON.stringify({ overall: c.overall, dimensions: c.dim }),
              updated_at: reviewed,
            })),
          )
          .execute();
        await trx
          .insertInto('submissions')
          .values(
            chunk.map((_c, i) => ({
              id: newId(Date.UTC(year, 5, 15)),
              assignment_id: ids[i]!,
              number: 1,
              answers_json: '[]',
              score_json: '{}',
              submitted_by: 'scale-demo',
              submitted_at: reviewed,
              decision: 'accept',
              reviewed_by: 'scale-demo',
              reviewed_at: reviewed,
            })),
          )
          .execute();
      },
      (n) => tick(done + n),
    );
    done += rows.length;
    const cells = new Map<
      string,
      { sector: string; admin_unit: string; dimension: string; n: number; score_sum: number }
    >();
    for (const c of rows)
      for (const [dimension, v] of [...Object.entries(c.dim), ['overall', c.overall] as const]) {
        const k = `${c.e.sector}|${c.e.admin_unit}|${dimension}`;
        const cell = cells.get(k) ?? {
          sector: c.e.sector,
          admin_unit: c.e.admin_unit,
          dimension,
          n: 0,
          score_sum: 0,
        };
        cell.n++;
        cell.score_sum += v;
        cells.set(k, cell);
      }
    await inBatches(p, [...cells.values()], 300, async (trx, chunk) => {
      await trx
        .insertInto('assessment_cells')
        .values(chunk.map((c) => ({ campaign_id: id, ...c })))
        .execute();
    });
  }
}

async function incidents(
  p: Platform,
  r: Random,
  entities: Entity[],
  count: number,
  years: number,
  now: Date,
) {
  const tick = progress('incidents', count);
  const sets = loadReportingRuleSets(p.config.catalogDir, p.config.jurisdiction);
  const cal = await p.calendar.businessCalendar();
  const seq = new Map<number, number>();
  const incidentCells = new Map<
    string,
    {
      month: string;
      sector: string;
      admin_unit: string;
      rsit_class: string;
      incidents: number;
      report_minutes: number;
    }
  >();
  const dutyCells = new Map<
    string,
    {
      month: string;
      sector: string;
      admin_unit: string;
      regime: string;
      on_time: number;
      late: number;
      overdue: number;
    }
  >();
  const span = years * 365 * DAY;
  const aware = Array.from({ length: count }, () => now.getTime() - 2 * DAY - r.next() * span).sort(
    (a, b) => a - b,
  );
  const items = aware.map((t) => ({ t, e: r.pick(entities) }));
  await inBatches(
    p,
    items,
    250,
    async (trx, chunk) => {
      const incidentRows = [];
      const reportRows = [];
      const dutyRows = [];
      for (const { t, e } of chunk) {
        const [cls, type] = r.pick(CLASSES);
        const severity = r.pick(SEVERITY);
        const awareAt = new Date(t);
        const reportedAt = new Date(t + (r.next() < 0.9 ? 1 + r.next() * 18 : 26 + r.next() * 40) * HOUR);
        const year = cal.localDate(reportedAt).year;
        const n = (seq.get(year) ?? 0) + 1;
        seq.set(year, n);
        const id = newId(reportedAt.getTime());
        const details = {
          summary: 'Generated incident for benchmarks.',
          affectedServices: ['Core services'],
          usersAffected: r.int(0, 20) * 1000,
          downtimeHours: r.int(0, 24),
          financialLoss: r.int(0, 50) * 100_000,
          personalData: cls === 'information-content-security',
          crossBorder: false,
          suspectedMalicious: true,
          mitigation: 'Contained.',
        };
        const facts = {
          severity,
          rsitClass: cls,
          rsitType: type,
          sector: e.sector,
          subsector: e.subsector,
          entityKind: e.kind,
          ciiTier: e.cii_tier,
          usersAffected: details.usersAffected,
          downtimeHours: details.downtimeHours,
          financialLoss: details.financialLoss,
          financialLossPctOfTurnover: e.annual_turnover
            ? (details.financialLoss / e.annual_turnover) * 100
            : null,
          personalData: details.personalData,
          crossBorder: false,
          suspectedMalicious: true,
          healthImpact: false,
          serviceWhollyUnavailable: false,
          tradeSecretsExfiltrated: false,
          damageToOthers: false,
          recurringIncidents: null,
          recurringFinancialLoss: null,
          recurringFinancialLossPctOfTurnover: null,
        };
        const instants = { awareness: awareAt, classification: reportedAt, detection: awareAt };
        let nextDue: string | null = null;
        let overdue = 0;
        const month = monthOf(reportedAt.toISOString(), cal);
        for (const rs of regimesInForce(sets, toIsoDate(cal.localDate(awareAt)))) {
          if (!regimeApplies(rs, facts)) continue;
          // Each stage in turn: met on time mostly, sometimes late, a few final reports never sent.
          const met = new Map<string, Date>();
          for (let k = 0; k < rs.stages.length; k++) {
            const plan = planDuties(rs, facts, instants, met, cal)[k]!;
            if (!plan.owed || !plan.dueAt) continue;
            const first = k === 0 ? reportedAt.getTime() : null;
            const roll = r.next();
            const when =
              first ??
              (roll < 0.9
                ? plan.dueAt.getTime() - r.next() * 12 * HOUR
                : plan.dueAt.getTime() + (1 + r.next() * 48) * HOUR);
            if (plan.stage.kind === 'final' && roll > 0.97) continue;
            if (when > now.getTime()) continue;
            met.set(plan.stage.code, new Date(Math.max(when, reportedAt.getTime())));
          }
          for (const plan of planDuties(rs, facts, instants, met, cal)) {
            const metAt = met.get(plan.stage.code) ?? null;
            const status = dutyStatus(plan, metAt, now);
            if (status === 'overdue') overdue++;
            if (
              (status === 'due' || status === 'overdue') &&
              plan.dueAt &&
              (!nextDue || plan.dueAt.toISOString() < nextDue)
            )
              nextDue = plan.dueAt.toISOString();
            dutyRows.push({
              id: newId(reportedAt.getTime()),
              incident_id: id,
              entity_id: e.id,
              sector: e.sector,
              regime: rs.code,
              regime_version: rs.version,
              authority: rs.authority,
              stage: plan.stage.code,
              kind: plan.stage.kind,
              position: rs.stages.indexOf(plan.stage),
              due_at: plan.dueAt?.toISOString() ?? null,
              waiting_on: plan.waitingOn,
              basis: plan.basis,
              status,
              met_at: metAt?.toISOString() ?? null,
              report_id: null,
              escalated_at: null,
              updated_at: now.toISOString(),
            });
            const bucket =
              status === 'met'
                ? 'on_time'
                : status === 'met_late'
                  ? 'late'
                  : status === 'overdue'
                    ? 'overdue'
                    : null;
            if (bucket) {
              const k = `${month}|${e.sector}|${e.admin_unit}|${rs.code}`;
              const c = dutyCells.get(k) ?? {
                month,
                sector: e.sector,
                admin_unit: e.admin_unit,
                regime: rs.code,
                on_time: 0,
                late: 0,
                overdue: 0,
              };
              c[bucket]++;
              dutyCells.set(k, c);
            }
          }
        }
        const old = now.getTime() - t > 60 * DAY;
        incidentRows.push({
          id,
          reference: `INC-${year}-${String(n).padStart(6, '0')}`,
          entity_id: e.id,
          sector: e.sector,
          admin_unit: e.admin_unit,
          title: `${cls.replace(/-/g, ' ')} incident`,
          severity,
          rsit_class: cls,
          rsit_type: type,
          tlp: r.next() < 0.7 ? 'AMBER' : 'GREEN',
          status:
            old && !overdue && !nextDue
              ? 'closed'
              : r.pick(['triage', 'investigating', 'contained', 'resolved']),
          aware_at: awareAt.toISOString(),
          detected_at: awareAt.toISOString(),
          classified_at: reportedAt.toISOString(),
          reported_at: reportedAt.toISOString(),
          facts_json: JSON.stringify(details),
          next_due_at: nextDue,
          overdue_duties: overdue,
          created_by: 'scale-demo',
          updated_at: reportedAt.toISOString(),
          closed_at: null,
        });
        reportRows.push({
          id: newId(reportedAt.getTime()),
          incident_id: id,
          kind: 'notification',
          content_json: JSON.stringify(details),
          satisfies_json: '[]',
          submitted_by: 'scale-demo',
          submitted_at: reportedAt.toISOString(),
        });
        const ck = `${month}|${e.sector}|${e.admin_unit}|${cls}`;
        const cell = incidentCells.get(ck) ?? {
          month,
          sector: e.sector,
          admin_unit: e.admin_unit,
          rsit_class: cls,
          incidents: 0,
          report_minutes: 0,
        };
        cell.incidents++;
        cell.report_minutes += Math.round((reportedAt.getTime() - t) / 60_000);
        incidentCells.set(ck, cell);
      }
      await trx.insertInto('incidents').values(incidentRows).execute();
      await trx.insertInto('incident_reports').values(reportRows).execute();
      for (let i = 0; i < dutyRows.length; i += 400)
        await trx
          .insertInto('incident_duties')
          .values(dutyRows.slice(i, i + 400))
          .execute();
    },
    tick,
  );
  await p.db.transaction().execute(async (trx) => {
    const cells = [...incidentCells.values()];
    for (let i = 0; i < cells.length; i += 300)
      await trx
        .insertInto('incident_cells')
        .values(cells.slice(i, i + 300))
        .execute();
    const duties = [...dutyCells.values()];
    for (let i = 0; i < duties.length; i += 300)
      await trx
        .insertInto('duty_cells')
        .values(duties.slice(i, i + 300))
        .execute();
    for (const [year, value] of seq)
      await trx
        .insertInto('sequences')
        .values({ name: `incident:${year}`, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
        .execute();
  });
}

async function audits(p: Platform, r: Random, entities: Entity[], count: number, now: Date) {
  const tick = progress('audits', count);
  const designated = entities.filter((e) => e.cii_tier !== null);
  const pool = designated.length >= count ? designated : entities;
  const baseline = await p.db
    .selectFrom('frameworks')
    .select('id')
    .where('kind', '=', 'baseline')
    .orderBy('id')
    .executeTakeFirst();
  if (!baseline) return;
  const picks = Array.from({ length: count }, (_, i) => ({ i, e: pool[(i * 7919) % pool.length]! }));
  await inBatches(
    p,
    picks,
    200,
    async (trx, chunk) => {
      const audits = [];
      const findings = [];
      const actions = [];
      for (const { i, e } of chunk) {
        const closedAt = new Date(now.getTime() - (30 + r.next() * 700) * DAY);
        const id = newId(closedAt.getTime());
        audits.push({
          id,
          reference: `AUD-S-${String(i + 1).padStart(5, '0')}`,
          plan_id: null,
          entity_id: e.id,
          sector: e.sector,
          admin_unit: e.admin_unit,
          framework_id: baseline.id,
          scope_json: '{"requirements":[],"sites":[],"systems":[]}',
          status: 'closed',
          lead_auditor_id: null,
          response_days: 14,
          preliminary_issued_at: new Date(closedAt.getTime() - 30 * DAY).toISOString(),
          response_due_at: new Date(closedAt.getTime() - 16 * DAY).toISOString(),
          responded_at: new Date(closedAt.getTime() - 18 * DAY).toISOString(),
          final_issued_at: new Date(closedAt.getTime() - 5 * DAY).toISOString(),
          final_summary: 'Generated audit for benchmarks.',
          closed_at: closedAt.toISOString(),
          created_at: new Date(closedAt.getTime() - 60 * DAY).toISOString(),
          updated_at: closedAt.toISOString(),
        });
        for (let f = 0; f < 1 + (i % 3); f++) {
          const fid = newId(closedAt.getTime());
          const open = r.next() < 0.2;
          findings.push({
            id: fid,
            audit_id: id,
            entity_id: e.id,
            item_id: null,
            title: 'Generated finding',
            description: 'Generated for benchmarks.',
            severity: r.pick(['low', 'medium', 'high'] as const),
            status: open ? 'open' : 'closed',
            entity_response: 'Accepted.',
            responded_at: closedAt.toISOString(),
            created_by: 'scale-demo',
            created_at: closedAt.toISOString(),
            closed_at: open ? null : closedAt.toISOString(),
          });
          const due = new Date(closedAt.getTime() + (30 + r.next() * 120) * DAY);
          actions.push({
            id: newId(closedAt.getTime()),
            finding_id: fid,
            audit_id: id,
            entity_id: e.id,
            title: 'Generated corrective action',
            owner: 'CISO',
            due_on: due.toISOString().slice(0, 10),
            milestones_json: '[]',
            status: open ? 'in_progress' : 'verified',
            overdue_at: open && due < now ? now.toISOString() : null,
            created_by: 'scale-demo',
            created_at: closedAt.toISOString(),
            updated_at: closedAt.toISOString(),
          });
        }
      }
      await trx.insertInto('audits').values(audits).execute();
      await trx.insertInto('findings').values(findings).execute();
      await trx.insertInto('corrective_actions').values(actions).execute();
    },
    tick,
  );
}

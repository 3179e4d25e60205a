import { sql } from 'kysely';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import {
  disclose,
  disclosureOut,
  disclosurePolicy,
  suppress,
  type Relation,
  type SuppressionReason,
} from '../../platform/disclosure/index.ts';
import { toIsoDate } from '../../platform/jurisdiction/time.ts';
import type { Platform } from '../../platform/platform.ts';
import { entityPolicy, reachWhere } from '../../platform/access/index.ts';
import { STATUSES } from './incidents.schemas.ts';

// Hidden counts sort last, the others largest first.
const byCount = (a: { incidents: number | null }, b: { incidents: number | null }) =>
  (b.incidents ?? -1) - (a.incidents ?? -1);

const monthsBack = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) - n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};

/**
 * The national picture of incident reporting, read from the incrementally maintained cells:
 * incidents per month by sector, class and province, mean time from awareness to report,
 * and the share of statutory reports that arrived on time.
 */
export function createIncidentNationalService(p: Platform) {
  return {
    async overview(ctx: RequestContext, months: number) {
      const actor = requirePermission(ctx, 'national.aggregates.read');
      const reach = entityPolicy.countReach(actor);
      if (!reach) throw new ForbiddenError();
      const cal = await p.calendar.businessCalendar();
      const to = toIsoDate(cal.localDate(p.clock.now())).slice(0, 7);
      const from = monthsBack(to, months - 1);
      // Grouped in SQL so that only the few rows a chart needs leave the database.
      const cells = () =>
        p.db
          .selectFrom('incident_cells')
          .where('month', '>=', from)
          .where('month', '<=', to)
          .where((eb) => reachWhere(eb, reach, { sector: 'sector', unit: 'admin_unit' }));
      const sum = (col: 'incidents' | 'report_minutes') => sql<number>`sum(${sql.ref(col)})`.as(col);
      const [monthSector, classes, units, sectorRows, dutyRows, openNow] = await Promise.all([
        cells()
          .select(['month', 'sector', sum('incidents')])
          .groupBy(['month', 'sector'])
          .execute(),
        cells()
          .select(['rsit_class', sum('incidents')])
          .groupBy('rsit_class')
          .execute(),
        cells()
          .select(['admin_unit', sum('incidents')])
          .groupBy('admin_unit')
          .execute(),
        cells()
          .select(['sector', sum('incidents'), sum('report_minutes')])
          .groupBy('sector')
          .execute(),
        p.db
          .selectFrom('duty_cells')
          .select((eb) => [
            'sector',
            eb.fn.sum<number>('on_time').as('on_time'),
            eb.fn.sum<number>('late').as('late'),
            eb.fn.sum<number>('overdue').as('overdue'),
          ])
          .where('month', '>=', from)
          .where('month', '<=', to)
          .where((eb) => reachWhere(eb, reach, { sector: 'sector', unit: 'admin_unit' }))
          .groupBy('sector')
          .execute(),
        p.db
          .selectFrom('incidents')
          .select((eb) => [
            eb.fn.countAll<number>().as('open'),
            eb.fn.sum<number>(eb.case().when('overdue_duties', '>', 0).then(1).else(0).end()).as('overdue'),
          ])
          .where(
            'status',
            'in',
            STATUSES.filter((x) => x !== 'closed'),
          )
          .where((eb) => reachWhere(eb, reach, { sector: 'sector', unit: 'admin_unit' }))
          .executeTakeFirstOrThrow(),
      ]);

      const monthsList: string[] = [];
      for (let i = months - 1; i >= 0; i--) monthsList.push(monthsBack(to, i));
      const byMonthSector = new Map(monthSector.map((c) => [`${c.month}|${c.sector}`, Number(c.incidents)]));
      const bySector = new Map(sectorRows.map((c) => [c.sector, Number(c.incidents)]));
      const minutes = new Map(sectorRows.map((c) => [c.sector, Number(c.report_minutes)]));
      const timeliness = new Map(
        dutyRows.map((d) => [
          d.sector,
          { onTime: Number(d.on_time), late: Number(d.late), overdue: Number(d.overdue) },
        ]),
      );
      const sectors = [...new Set([...bySector.keys(), ...timeliness.keys()])].sort();
      const classList = classes.map((c) => ({ key: `class:${c.rsit_class}`, n: Number(c.incidents) }));
      const unitList = units.map((c) => ({ key: `unit:${c.admin_unit}`, n: Number(c.incidents) }));
      const sectorList = sectors.map((s) => ({ key: `sector:${s}`, n: bySector.get(s) ?? 0 }));
      const monthCells = monthsList.flatMap((month) =>
        sectors.map((s) => ({ key: `ms:${month}|${s}`, n: byMonthSector.get(`${month}|${s}`) ?? 0 })),
      );
      const total = sectorList.reduce((a, c) => a + c.n, 0);
      // Every list sums to the same number of incidents, and each sector's months to its period count.
      const relations: Relation[] = [
        { terms: classList.map((c) => c.key), total: 'total' },
        { terms: unitList.map((c) => c.key), total: 'total' },
        { terms: sectorList.map((c) => c.key), total: 'total' },
        ...sectors.map((s) => ({ terms: monthsList.map((m) => `ms:${m}|${s}`), total: `sector:${s}` })),
      ];
      // Duty outcomes: a sector's on-time share would give away a hidden count, so it goes with it.
      const duties = sectors.flatMap((s) => {
        const t = timeliness.get(s) ?? { onTime: 0, late: 0, overdue: 0 };
        return [
          { key: `on_time:${s}`, n: t.onTime },
          { key: `late:${s}`, n: t.late },
          { key: `overdue:${s}`, n: t.overdue },
        ];
      });
      const policy = disclosurePolicy(p.catalog.profile, actor, p.clock.now());
      const hidden = policy.exempt
        ? new Map<string, SuppressionReason>()
        : suppress(
            [...classList, ...unitList, ...sectorList, ...monthCells, ...duties, { key: 'total', n: total }],
            relations,
            policy,
          );
      // Two lone national counts: nothing else is published that they could be subtracted from.
      const single = (n: number) =>
        disclose(n, !policy.exempt && n > 0 && n < policy.minCohort ? 'below_cohort' : undefined);
      const shown = (key: string, n: number) => disclose(n, hidden.get(key));
      const count = (key: string, n: number) => {
        const d = shown(key, n);
        return { incidents: d.n, suppressed: d.suppressed, reason: d.reason };
      };
      return {
        from,
        to,
        disclosure: disclosureOut(policy),
        reported: count('total', total),
        openIncidents: single(Number(openNow.open)).n,
        incidentsWithOverdueReports: single(Number(openNow.overdue ?? 0)).n,
        months: monthsList.map((month) => ({
          month,
          bySector: Object.fromEntries(
            sectors.map((s) => [s, count(`ms:${month}|${s}`, byMonthSector.get(`${month}|${s}`) ?? 0)]),
          ),
        })),
        byClass: classes
          .map((c) => ({ rsitClass: c.rsit_class, ...count(`class:${c.rsit_class}`, Number(c.incidents)) }))
          .sort(byCount),
        byAdminUnit: units
          .map((c) => ({ adminUnit: c.admin_unit, ...count(`unit:${c.admin_unit}`, Number(c.incidents)) }))
          .sort(byCount),
        sectors: sectors.map((sector) => {
          const n = bySector.get(sector) ?? 0;
          const t = timeliness.get(sector) ?? { onTime: 0, late: 0, overdue: 0 };
          const due = t.onTime + t.late + t.overdue;
          const c = count(`sector:${sector}`, n);
          const onTime = shown(`on_time:${sector}`, t.onTime);
          const late = shown(`late:${sector}`, t.late);
          const missing = shown(`overdue:${sector}`, t.overdue);
          const dutiesHidden = onTime.suppressed || late.suppressed || missing.suppressed;
          return {
            sector,
            ...c,
            meanHoursToReport:
              n && !c.suppressed ? Math.round(((minutes.get(sector) ?? 0) / n / 60) * 10) / 10 : null,
            reportsOnTime: onTime.n,
            reportsLate: late.n,
            reportsMissing: missing.n,
            reportsReason: onTime.reason ?? late.reason ?? missing.reason,
            onTimeShare: due && !dutiesHidden ? Math.round((t.onTime / due) * 1000) / 10 : null,
          };
        }),
      };
    },
  };
}

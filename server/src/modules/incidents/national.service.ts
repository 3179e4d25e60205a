import { sql } from 'kysely';
import { requirePermission } from '../../platform/auth/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { toIsoDate } from '../../platform/jurisdiction/time.ts';
import type { Platform } from '../../platform/platform.ts';
import { countScope } from '../registry/registry.scope.ts';
import { STATUSES } from './incidents.schemas.ts';

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
      const scope = countScope(actor);
      if (!scope) throw new ForbiddenError();
      const cal = await p.calendar.businessCalendar();
      const to = toIsoDate(cal.localDate(p.clock.now())).slice(0, 7);
      const from = monthsBack(to, months - 1);
      // Grouped in SQL so that only the few rows a chart needs leave the database.
      const where =
        'national' in scope
          ? sql<boolean>`1 = 1`
          : sql<boolean>`(sector in (${sql.join(scope.sectors.length ? scope.sectors : ['-'])}) or admin_unit in (${sql.join(scope.units.length ? scope.units : ['-'])}))`;
      const cells = () =>
        p.db.selectFrom('incident_cells').where('month', '>=', from).where('month', '<=', to).where(where);
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
          .where(where)
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
          .where(where)
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
      return {
        from,
        to,
        openIncidents: Number(openNow.open),
        incidentsWithOverdueReports: Number(openNow.overdue ?? 0),
        months: monthsList.map((month) => ({
          month,
          bySector: Object.fromEntries(sectors.map((s) => [s, byMonthSector.get(`${month}|${s}`) ?? 0])),
        })),
        byClass: classes
          .map((c) => ({ rsitClass: c.rsit_class, incidents: Number(c.incidents) }))
          .sort((a, b) => b.incidents - a.incidents),
        byAdminUnit: units
          .map((c) => ({ adminUnit: c.admin_unit, incidents: Number(c.incidents) }))
          .sort((a, b) => b.incidents - a.incidents),
        sectors: sectors.map((sector) => {
          const n = bySector.get(sector) ?? 0;
          const t = timeliness.get(sector) ?? { onTime: 0, late: 0, overdue: 0 };
          const due = t.onTime + t.late + t.overdue;
          return {
            sector,
            incidents: n,
            meanHoursToReport: n ? Math.round(((minutes.get(sector) ?? 0) / n / 60) * 10) / 10 : null,
            reportsOnTime: t.onTime,
            reportsLate: t.late,
            reportsMissing: t.overdue,
            onTimeShare: due ? Math.round((t.onTime / due) * 1000) / 10 : null,
          };
        }),
      };
    },
  };
}

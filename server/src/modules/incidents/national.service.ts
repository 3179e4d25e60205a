import { requirePermission } from '../../platform/auth/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { toIsoDate } from '../../platform/jurisdiction/time.ts';
import type { Platform } from '../../platform/platform.ts';
import { countScope } from '../registry/registry.scope.ts';

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
      let cells = p.db
        .selectFrom('incident_cells')
        .select(['month', 'sector', 'admin_unit', 'rsit_class', 'incidents', 'report_minutes'])
        .where('month', '>=', from)
        .where('month', '<=', to);
      let duties = p.db
        .selectFrom('duty_cells')
        .select(['month', 'sector', 'admin_unit', 'regime', 'on_time', 'late', 'overdue'])
        .where('month', '>=', from)
        .where('month', '<=', to);
      let open = p.db.selectFrom('incidents').where('status', '!=', 'closed');
      if (!('national' in scope)) {
        const sectors = scope.sectors.length ? scope.sectors : ['-'];
        const units = scope.units.length ? scope.units : ['-'];
        cells = cells.where((eb) => eb.or([eb('sector', 'in', sectors), eb('admin_unit', 'in', units)]));
        duties = duties.where((eb) => eb.or([eb('sector', 'in', sectors), eb('admin_unit', 'in', units)]));
        open = open.where((eb) => eb.or([eb('sector', 'in', sectors), eb('admin_unit', 'in', units)]));
      }
      const [cellRows, dutyRows, openNow] = await Promise.all([
        cells.execute(),
        duties.execute(),
        open
          .select((eb) => [
            eb.fn.countAll<number>().as('open'),
            eb.fn.sum<number>(eb.case().when('overdue_duties', '>', 0).then(1).else(0).end()).as('overdue'),
          ])
          .executeTakeFirstOrThrow(),
      ]);

      const monthsList: string[] = [];
      for (let i = months - 1; i >= 0; i--) monthsList.push(monthsBack(to, i));
      const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
      const byMonthSector = new Map<string, number>();
      const bySector = new Map<string, number>();
      const byClass = new Map<string, number>();
      const byUnit = new Map<string, number>();
      const minutes = new Map<string, number>();
      for (const c of cellRows) {
        add(byMonthSector, `${c.month}|${c.sector}`, Number(c.incidents));
        add(bySector, c.sector, Number(c.incidents));
        add(byClass, c.rsit_class, Number(c.incidents));
        add(byUnit, c.admin_unit, Number(c.incidents));
        add(minutes, c.sector, Number(c.report_minutes));
      }
      const timeliness = new Map<string, { onTime: number; late: number; overdue: number }>();
      for (const d of dutyRows) {
        const t = timeliness.get(d.sector) ?? { onTime: 0, late: 0, overdue: 0 };
        t.onTime += Number(d.on_time);
        t.late += Number(d.late);
        t.overdue += Number(d.overdue);
        timeliness.set(d.sector, t);
      }
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
        byClass: [...byClass]
          .map(([rsitClass, incidents]) => ({ rsitClass, incidents }))
          .sort((a, b) => b.incidents - a.incidents),
        byAdminUnit: [...byUnit]
          .map(([adminUnit, incidents]) => ({ adminUnit, incidents }))
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

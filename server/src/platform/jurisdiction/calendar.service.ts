import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/types.ts';
import type { AuditWriter } from '../audit/audit.ts';
import { requirePermission } from '../access/permissions.ts';
import type { Clock } from '../clock.ts';
import type { RequestContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Executor } from '../jobs/jobs.ts';
import { BusinessCalendar } from './business-calendar.ts';
import type { JurisdictionCatalog } from './catalog.ts';

/** A calendar date within the years the calendar can list (2000-2100). */
export const CalendarDate = z.iso
  .date()
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'must be a date between 2000-01-01 and 2100-12-31');

export const HolidayInput = z.object({
  date: CalendarDate,
  nameEn: z.string().trim().min(1).max(200),
  nameUr: z.string().trim().max(200).nullable().optional(),
  provisional: z.boolean().default(false),
});
export type HolidayInput = z.infer<typeof HolidayInput>;

export interface Holiday {
  date: string;
  nameEn: string;
  nameUr: string | null;
  provisional: boolean;
  source: 'catalog' | 'manual';
}

const CACHE_MS = 60_000;

export function createCalendarService(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  audit: AuditWriter;
  catalog: JurisdictionCatalog;
}) {
  const { db, dialect, clock, audit, catalog } = deps;
  const code = catalog.profile.code;
  let cached: { at: number; calendar: BusinessCalendar } | undefined;

  async function holidayRows(year?: number, ex: Executor = db) {
    let q = ex
      .selectFrom('holidays')
      .select(['date', 'name_en', 'name_ur', 'provisional', 'source'])
      .where('jurisdiction', '=', code)
      .where('removed', '=', 0)
      .orderBy('date');
    if (year) q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
    return q.execute();
  }

  return {
    /** Adds catalog holidays the database does not know yet; edits made in Qila are never overwritten. */
    async syncCatalogHolidays(): Promise<number> {
      let added = 0;
      const now = clock.now().toISOString();
      for (const file of catalog.holidayFiles) {
        for (const h of file.holidays) {
          const res = await db
            .insertInto('holidays')
            .values({
              id: newId(),
              jurisdiction: code,
              date: h.date,
              name_en: h.name.en,
              name_ur: h.name.ur ?? null,
              provisional: h.provisional ? 1 : 0,
              source: 'catalog',
              updated_at: now,
            })
            .onConflict((oc) => oc.columns(['jurisdiction', 'date']).doNothing())
            .executeTakeFirst();
          added += Number(res.numInsertedOrUpdatedRows ?? 0);
        }
      }
      cached = undefined;
      return added;
    },

    async listHolidays(ctx: RequestContext, year: number): Promise<Holiday[]> {
      requirePermission(ctx, 'jurisdiction.read');
      const rows = await holidayRows(year);
      return rows.map((r) => ({
        date: r.date,
        nameEn: r.name_en,
        nameUr: r.name_ur,
        provisional: r.provisional === 1,
        source: r.source as Holiday['source'],
      }));
    },

    async upsertHoliday(ctx: RequestContext, input: HolidayInput): Promise<Holiday> {
      requirePermission(ctx, 'jurisdiction.holidays.edit');
      const now = clock.now().toISOString();
      const values = {
        name_en: input.nameEn,
        name_ur: input.nameUr ?? null,
        provisional: input.provisional ? 1 : 0,
        source: 'manual',
        removed: 0,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        // Insert first, so two edits of a new date cannot both insert; an existing date is then
        // locked and updated, and the audit's "before" is the row this edit actually replaced.
        const inserted = await trx
          .insertInto('holidays')
          .values({ id: newId(), jurisdiction: code, date: input.date, ...values })
          .onConflict((oc) => oc.columns(['jurisdiction', 'date']).doNothing())
          .executeTakeFirst();
        let before = null;
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
          let q = trx
            .selectFrom('holidays')
            .selectAll()
            .where('jurisdiction', '=', code)
            .where('date', '=', input.date);
          if (dialect === 'postgres') q = q.forUpdate();
          before = await q.executeTakeFirstOrThrow();
          await trx.updateTable('holidays').set(values).where('id', '=', before.id).execute();
        }
        await audit(trx, ctx, {
          action: 'holiday.upsert',
          objectType: 'holiday',
          objectId: `${code}:${input.date}`,
          before,
          after: { date: input.date, ...values },
        });
      });
      cached = undefined;
      return {
        date: input.date,
        nameEn: input.nameEn,
        nameUr: input.nameUr ?? null,
        provisional: input.provisional,
        source: 'manual',
      };
    },

    async removeHoliday(ctx: RequestContext, date: string): Promise<void> {
      requirePermission(ctx, 'jurisdiction.holidays.edit');
      await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('holidays')
          .selectAll()
          .where('jurisdiction', '=', code)
          .where('date', '=', date)
          .where('removed', '=', 0)
          .executeTakeFirst();
        if (!before) throw new NotFoundError('holiday');
        const res = await trx
          .updateTable('holidays')
          .set({ removed: 1, updated_at: clock.now().toISOString() })
          .where('id', '=', before.id)
          .where('removed', '=', 0)
          .executeTakeFirst();
        // A concurrent removal got there first: one removal, one audit record.
        if (Number(res.numUpdatedRows) !== 1) throw new NotFoundError('holiday');
        await audit(trx, ctx, {
          action: 'holiday.remove',
          objectType: 'holiday',
          objectId: `${code}:${date}`,
          before,
        });
      });
      cached = undefined;
    },

    /**
     * The calendar deadline rules use. Cached briefly: another instance's edit is seen within
     * a minute, this instance's at once. Inside a transaction (a job), pass it as `ex`.
     */
    async businessCalendar(ex?: Executor): Promise<BusinessCalendar> {
      const now = Date.now();
      if (cached && now - cached.at < CACHE_MS) return cached.calendar;
      const rows = await holidayRows(undefined, ex);
      const calendar = new BusinessCalendar(
        catalog.profile.timeZone,
        catalog.profile.workingDays,
        new Set(rows.map((r) => r.date)),
      );
      cached = { at: now, calendar };
      return calendar;
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;

import { z } from 'zod';
import type { AppInstance } from '../../platform/http/app-instance.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import { CalendarDate, HolidayInput } from '../../platform/jurisdiction/calendar.service.ts';
import type { Platform } from '../../platform/platform.ts';

const Name = z.object({ en: z.string(), ur: z.string().optional() });
const Profile = z.object({
  code: z.string(),
  version: z.string(),
  effectiveFrom: z.string(),
  name: Name,
  timeZone: z.string(),
  currency: z.string(),
  languages: z.array(z.string()),
  defaultLanguage: z.string(),
  workingDays: z.array(z.number()),
  administrativeUnits: z.array(z.object({ code: z.string(), kind: z.string(), name: Name })),
  regulators: z.array(z.object({ code: z.string(), name: Name, website: z.string().nullable().optional() })),
  sectors: z.array(
    z.object({
      code: z.string(),
      name: Name,
      subsectors: z.array(z.object({ code: z.string(), name: Name, regulator: z.string() })),
    }),
  ),
});
const Holiday = z.object({
  date: z.string(),
  nameEn: z.string(),
  nameUr: z.string().nullable(),
  provisional: z.boolean(),
  source: z.enum(['catalog', 'manual']),
});
const DateParam = z.object({ date: CalendarDate });

export function jurisdictionRoutes(app: AppInstance, p: Platform): void {
  app.get(
    '/api/jurisdiction',
    {
      // Public facts (sectors, provinces, regulators): the sign-in and invitation pages name them.
      schema: {
        tags: ['jurisdiction'],
        summary: 'The jurisdiction profile in force (public)',
        response: { 200: Profile },
      },
      config: { public: true },
    },
    async () => p.catalog.profile,
  );

  app.get(
    '/api/jurisdiction/holidays',
    {
      schema: {
        tags: ['jurisdiction'],
        summary: 'Public holidays of one year',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: z.object({ items: z.array(Holiday) }) },
      },
    },
    async (req) => ({ items: await p.calendar.listHolidays(req.ctx, req.query.year) }),
  );

  app.put(
    '/api/jurisdiction/holidays/:date',
    {
      schema: {
        tags: ['jurisdiction'],
        summary: 'Add or correct a public holiday (for example when the moon is sighted)',
        params: DateParam,
        body: HolidayInput.omit({ date: true }),
        response: { 200: Holiday },
      },
    },
    async (req) => p.calendar.upsertHoliday(req.ctx, { ...req.body, date: req.params.date }),
  );

  app.delete(
    '/api/jurisdiction/holidays/:date',
    {
      schema: {
        tags: ['jurisdiction'],
        summary: 'Remove a public holiday',
        params: DateParam,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await p.calendar.removeHoliday(req.ctx, req.params.date);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/jurisdiction/business-days',
    {
      schema: {
        tags: ['jurisdiction'],
        summary: 'Adds business days to an instant using the working week and holiday calendar',
        querystring: z.object({
          from: z.iso.datetime({ offset: true }),
          days: z.coerce.number().int().min(0).max(365),
        }),
        response: { 200: z.object({ from: z.string(), days: z.number(), due: z.string() }) },
      },
    },
    async (req) => {
      requirePermission(req.ctx, 'jurisdiction.read');
      const cal = await p.calendar.businessCalendar();
      const due = cal.addBusinessDays(new Date(req.query.from), req.query.days);
      return { from: new Date(req.query.from).toISOString(), days: req.query.days, due: due.toISOString() };
    },
  );
}

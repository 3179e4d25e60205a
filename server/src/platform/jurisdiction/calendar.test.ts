import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/harness.ts';
import { systemContext } from '../context.ts';
import { BusinessCalendar } from './business-calendar.ts';
import { loadJurisdiction } from './catalog.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/catalogs');

describe('business calendar (pure)', () => {
  // Pakistan: Monday-Friday, UTC+5; 2026-03-23 (Monday) is Pakistan Day.
  const pk = new BusinessCalendar('Asia/Karachi', [1, 2, 3, 4, 5], new Set(['2026-03-23']));

  it('skips weekends and holidays, keeping the local time of day', () => {
    // Thursday 19 March 2026, 15:00 in Karachi (10:00 UTC) + 2 business days = Tuesday 24 March 15:00.
    const due = pk.addBusinessDays(new Date('2026-03-19T10:00:00Z'), 2);
    expect(due.toISOString()).toBe('2026-03-24T10:00:00.000Z');
  });

  it('uses the local date, not the UTC date', () => {
    // Friday 20:30 UTC is already Saturday 01:30 in Karachi.
    expect(pk.isBusinessDay(pk.localDate(new Date('2026-03-20T20:30:00Z')))).toBe(false);
  });

  it('rolls a deadline that falls on a non-working day to noon of the next working day', () => {
    const sunday = new Date('2026-03-22T06:00:00Z');
    expect(pk.rollForward(sunday).toISOString()).toBe('2026-03-24T07:00:00.000Z');
  });

  it('counts business days between two instants', () => {
    expect(pk.businessDaysBetween(new Date('2026-03-19T10:00:00Z'), new Date('2026-03-26T10:00:00Z'))).toBe(
      4,
    );
  });
});

describe('jurisdiction profiles are data', () => {
  it('loads and validates the Pakistan profile', () => {
    const pk = loadJurisdiction(path.resolve(import.meta.dirname, '../../../../catalogs'), 'pk');
    expect(pk.profile.timeZone).toBe('Asia/Karachi');
    expect(pk.profile.currency).toBe('PKR');
    expect(pk.profile.administrativeUnits.map((u) => u.code)).toEqual(
      expect.arrayContaining(['PK-PB', 'PK-SD', 'PK-KP', 'PK-BA', 'PK-IS', 'PK-JK', 'PK-GB']),
    );
    for (const s of ['telecom', 'finance', 'energy', 'health', 'it', 'government']) {
      expect(pk.profile.sectors.map((x) => x.code)).toContain(s);
    }
    expect(pk.holidayFiles.length).toBeGreaterThanOrEqual(1);
  });

  it('runs another jurisdiction with a Sunday-Thursday week in UTC+3 (nothing is hard-wired to Pakistan)', async () => {
    const t = await createTestPlatform({ env: { QILA_CATALOG_DIR: FIXTURES, QILA_JURISDICTION: 'xl' } });
    try {
      expect(t.p.catalog.profile.name.en).toBe('Examplia');
      const cal = await t.p.calendar.businessCalendar();
      // Thursday 26 Feb 2026 12:00 Riyadh + 3 business days: skips Fri/Sat and Tue 3 March (Founders Day).
      expect(cal.addBusinessDays(new Date('2026-02-26T09:00:00Z'), 3).toISOString()).toBe(
        '2026-03-04T09:00:00.000Z',
      );
      const { loadDemo } = await import('../../demo/demo.ts');
      await loadDemo(t.p, { entities: 20 });
      const units = await t.p.db.selectFrom('entities').select('admin_unit').distinct().execute();
      expect(units.map((u) => u.admin_unit).sort()).toEqual(['XL-N', 'XL-S']);
    } finally {
      await t.close();
    }
  });
});

describe('editable holiday calendar', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.close());

  it('seeds the catalog holidays once', async () => {
    const list = await t.p.calendar.listHolidays(systemContext(), 2026);
    expect(list.find((h) => h.date === '2026-08-14')?.nameEn).toMatch(/Independence/);
    expect(await t.p.calendar.syncCatalogHolidays()).toBe(0);
  });

  it('lets the Authority declare a holiday (a moon sighting) and deadlines move with it, with an audit record', async () => {
    const ctx = systemContext('calendar-admin');
    const before = await t.p.calendar.businessCalendar();
    const from = new Date('2026-06-01T05:00:00Z'); // Monday
    expect(before.addBusinessDays(from, 1).toISOString()).toBe('2026-06-02T05:00:00.000Z');
    await t.p.calendar.upsertHoliday(ctx, {
      date: '2026-06-02',
      nameEn: 'Special holiday',
      provisional: false,
    });
    const after = await t.p.calendar.businessCalendar();
    expect(after.addBusinessDays(from, 1).toISOString()).toBe('2026-06-03T05:00:00.000Z');
    await t.p.calendar.removeHoliday(ctx, '2026-06-02');
    expect((await t.p.calendar.businessCalendar()).addBusinessDays(from, 1).toISOString()).toBe(
      '2026-06-02T05:00:00.000Z',
    );
    const audit = await t.p.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', 'PK:2026-06-02')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['holiday.upsert', 'holiday.remove']);
  });

  it('refuses edits from a caller without the permission', async () => {
    const ctx = {
      actor: {
        kind: 'user' as const,
        userId: 'u',
        label: 'u',
        roles: [{ role: 'observer' as const, scopeKind: 'national' as const, scopeValue: null }],
      },
      requestId: 'r',
      ip: null,
    };
    await expect(
      t.p.calendar.upsertHoliday(ctx, { date: '2026-06-05', nameEn: 'X', provisional: false }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

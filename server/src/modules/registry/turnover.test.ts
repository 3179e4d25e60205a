import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../test/harness.ts';

/** Turnover is a number in the jurisdiction's currency; neither the column nor the API names one. */
describe('annual turnover without a currency in its name', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signInAs({
      email: 'a@x.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const upload = (fileName: string, csv: string) => {
    const boundary = '----qilaTurnover';
    return t.app.inject({
      method: 'POST',
      url: '/api/registry/imports',
      headers: { ...admin.headers(true), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        Buffer.from(csv),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
  };

  it('is annualTurnover in the API and annual_turnover in the database', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: admin.headers(true),
      payload: {
        registrationNo: 'PK-TURN-1',
        nameEn: 'Margalla Telecom',
        kind: 'cii_operator',
        sector: 'telecom',
        subsector: 'telecom.fixed',
        adminUnit: 'PK-SD',
        size: 'large',
        annualTurnover: 7_500_000_000,
      },
    });
    expect(created.statusCode).toBe(201);
    const e = created.json<{ id: string; annualTurnover: number | null }>();
    expect(e.annualTurnover).toBe(7_500_000_000);
    const row = await t.p.db
      .selectFrom('entities')
      .select('annual_turnover')
      .where('id', '=', e.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.annual_turnover)).toBe(7_500_000_000);
  });

  it('imports a file exported before the rename, and names the currency when a figure is wrong', async () => {
    const header = 'registration_no,name_en,kind,sector,subsector,admin_unit,size,annual_turnover_pkr';
    const row = (n: number, turnover: string) =>
      `PK-TURN-${n},Ravi Cloud ${n},digital_service_provider,it,it.cloud-hosting,PK-PB,medium,${turnover}`;
    const bad = (await upload('old.csv', [header, row(2, '12.5')].join('\n'))).json<{
      errors: { column: string | null; message: string }[];
    }>();
    expect(bad.errors).toEqual([
      expect.objectContaining({
        column: 'annual_turnover',
        message: 'must be a whole number in PKR, without decimals or a minus sign',
      }),
    ]);
    const report = (await upload('old.csv', [header, row(3, '250000000')].join('\n'))).json<{
      id: string;
      errorCount: number;
      warnings: string[];
    }>();
    expect(report).toMatchObject({ errorCount: 0, warnings: [] });
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/registry/imports/${report.id}/commit`,
      headers: admin.headers(true),
    });
    expect(commit.statusCode).toBe(200);
    const imported = await t.p.db
      .selectFrom('entities')
      .select('annual_turnover')
      .where('registration_no', '=', 'PK-TURN-3')
      .executeTakeFirstOrThrow();
    expect(Number(imported.annual_turnover)).toBe(250_000_000);
  });
});

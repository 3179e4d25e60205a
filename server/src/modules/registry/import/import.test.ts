import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../../test/harness.ts';
import { expectAudited } from '../../../../test/audited.ts';

function multipart(fileName: string, content: Buffer, type = 'text/csv') {
  const boundary = '----qilaTestBoundary';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

const HEADER =
  'registration_no,name_en,kind,sector,subsector,admin_unit,size,annual_turnover,cii_tier,ciso_name,ciso_email';
const good = (n: number, extra = '') =>
  `PK-IMP-${n},Indus Data Centre ${n},digital_service_provider,it,it.cloud-hosting,PK-SD,medium,250000000,${extra},Sara Khan,sara${n}@idc.example,+92 21 3456789`;

interface Report {
  id: string;
  totalRows: number;
  validRows: number;
  errorCount: number;
  errors: { row: number; column: string | null; message: string }[];
  toCreate: number;
  toUpdate: number;
  created: number | null;
  updated: number | null;
}

describe('bulk import and export', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp({ env: { QILA_MAX_UPLOAD_MB: '5' } });
    admin = await t.signInAs({
      email: 'a@x.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const upload = async (fileName: string, content: Buffer, type?: string) => {
    const m = multipart(fileName, content, type);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/registry/imports',
      headers: { ...admin.headers(true), ...m.headers },
      payload: m.payload,
    });
    return res;
  };
  const entityCount = async () =>
    Number(
      (
        await t.p.db
          .selectFrom('entities')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('reports every problem by row and column in the dry run, and writes nothing', async () => {
    const lines = [
      HEADER,
      good(1, '2'),
      'PK-IMP-2,,private_enterprise,it,it.software,PK-PB,small,,,,', // missing name
      'PK-IMP-3,Chenab Widgets,private_enterprise,shipbuilding,it.software,PK-PB,small,,,,', // unknown sector
      good(1, ''), // duplicate registration number of row 2
      'PK-IMP-5,"=HYPERLINK(""http://evil.example"",""click"")",private_enterprise,it,it.software,PK-PB,small,,,,', // formula injection
      `PK-IMP-6,${'x'.repeat(600)},private_enterprise,it,it.software,PK-PB,small,,,,`, // oversized cell
      'PK-IMP-7,Ravi Traders,private_enterprise,it,it.software,PK-ZZ,huge,-5,4,,not-an-email', // several problems
    ];
    const bytes = Buffer.concat([
      Buffer.from(lines.join('\n') + '\n'),
      Buffer.from('PK-IMP-8,Caf'),
      Buffer.from([0xe9]), // Latin-1 "é": not UTF-8
      Buffer.from(' Lahore,private_enterprise,it,it.software,PK-PB,small,,,,\n'),
    ]);
    const before = await entityCount();
    const res = await upload('mixed.csv', bytes);
    expect(res.statusCode).toBe(201);
    const r = res.json<Report>();
    expect(r).toMatchObject({ totalRows: 8, validRows: 1 });
    const at = (row: number) => r.errors.filter((e) => e.row === row).map((e) => `${e.column}: ${e.message}`);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['name_en: is required']);
    expect(at(4)).toEqual(['sector: "shipbuilding" is not a sector of Pakistan']);
    expect(at(5)).toEqual(['registration_no: duplicates row 2']);
    expect(at(6)).toEqual(['name_en: looks like a spreadsheet formula; remove the leading character']);
    expect(at(7)).toEqual(['name_en: is 600 characters long; the limit is 500']);
    expect(at(8)).toEqual(
      expect.arrayContaining([
        'size: must be one of micro, small, medium, large',
        'admin_unit: "PK-ZZ" is not an administrative unit',
        'annual_turnover: must be a whole number in PKR, without decimals or a minus sign',
        'cii_tier: must be 1, 2, 3 or empty',
        'ciso_email: is not an email address',
      ]),
    );
    expect(at(9)).toEqual(['name_en: is not valid UTF-8 text; save the file as "CSV UTF-8"']);
    expect(await entityCount()).toBe(before);
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/registry/imports/${r.id}/commit`,
      headers: admin.headers(true),
    });
    expect(commit.statusCode).toBe(409);
    expect(commit.json()).toMatchObject({ code: 'import_has_errors' });
    expect(await entityCount()).toBe(before);
  });

  it('commits a clean file, and importing it again is idempotent', async () => {
    const csv = Buffer.from([HEADER, good(10, '2'), good(11, ''), good(12, '3')].join('\n'));
    const first = (await upload('clean.csv', csv)).json<Report>();
    expect(first).toMatchObject({ errorCount: 0, toCreate: 3, toUpdate: 0 });
    const done = (
      await t.app.inject({
        method: 'POST',
        url: `/api/registry/imports/${first.id}/commit`,
        headers: admin.headers(true),
      })
    ).json<Report>();
    expect(done).toMatchObject({ created: 3, updated: 0 });
    const again = (
      await t.app.inject({
        method: 'POST',
        url: `/api/registry/imports/${first.id}/commit`,
        headers: admin.headers(true),
      })
    ).json<unknown>();
    expect(again).toMatchObject({ code: 'import_committed' });
    const second = (await upload('clean.csv', csv)).json<Report>();
    expect(second).toMatchObject({ toCreate: 0, toUpdate: 3 });
    await t.app.inject({
      method: 'POST',
      url: `/api/registry/imports/${second.id}/commit`,
      headers: admin.headers(true),
    });
    const rows = await t.p.db
      .selectFrom('entities')
      .select(['registration_no', 'cii_tier', 'regulator'])
      .where('registration_no', 'like', 'PK-IMP-1%')
      .orderBy('registration_no')
      .execute();
    expect(rows).toEqual([
      { registration_no: 'PK-IMP-10', cii_tier: 2, regulator: 'NCSA' },
      { registration_no: 'PK-IMP-11', cii_tier: null, regulator: 'NCSA' },
      { registration_no: 'PK-IMP-12', cii_tier: 3, regulator: 'NCSA' },
    ]);
    const contacts = await t.p.db
      .selectFrom('entity_contacts')
      .select('email')
      .where('kind', '=', 'ciso')
      .where('email', 'like', 'sara1%')
      .execute();
    expect(contacts).toHaveLength(3);
  });

  it('reads XLSX, and reports a cell holding a formula instead of evaluating it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Entities');
    ws.addRow(HEADER.split(','));
    ws.addRow(good(20, '1').split(','));
    ws.addRow([
      'PK-IMP-21',
      { formula: 'HYPERLINK("http://evil.example","x")' },
      'private_enterprise',
      'it',
      'it.software',
      'PK-PB',
      'small',
    ]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const r = (
      await upload('book.xlsx', buf, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    ).json<Report>();
    expect(r).toMatchObject({ totalRows: 2, validRows: 1 });
    expect(r.errors).toEqual([
      { row: 3, column: 'name_en', message: 'is a spreadsheet formula; paste the value instead' },
      { row: 3, column: 'name_en', message: 'is required' },
    ]);
  });

  it('refuses a file that is not CSV or XLSX by its bytes', async () => {
    const res = await upload('registry.csv', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]));
    expect(res.statusCode).toBe(415);
  });

  it('exports CSV with formulas neutralised and XLSX with text cells, in the import format', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/entities',
      headers: admin.headers(true),
      payload: {
        registrationNo: 'PK-EVIL-1',
        nameEn: '=HYPERLINK("http://evil.example","click")',
        kind: 'private_enterprise',
        sector: 'it',
        subsector: 'it.software',
        adminUnit: 'PK-PB',
        size: 'small',
      },
    });
    const csv = await t.app.inject({
      url: '/api/entities/export?format=csv&sector=it',
      headers: admin.headers(),
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    await expectAudited(t, csv, { action: 'export.registry', objectType: 'entity', objectId: null });
    const evil = csv.body.split('\r\n').find((l) => l.startsWith('PK-EVIL-1'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv.body.split('\r\n')[0]).toMatch(/^\uFEFFregistration_no,name_en,name_ur,kind/);

    const xlsx = await t.app.inject({
      url: '/api/entities/export?format=xlsx&sector=it',
      headers: admin.headers(),
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    let found = false;
    ws.eachRow((row) => {
      if (row.getCell(1).value === 'PK-EVIL-1') {
        found = true;
        expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
      }
    });
    expect(found).toBe(true);

    // What Qila exports, Qila imports without a single change or problem.
    const back = (
      await upload('roundtrip.csv', Buffer.from(csv.body.replace(/^.*PK-EVIL-1.*\r\n/m, '')))
    ).json<Report>();
    expect(back.errorCount).toBe(0);
    expect(back.toCreate).toBe(0);
  });
});

import { PassThrough } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Agent, type TestApp } from '../../../../test/harness.ts';
import { LIMITS, parseXlsx } from './parse.ts';
import { xlsxRows } from './xlsx.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function multipart(fileName: string, content: Buffer, type: string) {
  const boundary = '----qilaLimitsBoundary';
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

/** A workbook written row by row with exceljs's streaming writer, as a large export would be. */
async function streamedWorkbook(
  rows: number,
  row: (i: number) => (string | number)[],
  useSharedStrings = false,
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings, useStyles: false });
  const ws = wb.addWorksheet('Entities');
  ws.addRow(['registration_no', 'name_en', 'name_ur']).commit();
  for (let i = 0; i < rows; i++) ws.addRow(row(i)).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

/** A bare ZIP archive; `declared` lets a member lie about its unpacked size, as a zip bomb does. */
function zip(members: { name: string; data: Buffer; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const packed = deflateRawSync(m.data);
    const name = Buffer.from(m.name);
    const size = m.declared ?? m.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const sheetXml = (body: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`,
  );

describe('import limits while reading', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp({ env: { QILA_MAX_UPLOAD_MB: '25' } });
    admin = await t.signInAs({
      email: 'limits@x.gov',
      displayName: 'L',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  const upload = (fileName: string, content: Buffer, type: string) => {
    const m = multipart(fileName, content, type);
    return t.app.inject({
      method: 'POST',
      url: '/api/registry/imports',
      headers: { ...admin.headers(true), ...m.headers },
      payload: m.payload,
    });
  };

  it('refuses a 200,000-row XLSX at the row limit after reading only that many rows, in bounded memory', async () => {
    const book = await streamedWorkbook(2 * LIMITS.rows, (i) => [`R${i}`, i]);

    // Reading stops at the first row past the limit: the rows after it are never read.
    let read = 0;
    const small = { maxRows: 1000, maxSheetBytes: LIMITS.sheetBytes, maxStringsBytes: LIMITS.stringsBytes };
    await expect(
      (async () => {
        for await (const batch of xlsxRows(book, small)) read += batch.length;
      })(),
    ).rejects.toThrow(/more than 1,000 rows/);
    expect(read).toBeLessThanOrEqual(1001);
    expect(read).toBeGreaterThan(900);

    // Over HTTP: a 4xx naming the limit, while the event loop keeps serving and memory stays flat.
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
    delay.enable();
    const started = Date.now();
    const res = await upload('large.xlsx', book, XLSX);
    const took = Date.now() - started;
    delay.disable();
    clearInterval(sampler);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json()).toMatchObject({
      detail: 'The sheet has more than 100,000 rows; import at most 100,000 at a time.',
      limit: 100_000,
    });
    // Reading a whole sheet this size at once took about 400 MB and held the loop for seconds.
    expect(peak - before).toBeLessThan(300 * 1024 * 1024);
    expect(delay.max / 1e6).toBeLessThan(Math.min(1500, took));
    expect(await t.p.db.selectFrom('imports').select('id').execute()).toEqual([]);
  }, 60_000);

  it('refuses a CSV past the row limit, and a cell past the cell limit, naming the limit', async () => {
    const rows = Array.from({ length: LIMITS.rows + 1 }, (_, i) => `R${i},N${i}`);
    const res = await upload(
      'many.csv',
      Buffer.from(['registration_no,name_en', ...rows].join('\n')),
      'text/csv',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/more than 100,000 rows; import at most 100,000/);

    const wide = await upload(
      'wide.csv',
      Buffer.from(`registration_no,name_en\nR1,${'x'.repeat(40_000)}\n`),
      'text/csv',
    );
    expect(wide.statusCode).toBe(400);
    expect(wide.json<{ detail: string }>().detail).toBe(
      'Row 2, column name_en holds 40,000 characters; a cell holds at most 32,767.',
    );
  });

  it('keeps Urdu letters whole however the workbook falls into chunks, with inline or shared text', async () => {
    const urdu = 'پاکستان ٹیلی کمیونیکیشن اتھارٹی';
    for (const shared of [false, true]) {
      const book = await streamedWorkbook(8_000, (i) => [`R${i}`, `Name ${i}`, `${urdu} ${i}`], shared);
      const sheet = await parseXlsx(book);
      expect(sheet.columns).toEqual(['registration_no', 'name_en', 'name_ur']);
      expect(sheet.rows).toHaveLength(8_000);
      const wrong = sheet.rows.filter((r, i) => r.cells.name_ur !== `${urdu} ${i}`);
      expect(wrong).toEqual([]);
    }
  });

  it('refuses a zip bomb by the bytes it unpacks to, whatever its directory claims', async () => {
    const limits = { maxRows: LIMITS.rows, maxSheetBytes: 1024 * 1024, maxStringsBytes: 1024 * 1024 };
    const padding = sheetXml(
      `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>${' '.repeat(4 * 1024 * 1024)}`,
    );
    const drain = async (buf: Buffer) => {
      for await (const batch of xlsxRows(buf, limits)) void batch;
    };
    // Honest about its size: refused before anything is unpacked.
    await expect(drain(zip([{ name: 'xl/worksheets/sheet1.xml', data: padding }]))).rejects.toMatchObject({
      status: 413,
      message: "The workbook's sheet unpacks to more than 1 MB, the most this import reads.",
    });
    // Lying about it: refused once the unpacked bytes pass the limit.
    await expect(
      drain(zip([{ name: 'xl/worksheets/sheet1.xml', data: padding, declared: 200 }])),
    ).rejects.toMatchObject({ status: 413 });

    // Through the endpoint, a damaged archive is a 400, never a 500.
    const res = await upload('broken.xlsx', Buffer.from('PK\u0003\u0004 not really a workbook'), XLSX);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toBe(
      'The workbook cannot be read; save it as an .xlsx file.',
    );
  });

  it('reads a character reference past the last code point as written, never a 500', async () => {
    const book = zip([
      {
        name: 'xl/worksheets/sheet1.xml',
        data: sheetXml(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>registration_no</t></is></c><c r="B1" t="inlineStr"><is><t>name_en</t></is></c></row>' +
            '<row r="2"><c r="A2" t="inlineStr"><is><t>R1</t></is></c><c r="B2" t="str"><v>A&#x110000;&#99999999999;</v></c></row>',
        ),
      },
    ]);
    const sheet = await parseXlsx(book);
    expect(sheet.rows[0]!.cells.name_en).toBe('A&#x110000;&#99999999999;');
    const res = await upload('refs.xlsx', book, XLSX);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('names the file in every problem a file it cannot read gets', async () => {
    const empty = await upload('empty.csv', Buffer.from(''), 'text/csv');
    const noSheet = await upload(
      'nosheet.xlsx',
      zip([{ name: 'docProps/app.xml', data: Buffer.from('<a/>') }]),
      XLSX,
    );
    const stored = zip([{ name: 'xl/worksheets/sheet1.xml', data: sheetXml('') }]);
    stored.writeUInt16LE(12, 8); // local header: bzip2, which this import does not read
    stored.writeUInt16LE(12, stored.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10);
    const packed = await upload('bzip2.xlsx', stored, XLSX);
    for (const res of [empty, noSheet, packed]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errors: [{ path: 'body.file' }] });
    }
  });
});

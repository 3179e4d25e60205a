import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../../platform/errors.ts';

export const MAX_ROWS = 100_000;

export interface SheetRow {
  /** The row number a person sees in their spreadsheet (the header is row 1). */
  row: number;
  cells: Record<string, string>;
  /** Problems found while reading the row itself (encoding, formulas in the workbook). */
  problems: { column: string; message: string }[];
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

const normaliseHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** CSV in UTF-8 (a byte-order mark is fine). Rows with bytes that are not UTF-8 are reported, not guessed. */
export function parseCsv(buf: Buffer): Sheet {
  const text = buf.toString('utf8'); // invalid sequences become U+FFFD, found per row below
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // `info` gives each record's line, so blank lines and multi-line cells keep row numbers right.
    const parsed: unknown = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1_000_000,
      info: true,
    });
    records = parsed as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new ValidationError(`The CSV file cannot be read: ${(err as Error).message}.`);
  }
  if (records.length === 0) throw new ValidationError('The file is empty.');
  if (records.length - 1 > MAX_ROWS)
    throw new ValidationError(
      `The file has ${records.length - 1} rows; import at most ${MAX_ROWS} at a time.`,
    );
  const columns = records[0]!.record.map(normaliseHeader);
  return {
    columns,
    rows: records.slice(1).map(({ record: rec, info }) => {
      const cells: Record<string, string> = {};
      const problems: SheetRow['problems'] = [];
      columns.forEach((c, j) => {
        const v = rec[j] ?? '';
        if (v.includes('\uFFFD'))
          problems.push({ column: c, message: 'is not valid UTF-8 text; save the file as "CSV UTF-8"' });
        cells[c] = v;
      });
      return { row: info.lines, cells, problems };
    }),
  };
}

function cellText(cell: ExcelJS.Cell): { text: string; formula: boolean } {
  const v = cell.value;
  if (v === null || v === undefined) return { text: '', formula: false };
  if (typeof v === 'object' && 'formula' in v) return { text: String(v.formula), formula: true };
  if (typeof v === 'object' && 'sharedFormula' in v) return { text: String(v.sharedFormula), formula: true };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), formula: false };
  if (typeof v === 'object' && 'richText' in v)
    return { text: v.richText.map((r) => r.text).join(''), formula: false };
  if (typeof v === 'object' && 'text' in v) return { text: String(v.text), formula: false };
  if (typeof v === 'object') return { text: '', formula: false };
  return { text: String(v), formula: false };
}

/** The first worksheet of an XLSX workbook; cells holding formulas are reported, never evaluated. */
export async function parseXlsx(buf: Buffer): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError('The workbook cannot be read; save it as an .xlsx file.');
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount === 0) throw new ValidationError('The workbook has no rows.');
  if (ws.rowCount - 1 > MAX_ROWS)
    throw new ValidationError(`The sheet has ${ws.rowCount - 1} rows; import at most ${MAX_ROWS} at a time.`);
  const header = ws.getRow(1);
  const columns: string[] = [];
  header.eachCell(
    { includeEmpty: true },
    (cell, col) => (columns[col - 1] = normaliseHeader(cellText(cell).text)),
  );
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    const problems: SheetRow['problems'] = [];
    columns.forEach((c, j) => {
      const { text, formula } = cellText(r.getCell(j + 1));
      if (formula) problems.push({ column: c, message: 'is a spreadsheet formula; paste the value instead' });
      cells[c] = formula ? '' : text;
    });
    if (Object.values(cells).some((v) => v !== '') || problems.length)
      rows.push({ row: rowNumber, cells, problems });
  });
  return { columns, rows };
}

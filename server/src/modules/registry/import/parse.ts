import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse, CsvError } from 'csv-parse';
import { ValidationError } from '../../../platform/errors.ts';
import { xlsxRows } from './xlsx.ts';

/**
 * What one import reads at most. Files are read a piece at a time and refused at the first row,
 * column or cell past these, so neither memory nor the time spent grows with what lies beyond.
 */
export const LIMITS = {
  rows: 100_000,
  columns: 64,
  /** Excel's own limit for one cell. */
  cellChars: 32_767,
  /** Unpacked size of an XLSX sheet, and of its shared-strings table. */
  sheetBytes: 256 * 1024 * 1024,
  stringsBytes: 64 * 1024 * 1024,
} as const;

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

const tooManyRows = (what: string) =>
  new ValidationError(
    `The ${what} has more than ${LIMITS.rows.toLocaleString('en')} rows; import at most ${LIMITS.rows.toLocaleString('en')} at a time.`,
    { field: 'file', limit: LIMITS.rows },
  );

function checkHeader(columns: string[]) {
  if (columns.length > LIMITS.columns)
    throw new ValidationError(
      `The header row has ${columns.length} columns; a registry file has at most ${LIMITS.columns}.`,
      { field: 'file', limit: LIMITS.columns },
    );
}

function checkCell(value: string, row: number, column: string) {
  if (value.length > LIMITS.cellChars)
    throw new ValidationError(
      `Row ${row}, column ${column || '(unnamed)'} holds ${value.length.toLocaleString('en')} characters; a cell holds at most ${LIMITS.cellChars.toLocaleString('en')}.`,
      { field: 'file', limit: LIMITS.cellChars },
    );
}

/** Lets the event loop serve other requests between pieces of a long read. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The file as text in pieces; bytes that are not UTF-8 become U+FFFD, found per row below. */
async function* textPieces(buf: Buffer): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for (let i = 0; i < buf.length; i += 64 * 1024) {
    yield decoder.write(buf.subarray(i, i + 64 * 1024));
    await breathe();
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/** CSV in UTF-8 (a byte-order mark is fine). Rows with bytes that are not UTF-8 are reported, not guessed. */
export async function parseCsv(buf: Buffer): Promise<Sheet> {
  const source = Readable.from(textPieces(buf));
  // `info` gives each record's line, so blank lines and multi-line cells keep row numbers right.
  const parser = source.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1_000_000,
      info: true,
    }),
  );
  let columns: string[] | null = null;
  const rows: SheetRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!columns) {
        columns = record.map(normaliseHeader);
        checkHeader(columns);
        continue;
      }
      if (rows.length === LIMITS.rows) throw tooManyRows('file');
      const cells: Record<string, string> = {};
      const problems: SheetRow['problems'] = [];
      columns.forEach((c, j) => {
        const v = record[j] ?? '';
        checkCell(v, info.lines, c);
        if (v.includes('\uFFFD'))
          problems.push({ column: c, message: 'is not valid UTF-8 text; save the file as "CSV UTF-8"' });
        cells[c] = v;
      });
      rows.push({ row: info.lines, cells, problems });
    }
  } catch (err) {
    if (err instanceof CsvError)
      throw new ValidationError(`The CSV file cannot be read: ${err.message}.`, { field: 'file' });
    throw err;
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (!columns) throw new ValidationError('The file is empty.', { field: 'file' });
  return { columns, rows };
}

/** The first worksheet of an XLSX workbook; cells holding formulas are reported, never evaluated. */
export async function parseXlsx(buf: Buffer): Promise<Sheet> {
  let columns: string[] | null = null;
  const rows: SheetRow[] = [];
  const limits = {
    maxRows: LIMITS.rows,
    maxSheetBytes: LIMITS.sheetBytes,
    maxStringsBytes: LIMITS.stringsBytes,
  };
  for await (const batch of xlsxRows(buf, limits)) {
    for (const r of batch) {
      if (!columns) {
        // The header is row 1 of the sheet, as a person sees it; a sheet that starts lower has none.
        const header: string[] = [];
        if (r.row === 1) for (const c of r.cells) header[c.col - 1] = normaliseHeader(c.text);
        columns = Array.from(header, (c) => c ?? '');
        checkHeader(columns);
        if (r.row === 1) continue;
      }
      const byCol = new Map(r.cells.map((c) => [c.col, c]));
      const cells: Record<string, string> = {};
      const problems: SheetRow['problems'] = [];
      columns.forEach((c, j) => {
        const cell = byCol.get(j + 1);
        if (cell?.formula)
          problems.push({ column: c, message: 'is a spreadsheet formula; paste the value instead' });
        const text = cell && !cell.formula ? cell.text : '';
        checkCell(text, r.row, c);
        cells[c] = text;
      });
      if (Object.values(cells).some((v) => v !== '') || problems.length)
        rows.push({ row: r.row, cells, problems });
    }
    await breathe();
  }
  if (!columns) throw new ValidationError('The workbook has no rows.', { field: 'file' });
  return { columns, rows };
}

import { StringDecoder } from 'node:string_decoder';
import { XMLParser } from 'fast-xml-parser';
import { AppError, ValidationError } from '../../../platform/errors.ts';
import { unpackEntry, zipEntries, type ZipEntry } from '../../../platform/files/zip.ts';

/**
 * A streaming reader for the first worksheet of an XLSX workbook. The sheet is unpacked and read
 * a few rows at a time, so a workbook with too many rows is refused after reading only as many
 * as the limit, with bounded memory, and other requests are served meanwhile. (exceljs's own
 * streaming reader decodes each chunk on its own and breaks Urdu letters that straddle two
 * chunks, and spools sheets to temporary files; see docs/registry.md.)
 */

export interface XlsxLimits {
  maxRows: number;
  /** Unpacked size of the sheet, and of the shared-strings table. */
  maxSheetBytes: number;
  maxStringsBytes: number;
}

export interface XlsxCell {
  /** 1-based column number. */
  col: number;
  text: string;
  formula: boolean;
}
export interface XlsxRow {
  row: number;
  cells: XlsxCell[];
}

const UNREADABLE = 'The workbook cannot be read; save it as an .xlsx file.';
/** The most one row may take in the sheet's XML; far beyond any real registry row. */
const MAX_ROW_CHARS = 8 * 1024 * 1024;
const SMALL_PART_BYTES = 4 * 1024 * 1024;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['sheet', 'Relationship'].includes(name),
});

type Node = Record<string, unknown>;

/** Document type declarations have no place in a workbook and are how entity-expansion attacks start. */
function noDoctype(text: string) {
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) throw new ValidationError(UNREADABLE, { field: 'file' });
}

function parseXml(text: string): Node {
  noDoctype(text);
  try {
    return xml.parse(text) as Node;
  } catch {
    throw new ValidationError(UNREADABLE, { field: 'file' });
  }
}

/** Excel writes characters XML cannot carry as _xHHHH_. */
const unescapeExcel = (s: string) =>
  s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Character data as the XML means it: entities and character references resolved, CDATA unwrapped. */
function xmlText(raw: string): string {
  if (!raw.includes('&') && !raw.includes('<')) return raw;
  return raw.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-fA-F]+|#\d+|\w+);/g,
    (m, cdata: string | undefined, ref: string) => {
      if (cdata !== undefined) return cdata;
      // A reference past the last code point is kept as written: fromCodePoint would throw (a 500).
      const cp = ref.startsWith('#x')
        ? parseInt(ref.slice(2), 16)
        : ref.startsWith('#')
          ? parseInt(ref.slice(1), 10)
          : null;
      if (cp !== null) return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      return ENTITIES[ref] ?? m;
    },
  );
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Node;
    if (typeof o['#text'] === 'string') return o['#text'];
  }
  return '';
}

// The sheet is read with a few fixed patterns rather than a general XML parser: SpreadsheetML
// rows are flat and regular, and a general parser was over ten times slower on 100,000 rows.
const P = '(?:[\\w.-]+:)?';
const ROW = new RegExp(`<${P}row\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}row>)`, 'g');
const CELL = new RegExp(`<${P}c\\b([^>]*?)(?:/>|>([\\s\\S]*?)</${P}c>)`, 'g');
const SI = new RegExp(`<${P}si\\b[^>]*?(?:/>|>([\\s\\S]*?)</${P}si>)`, 'g');
const T = new RegExp(`<${P}t\\b[^>]*?(?:/>|>([\\s\\S]*?)</${P}t>)`, 'g');
const V = new RegExp(`<${P}v\\b[^>]*>([\\s\\S]*?)</${P}v>`);
const F = new RegExp(`<${P}f\\b[^>]*?(?:/>|>([\\s\\S]*?)</${P}f>)`);
const IS = new RegExp(`<${P}is\\b[^>]*>([\\s\\S]*?)</${P}is>`);
const PHONETIC = new RegExp(`<${P}rPh\\b[\\s\\S]*?</${P}rPh>`, 'g');
const ATTR = /(?:^|\s)(r|t)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attrs(s: string): { r?: string; t?: string } {
  const out: { r?: string; t?: string } = {};
  for (const m of s.matchAll(ATTR)) out[m[1] as 'r' | 't'] = m[2] ?? m[3] ?? '';
  return out;
}

/** A string item (`<si>` or `<is>`): its text runs joined, phonetic hints left out. */
function stringItem(inner: string): string {
  let out = '';
  for (const m of inner.replace(PHONETIC, '').matchAll(T)) out += m[1] ?? '';
  return unescapeExcel(xmlText(out));
}

async function* text(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) yield decoder.write(chunk);
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * Splits streamed XML into runs of whole elements named `tag` (rows, string items) found after
 * the opening of `container`, so each run parses on its own however the chunks fell.
 */
async function* elements(
  chunks: AsyncIterable<string>,
  container: string,
  tag: string,
): AsyncGenerator<string> {
  const open = new RegExp(`<(?:\\w+:)?${container}\\b[^>]*?(/?)>`);
  const close = new RegExp(`</(?:\\w+:)?${tag}>|<(?:\\w+:)?${tag}\\b[^>]*/>`, 'g');
  const end = new RegExp(`</(?:\\w+:)?${container}>`);
  let pending = '';
  let inside = false;
  for await (const piece of chunks) {
    pending += piece;
    if (!inside) {
      const m = open.exec(pending);
      if (!m) {
        pending = pending.slice(-200); // keep enough to match a tag cut in two
        continue;
      }
      if (m[1] === '/') return;
      inside = true;
      pending = pending.slice(m.index + m[0].length);
    }
    let last = -1;
    for (const m of pending.matchAll(close)) last = m.index + m[0].length;
    if (last > 0) {
      yield pending.slice(0, last);
      pending = pending.slice(last);
    } else if (pending.length > MAX_ROW_CHARS) {
      throw new AppError(
        413,
        'file_too_large',
        'One row of the sheet holds more than 8 MB of data, more than this import reads.',
        { field: 'file' },
      );
    }
    const e = end.exec(pending);
    if (e) return;
  }
}

function relsOf(buf: Buffer, entries: Map<string, ZipEntry>) {
  return async (name: string): Promise<Node | null> => {
    const entry = entries.get(name);
    if (!entry) return null;
    let s = '';
    for await (const t of text(
      unpackEntry(buf, entry, { maxBytes: SMALL_PART_BYTES, what: `The workbook's ${name}` }),
    ))
      s += t;
    return parseXml(s);
  };
}

/** Where the first sheet (in the workbook's tab order) and the shared strings live. */
async function locate(buf: Buffer, entries: Map<string, ZipEntry>) {
  const read = relsOf(buf, entries);
  const book = await read('xl/workbook.xml');
  const rels = await read('xl/_rels/workbook.xml.rels');
  const sheets = ((book?.workbook as Node | undefined)?.sheets as Node | undefined)?.sheet as
    Node[] | undefined;
  const relations = ((rels?.Relationships as Node | undefined)?.Relationship as Node[] | undefined) ?? [];
  const resolve = (target: unknown) => {
    const t = textOf(target);
    return t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}`;
  };
  const firstId = sheets?.[0]?.['@id'];
  const sheetRel = relations.find((r) => r['@Id'] === firstId);
  const sheet =
    (sheetRel && entries.get(resolve(sheetRel['@Target']))) ??
    [...entries.values()].find((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.name));
  const stringsRel = relations.find((r) => textOf(r['@Type']).endsWith('/sharedStrings'));
  const strings =
    (stringsRel && entries.get(resolve(stringsRel['@Target']))) ?? entries.get('xl/sharedStrings.xml');
  if (!sheet) throw new ValidationError('The workbook has no rows.', { field: 'file' });
  return { sheet, strings };
}

async function sharedStrings(
  buf: Buffer,
  entry: ZipEntry | undefined,
  limits: XlsxLimits,
): Promise<string[]> {
  const out: string[] = [];
  if (!entry) return out;
  const chunks = text(
    unpackEntry(buf, entry, { maxBytes: limits.maxStringsBytes, what: "The workbook's shared text" }),
  );
  for await (const run of elements(chunks, 'sst', 'si')) {
    noDoctype(run);
    for (const m of run.matchAll(SI)) out.push(stringItem(m[1] ?? ''));
  }
  return out;
}

/** "AB12" -> 28 */
function columnOf(ref: string | undefined): number | null {
  const m = /^([A-Z]{1,3})\d*$/i.exec(ref ?? '');
  if (!m) return null;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function cellOf(
  type: string | undefined,
  inner: string,
  strings: string[],
): { text: string; formula: boolean } {
  const f = F.exec(inner);
  if (f) return { text: xmlText(f[1] ?? ''), formula: true };
  const v = xmlText(V.exec(inner)?.[1] ?? '');
  switch (type) {
    case 's':
      return { text: strings[Number(v)] ?? '', formula: false };
    case 'inlineStr':
      return { text: stringItem(IS.exec(inner)?.[1] ?? ''), formula: false };
    case 'str':
      return { text: unescapeExcel(v), formula: false };
    case 'b':
      return { text: v === '1' ? 'true' : v === '' ? '' : 'false', formula: false };
    case 'e':
      return { text: '', formula: false };
    case 'd':
      return { text: v.slice(0, 10), formula: false };
    default: {
      const n = Number(v);
      return { text: v === '' || Number.isNaN(n) ? v : String(n), formula: false };
    }
  }
}

/**
 * The rows of the workbook's first sheet, a batch at a time. Stops, with a 4xx naming the limit,
 * at the first row past `maxRows` (the header not counted), and as soon as any part unpacks to
 * more than its limit, whatever the archive declares.
 */
export async function* xlsxRows(buf: Buffer, limits: XlsxLimits): AsyncGenerator<XlsxRow[]> {
  const entries = zipEntries(buf, UNREADABLE);
  const { sheet, strings: stringsEntry } = await locate(buf, entries);
  const strings = await sharedStrings(buf, stringsEntry, limits);
  const chunks = text(
    unpackEntry(buf, sheet, { maxBytes: limits.maxSheetBytes, what: "The workbook's sheet" }),
  );
  let rowNumber = 0;
  let dataRows = 0;
  for await (const run of elements(chunks, 'sheetData', 'row')) {
    noDoctype(run);
    const batch: XlsxRow[] = [];
    for (const r of run.matchAll(ROW)) {
      rowNumber = Number(attrs(r[1] ?? '').r) || rowNumber + 1;
      if (rowNumber > 1 && ++dataRows > limits.maxRows)
        throw new ValidationError(
          `The sheet has more than ${limits.maxRows.toLocaleString('en')} rows; import at most ${limits.maxRows.toLocaleString('en')} at a time.`,
          { field: 'file', limit: limits.maxRows },
        );
      let col = 0;
      const cells: XlsxCell[] = [];
      for (const c of (r[2] ?? '').matchAll(CELL)) {
        const a = attrs(c[1] ?? '');
        col = columnOf(a.r) ?? col + 1;
        cells.push({ col, ...cellOf(a.t, c[2] ?? '', strings) });
      }
      batch.push({ row: rowNumber, cells });
    }
    yield batch;
  }
}

import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/types.ts';
import type { Actor } from '../../../platform/context.ts';
import { csvLine } from '../../../platform/export/csv.ts';
import { entityWhere, type EntityRow } from '../registry.repo.ts';
import type { EntityFilters } from '../registry.schemas.ts';
import { COLUMNS } from './columns.ts';

const BATCH = 2000;

/** The caller's entities matching the filters, in import-column order, a batch at a time. */
async function* exportRows(db: Kysely<DB>, actor: Actor, f: EntityFilters): AsyncGenerator<string[]> {
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('entities')
      .selectAll()
      .where(entityWhere(actor, f))
      .where('registration_no', '>', after)
      .orderBy('registration_no')
      .limit(BATCH)
      .execute()) as EntityRow[];
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const parents = rows.map((r) => r.parent_id).filter((x): x is string => Boolean(x));
    const [contacts, parentRows] = await Promise.all([
      db.selectFrom('entity_contacts').selectAll().where('entity_id', 'in', ids).execute(),
      parents.length
        ? db.selectFrom('entities').select(['id', 'registration_no']).where('id', 'in', parents).execute()
        : [],
    ]);
    const parentNo = new Map(parentRows.map((p) => [p.id, p.registration_no]));
    const contact = (id: string, kind: string) => contacts.find((c) => c.entity_id === id && c.kind === kind);
    for (const r of rows) {
      const head = contact(r.id, 'head');
      const ciso = contact(r.id, 'ciso');
      const inc = contact(r.id, 'incident_24x7');
      const values: Record<(typeof COLUMNS)[number], string> = {
        registration_no: r.registration_no,
        name_en: r.name_en,
        name_ur: r.name_ur ?? '',
        kind: r.kind,
        sector: r.sector,
        subsector: r.subsector,
        admin_unit: r.admin_unit,
        size: r.size,
        annual_turnover: r.annual_turnover === null ? '' : String(r.annual_turnover),
        website: r.website ?? '',
        cii_tier: r.cii_tier === null ? '' : String(r.cii_tier),
        parent_registration_no: r.parent_id ? (parentNo.get(r.parent_id) ?? '') : '',
        head_name: head?.name ?? '',
        head_email: head?.email ?? '',
        ciso_name: ciso?.name ?? '',
        ciso_email: ciso?.email ?? '',
        ciso_phone: ciso?.phone ?? '',
        incident_name: inc?.name ?? '',
        incident_email: inc?.email ?? '',
        incident_phone: inc?.phone ?? '',
      };
      yield COLUMNS.map((c) => values[c]);
    }
    after = rows.at(-1)!.registration_no;
  }
}

/** CSV with formula-like cells neutralised (csvLine), UTF-8 with a byte-order mark for Excel. */
export function exportCsv(db: Kysely<DB>, actor: Actor, f: EntityFilters): Readable {
  return Readable.from(
    (async function* () {
      yield '\uFEFF' + csvLine([...COLUMNS]);
      for await (const row of exportRows(db, actor, f)) yield csvLine(row);
    })(),
  );
}

/** XLSX streamed row by row; every value is written as text, never as a formula. */
export function exportXlsx(db: Kysely<DB>, actor: Actor, f: EntityFilters): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet('Entities');
  ws.columns = COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(14, c.length + 2) }));
  void (async () => {
    try {
      for await (const row of exportRows(db, actor, f)) ws.addRow(row).commit();
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

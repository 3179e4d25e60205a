import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../db/types.ts';
import { requirePermission } from '../../../platform/access/permissions.ts';
import type { RequestContext } from '../../../platform/context.ts';
import { ConflictError, NotFoundError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { jurisdictionToday } from '../../../platform/jurisdiction/today.ts';
import type { Platform } from '../../../platform/platform.ts';
import { loadGradingRuleSets, ruleSetInForce } from '../grading.ts';
import { CountDelta } from '../registry.counts.ts';
import { parseCsv, parseXlsx, type Sheet } from './parse.ts';
import { validateSheet, type ImportRow, type RowError } from './validate.ts';

const CHUNK = 250;
const SHOWN_ERRORS = 2000;

export interface ImportReport {
  id: string;
  fileName: string;
  status: 'validated' | 'committed';
  totalRows: number;
  validRows: number;
  errorCount: number;
  errors: RowError[];
  warnings: string[];
  toCreate: number;
  toUpdate: number;
  created: number | null;
  updated: number | null;
}

/**
 * Bulk import: a dry run stores the file and reports every problem by row and column while
 * writing no registry data; a commit (allowed only when the dry run found no problems) upserts
 * by registration number, so importing the same file twice changes nothing the second time.
 */
export function createImportService(p: Platform) {
  const { db } = p;
  const ruleSets = loadGradingRuleSets(p.config.catalogDir, p.config.jurisdiction);
  /** An imported tier takes the designation the grading rule set in force gives that tier. */
  const designationFor = (tier: number): string =>
    ruleSetInForce(ruleSets, jurisdictionToday(p.clock, p.catalog.profile))?.designations[String(tier)] ??
    (tier <= 2 ? 'essential' : 'important');

  async function readSheet(content: Buffer, fileName: string): Promise<Sheet> {
    return /\.xlsx$/i.test(fileName) ? parseXlsx(content) : parseCsv(content);
  }

  async function existingRegistrationNos(
    rows: { cells: Record<string, string> }[],
  ): Promise<Map<string, { id: string }>> {
    const wanted = [
      ...new Set(
        rows
          .flatMap((r) => [r.cells.registration_no?.trim(), r.cells.parent_registration_no?.trim()])
          .filter((x): x is string => Boolean(x)),
      ),
    ];
    const found = new Map<string, { id: string }>();
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = await db
        .selectFrom('entities')
        .select(['id', 'registration_no'])
        .where('registration_no', 'in', wanted.slice(i, i + 500))
        .execute();
      for (const r of chunk) found.set(r.registration_no, { id: r.id });
    }
    return found;
  }

  async function analyse(content: Buffer, fileName: string) {
    const sheet = await readSheet(content, fileName);
    const existing = await existingRegistrationNos(sheet.rows);
    const { rows, errors, warnings } = validateSheet(sheet, p.catalog.profile, new Set(existing.keys()));
    return { sheet, rows, errors, warnings, existing };
  }

  async function writeRows(
    trx: Transaction<DB>,
    rows: ImportRow[],
    existing: Map<string, { id: string }>,
    actorLabel: string,
    fileName: string,
  ) {
    const now = p.clock.now().toISOString();
    const today = jurisdictionToday(p.clock, p.catalog.profile);
    const delta = new CountDelta();
    let created = 0;
    let updated = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const regNos = chunk.map((r) => r.registrationNo);
      const before = new Map(
        (
          await trx
            .selectFrom('entities')
            .select([
              'id',
              'registration_no',
              'sector',
              'admin_unit',
              'cii_tier',
              'kind',
              'designation',
              'status',
            ])
            .where('registration_no', 'in', regNos)
            .execute()
        ).map((r) => [r.registration_no, r]),
      );
      const values = chunk.map((r) => {
        const prev = before.get(r.registrationNo);
        const tier = r.ciiTier ?? prev?.cii_tier ?? null;
        return {
          id: prev?.id ?? newId(),
          registration_no: r.registrationNo,
          name_en: r.nameEn,
          name_ur: r.nameUr,
          kind: r.kind,
          sector: r.sector,
          subsector: r.subsector,
          admin_unit: r.adminUnit,
          regulator: r.regulator,
          designation: r.ciiTier ? designationFor(r.ciiTier) : (prev?.designation ?? 'other'),
          cii_tier: tier,
          size: r.size,
          annual_turnover: r.annualTurnover,
          website: r.website,
          created_at: now,
          updated_at: now,
        };
      });
      await trx
        .insertInto('entities')
        .values(values)
        .onConflict((oc) =>
          oc.column('registration_no').doUpdateSet((eb) => ({
            name_en: eb.ref('excluded.name_en'),
            name_ur: eb.ref('excluded.name_ur'),
            kind: eb.ref('excluded.kind'),
            sector: eb.ref('excluded.sector'),
            subsector: eb.ref('excluded.subsector'),
            admin_unit: eb.ref('excluded.admin_unit'),
            regulator: eb.ref('excluded.regulator'),
            designation: eb.ref('excluded.designation'),
            cii_tier: eb.ref('excluded.cii_tier'),
            size: eb.ref('excluded.size'),
            annual_turnover: eb.ref('excluded.annual_turnover'),
            website: eb.ref('excluded.website'),
            updated_at: eb.ref('excluded.updated_at'),
            version: sql<number>`entities.version + 1`,
          })),
        )
        .execute();
      const designations = [];
      for (const v of values) {
        const prev = before.get(v.registration_no);
        if (prev) {
          updated++;
          if (prev.status === 'active') delta.move(prev, v);
        } else {
          created++;
          delta.add(v);
          existing.set(v.registration_no, { id: v.id });
        }
        if (!prev || prev.cii_tier !== v.cii_tier) {
          designations.push({
            id: newId(),
            entity_id: v.id,
            effective_from: today,
            designation: v.designation,
            cii_tier: v.cii_tier,
            explanation: prev
              ? `Designation changed by import of ${fileName}.`
              : `Registered by import of ${fileName}.`,
            decided_by: actorLabel,
            created_at: now,
          });
        }
      }
      if (designations.length) {
        await trx
          .updateTable('designations')
          .set({ effective_to: today })
          .where(
            'entity_id',
            'in',
            designations.map((d) => d.entity_id),
          )
          .where('effective_to', 'is', null)
          .execute();
        await trx.insertInto('designations').values(designations).execute();
      }
      const withContacts = chunk.filter((r) => r.contacts.length);
      if (withContacts.length) {
        const ids = withContacts.map((r) => existing.get(r.registrationNo)!.id);
        await trx.deleteFrom('entity_contacts').where('entity_id', 'in', ids).execute();
        await trx
          .insertInto('entity_contacts')
          .values(
            withContacts.flatMap((r) =>
              r.contacts.map((c) => ({
                id: newId(),
                entity_id: existing.get(r.registrationNo)!.id,
                ...c,
                updated_at: now,
              })),
            ),
          )
          .execute();
      }
    }
    // Parents last, once every entity of the file exists.
    for (const r of rows.filter((x) => x.parentRegistrationNo)) {
      await trx
        .updateTable('entities')
        .set({ parent_id: existing.get(r.parentRegistrationNo!)!.id })
        .where('registration_no', '=', r.registrationNo)
        .execute();
    }
    await delta.apply(trx);
    return { created, updated };
  }

  function report(
    r: {
      id: string;
      file_name: string;
      status: string;
      total_rows: number;
      valid_rows: number;
      errors_json: string;
      created: number | null;
      updated: number | null;
    },
    extra: { toCreate: number; toUpdate: number; warnings: string[] },
  ): ImportReport {
    const errors = JSON.parse(r.errors_json) as RowError[];
    return {
      id: r.id,
      fileName: r.file_name,
      status: r.status as ImportReport['status'],
      totalRows: r.total_rows,
      validRows: r.valid_rows,
      errorCount: errors.length,
      errors: errors.slice(0, SHOWN_ERRORS),
      warnings: extra.warnings,
      toCreate: extra.toCreate,
      toUpdate: extra.toUpdate,
      created: r.created,
      updated: r.updated,
    };
  }

  return {
    async dryRun(ctx: RequestContext, file: { content: Buffer; fileName: string }): Promise<ImportReport> {
      const actor = requirePermission(ctx, 'registry.import');
      const { sheet, rows, errors, warnings, existing } = await analyse(file.content, file.fileName);
      const stored = await db.transaction().execute(async (trx) => {
        const f = await p.files.store(trx, {
          content: file.content,
          originalName: file.fileName,
          allowed: [
            'text/csv',
            'text/plain',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          ],
          createdBy: actor.userId,
        });
        const row = {
          id: newId(),
          file_id: f.id,
          file_name: f.originalName,
          status: 'validated',
          total_rows: sheet.rows.length,
          valid_rows: rows.length,
          errors_json: JSON.stringify(errors),
          created: null,
          updated: null,
          created_by: actor.label,
          created_at: p.clock.now().toISOString(),
        };
        await trx.insertInto('imports').values(row).execute();
        await p.audit(trx, ctx, {
          action: 'registry.import_validated',
          objectType: 'import',
          objectId: row.id,
          after: { file: f.sha256, rows: sheet.rows.length, errors: errors.length },
        });
        return row;
      });
      const toUpdate = rows.filter((r) => existing.has(r.registrationNo)).length;
      return report(stored, { toCreate: rows.length - toUpdate, toUpdate, warnings });
    },

    async commit(ctx: RequestContext, id: string): Promise<ImportReport> {
      const actor = requirePermission(ctx, 'registry.import');
      const imp = await db
        .selectFrom('imports')
        .innerJoin('files', 'files.id', 'imports.file_id')
        .selectAll('imports')
        .select('files.sha256')
        .where('imports.id', '=', id)
        .executeTakeFirst();
      if (!imp) throw new NotFoundError('import');
      if (imp.status !== 'validated')
        throw new ConflictError('import_committed', 'This import was already committed.');
      if (imp.errors_json !== '[]')
        throw new ConflictError('import_has_errors', 'The file has problems; fix them and upload it again.');
      // Re-read the stored file: the registry may have changed since the dry run.
      const { rows, errors, warnings, existing } = await analyse(
        await p.files.read(imp.sha256),
        imp.file_name,
      );
      if (errors.length)
        throw new ConflictError(
          'import_has_errors',
          'The file no longer validates against the registry; upload it again to see why.',
        );
      const toUpdate = rows.filter((r) => existing.has(r.registrationNo)).length;
      const result = await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .updateTable('imports')
          .set({ status: 'committing' })
          .where('id', '=', id)
          .where('status', '=', 'validated')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1)
          throw new ConflictError('import_committed', 'This import was already committed.');
        const counts = await writeRows(trx, rows, existing, actor.label, imp.file_name);
        await trx
          .updateTable('imports')
          .set({
            status: 'committed',
            created: counts.created,
            updated: counts.updated,
            committed_at: p.clock.now().toISOString(),
          })
          .where('id', '=', id)
          .execute();
        await p.audit(trx, ctx, {
          action: 'registry.import_committed',
          objectType: 'import',
          objectId: id,
          after: { file: imp.sha256, ...counts },
        });
        return counts;
      });
      return report(
        { ...imp, status: 'committed', ...result },
        { toCreate: rows.length - toUpdate, toUpdate, warnings },
      );
    },
  };
}

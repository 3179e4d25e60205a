import type { JurisdictionProfile } from '../../../platform/jurisdiction/catalog.ts';
import { ENTITY_KINDS, SIZES, type Contact } from '../registry.schemas.ts';
import { COLUMNS, MAX_CELL, RENAMED, REQUIRED, type Column } from './columns.ts';
import type { Sheet } from './parse.ts';

export interface RowError {
  row: number;
  column: string | null;
  message: string;
}

export interface ImportRow {
  row: number;
  registrationNo: string;
  nameEn: string;
  nameUr: string | null;
  kind: string;
  sector: string;
  subsector: string;
  adminUnit: string;
  regulator: string;
  size: string;
  annualTurnover: number | null;
  website: string | null;
  ciiTier: number | null;
  parentRegistrationNo: string | null;
  contacts: Contact[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{5,25}$/;
const FORMULA = /^[=+\-@\t\r]/;

/** A file exported before a column was renamed still imports: its old header counts as the new one. */
function withCurrentColumnNames(sheet: Sheet): Sheet {
  const renames = Object.entries(RENAMED).filter(
    ([old, now]) => sheet.columns.includes(old) && !sheet.columns.includes(now),
  );
  if (!renames.length) return sheet;
  const rename = (c: string) => renames.find(([old]) => old === c)?.[1] ?? c;
  return {
    ...sheet,
    columns: sheet.columns.map(rename),
    rows: sheet.rows.map((r) => ({
      ...r,
      cells: Object.fromEntries(Object.entries(r.cells).map(([c, v]) => [rename(c), v])),
    })),
  };
}

/**
 * Checks every cell of every row and reports each problem by row and column, so a person can
 * fix the whole file at once. Nothing here touches the database.
 */
export function validateSheet(
  sheet: Sheet,
  profile: JurisdictionProfile,
  knownRegistrationNos: ReadonlySet<string>,
): { rows: ImportRow[]; errors: RowError[]; warnings: string[] } {
  const errors: RowError[] = [];
  const warnings: string[] = [];
  sheet = withCurrentColumnNames(sheet);
  const missingColumns = REQUIRED.filter((c) => !sheet.columns.includes(c));
  if (missingColumns.length) {
    return {
      rows: [],
      warnings,
      errors: [
        {
          row: 1,
          column: null,
          message: `The header row lacks required column(s): ${missingColumns.join(', ')}.`,
        },
      ],
    };
  }
  const unknown = sheet.columns.filter((c) => c && !(COLUMNS as readonly string[]).includes(c));
  if (unknown.length) warnings.push(`Unknown column(s) ignored: ${unknown.join(', ')}.`);

  const sectors = new Map(profile.sectors.map((s) => [s.code, s]));
  const units = new Set(profile.administrativeUnits.map((u) => u.code));
  const seen = new Map<string, number>();
  const inFile = new Set(sheet.rows.map((r) => r.cells.registration_no?.trim()).filter(Boolean));
  const rows: ImportRow[] = [];

  for (const r of sheet.rows) {
    const before = errors.length;
    const err = (column: Column | null, message: string) => errors.push({ row: r.row, column, message });
    for (const p of r.problems) errors.push({ row: r.row, column: p.column, message: p.message });
    // A leading apostrophe before a formula character is how Qila's own export keeps text as text.
    const cell = (c: Column): string => (r.cells[c] ?? '').trim().replace(/^'(?=[=+\-@\t\r])/, '');
    for (const c of COLUMNS) {
      const v = cell(c);
      if (v.length > MAX_CELL) err(c, `is ${v.length} characters long; the limit is ${MAX_CELL}`);
      else if (FORMULA.test(v) && !(c === 'annual_turnover' && /^-?\d/.test(v)))
        err(c, 'looks like a spreadsheet formula; remove the leading character');
    }
    for (const c of REQUIRED) if (!cell(c)) err(c, 'is required');

    const regNo = cell('registration_no');
    if (regNo) {
      const first = seen.get(regNo);
      if (first) err('registration_no', `duplicates row ${first}`);
      else seen.set(regNo, r.row);
    }
    const kind = cell('kind');
    if (kind && !(ENTITY_KINDS as readonly string[]).includes(kind))
      err('kind', `must be one of ${ENTITY_KINDS.join(', ')}`);
    const size = cell('size');
    if (size && !(SIZES as readonly string[]).includes(size))
      err('size', `must be one of ${SIZES.join(', ')}`);
    const sector = sectors.get(cell('sector'));
    if (cell('sector') && !sector) err('sector', `"${cell('sector')}" is not a sector of ${profile.name.en}`);
    const sub = sector?.subsectors.find((s) => s.code === cell('subsector'));
    if (sector && cell('subsector') && !sub)
      err('subsector', `"${cell('subsector')}" is not a subsector of ${sector.name.en}`);
    if (cell('admin_unit') && !units.has(cell('admin_unit')))
      err('admin_unit', `"${cell('admin_unit')}" is not an administrative unit`);
    const turnover = cell('annual_turnover').replace(/,/g, '');
    if (turnover && !/^\d{1,16}$/.test(turnover))
      err(
        'annual_turnover',
        `must be a whole number in ${profile.currency}, without decimals or a minus sign`,
      );
    const tier = cell('cii_tier');
    if (tier && !['1', '2', '3'].includes(tier)) err('cii_tier', 'must be 1, 2, 3 or empty');
    const website = cell('website');
    if (website && !/^https?:\/\/[^\s]+$/.test(website))
      err('website', 'must start with http:// or https://');
    const parent = cell('parent_registration_no');
    if (parent && parent === regNo) err('parent_registration_no', 'cannot be the entity itself');
    else if (parent && !inFile.has(parent) && !knownRegistrationNos.has(parent))
      err('parent_registration_no', `no entity has registration number ${parent}`);
    for (const c of ['head_email', 'ciso_email', 'incident_email'] as const)
      if (cell(c) && !EMAIL.test(cell(c))) err(c, 'is not an email address');
    for (const c of ['ciso_phone', 'incident_phone'] as const)
      if (cell(c) && !PHONE.test(cell(c))) err(c, 'is not a phone number');

    if (errors.length > before) continue;
    const contacts: Contact[] = [];
    const contact = (kind: Contact['kind'], name: string, email: string, phone: string) => {
      if (name || email || phone)
        contacts.push({
          kind,
          name: name || email || phone,
          title: null,
          email: email || null,
          phone: phone || null,
        });
    };
    contact('head', cell('head_name'), cell('head_email'), '');
    contact('ciso', cell('ciso_name'), cell('ciso_email'), cell('ciso_phone'));
    contact('incident_24x7', cell('incident_name'), cell('incident_email'), cell('incident_phone'));
    rows.push({
      row: r.row,
      registrationNo: regNo,
      nameEn: cell('name_en'),
      nameUr: cell('name_ur') || null,
      kind,
      sector: sector!.code,
      subsector: sub!.code,
      adminUnit: cell('admin_unit'),
      regulator: sub!.regulator,
      size,
      annualTurnover: turnover ? Number(turnover) : null,
      website: website || null,
      ciiTier: tier ? Number(tier) : null,
      parentRegistrationNo: parent || null,
      contacts,
    });
  }
  return { rows, errors, warnings };
}

import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { ApiError, fieldOf } from '../../api/client';
import { fromLocalInput, toLocalInput } from '../../app/datetime';
import {
  isObservableType,
  isSeverity,
  isTlp,
  type FactField,
  type Severity,
  type StageUpdate,
  type Tlp,
} from '../../app/incidents';
import type { IndicatorRow } from '../../components/IndicatorRows';

/** Yes, no, or not known yet: the server's true, false and null. */
export type TriState = 'yes' | 'no' | 'unknown';
export const TRI_FIELDS = [
  'personalData',
  'crossBorder',
  'suspectedMalicious',
  'healthImpact',
  'ongoing',
] as const;
export type TriField = (typeof TRI_FIELDS)[number];

/** An incident's facts as the form holds them: text for inputs, '' for "not given". */
export interface FactValues {
  title: string;
  summary: string;
  severity: Severity | null;
  rsitClass: string | null;
  rsitType: string | null;
  awareAt: string;
  detectedAt: string;
  classifiedAt: string;
  detectionSource: string;
  affectedServices: string[];
  affectedSectors: string[];
  usersAffected: number | string;
  downtimeHours: number | string;
  financialLoss: number | string;
  personalData: TriState;
  personalDataRecords: number | string;
  crossBorder: TriState;
  crossBorderCountries: string[];
  suspectedMalicious: TriState;
  healthImpact: TriState;
  ongoing: TriState;
  mitigation: string;
  rootCause: string;
  lessonsLearned: string;
  indicators: IndicatorRow[];
  tlp: Tlp;
}

/** The facts plus what only the first report says: who may read a TLP:RED report, which stage it is. */
export interface ReportValues extends FactValues {
  redRecipients: string[];
  stage: string | null;
  entityId: string | null;
}
export type FactForm = UseFormReturnType<ReportValues>;

export const EMPTY_FACTS: FactValues = {
  title: '',
  summary: '',
  severity: null,
  rsitClass: null,
  rsitType: null,
  awareAt: '',
  detectedAt: '',
  classifiedAt: '',
  detectionSource: '',
  affectedServices: [],
  affectedSectors: [],
  usersAffected: '',
  downtimeHours: '',
  financialLoss: '',
  personalData: 'unknown',
  personalDataRecords: '',
  crossBorder: 'unknown',
  crossBorderCountries: [],
  suspectedMalicious: 'unknown',
  healthImpact: 'unknown',
  ongoing: 'unknown',
  mitigation: '',
  rootCause: '',
  lessonsLearned: '',
  indicators: [],
  tlp: 'AMBER',
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : '');
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const tri = (v: unknown): TriState => (v === true ? 'yes' : v === false ? 'no' : 'unknown');
const fromTri = (v: TriState) => (v === 'yes' ? true : v === 'no' ? false : null);
const toNumber = (v: number | string) => (v === '' || v === null ? null : Number(v));
const text = (v: string) => v.trim() || null;

/** The form's values from an incident's details (what the entity said so far). */
export function factsFromDetails(d: Record<string, unknown> | null): FactValues {
  if (!d) return EMPTY_FACTS;
  const severity = str(d.severity);
  const tlp = str(d.tlp);
  return {
    title: str(d.title),
    summary: str(d.summary),
    severity: isSeverity(severity) ? severity : null,
    rsitClass: str(d.rsitClass) || null,
    rsitType: str(d.rsitType) || null,
    awareAt: toLocalInput(str(d.awareAt)),
    detectedAt: toLocalInput(str(d.detectedAt)),
    classifiedAt: toLocalInput(str(d.classifiedAt)),
    detectionSource: str(d.detectionSource),
    affectedServices: strs(d.affectedServices),
    affectedSectors: strs(d.affectedSectors),
    usersAffected: num(d.usersAffected),
    downtimeHours: num(d.downtimeHours),
    financialLoss: num(d.financialLoss),
    personalData: tri(d.personalData),
    personalDataRecords: num(d.personalDataRecords),
    crossBorder: tri(d.crossBorder),
    crossBorderCountries: strs(d.crossBorderCountries),
    suspectedMalicious: tri(d.suspectedMalicious),
    healthImpact: tri(d.healthImpact),
    ongoing: tri(d.ongoing),
    mitigation: str(d.mitigation),
    rootCause: str(d.rootCause),
    lessonsLearned: str(d.lessonsLearned),
    // Indicators live as observables on the incident; a report adds new ones only.
    indicators: [],
    tlp: isTlp(tlp) ? tlp : 'AMBER',
  };
}

/** The chosen fields as the API wants them (awareAt is set once, by the first report). */
export function toUpdate(v: FactValues, fields: readonly FactField[]): StageUpdate {
  const out: StageUpdate = {};
  for (const f of fields) {
    switch (f) {
      case 'title':
        out.title = v.title.trim();
        break;
      case 'summary':
        out.summary = v.summary.trim();
        break;
      case 'severity':
        if (v.severity) out.severity = v.severity;
        break;
      case 'rsitClass':
        if (v.rsitClass) out.rsitClass = v.rsitClass;
        break;
      case 'rsitType':
        if (v.rsitType) out.rsitType = v.rsitType;
        break;
      case 'detectedAt':
      case 'classifiedAt':
        out[f] = fromLocalInput(v[f]);
        break;
      case 'detectionSource':
      case 'mitigation':
      case 'rootCause':
      case 'lessonsLearned':
        out[f] = text(v[f]);
        break;
      case 'affectedServices':
      case 'affectedSectors':
      case 'crossBorderCountries':
        out[f] = v[f];
        break;
      case 'usersAffected':
      case 'downtimeHours':
      case 'financialLoss':
      case 'personalDataRecords':
        out[f] = toNumber(v[f]);
        break;
      case 'personalData':
      case 'crossBorder':
      case 'suspectedMalicious':
      case 'healthImpact':
      case 'ongoing':
        out[f] = fromTri(v[f]);
        break;
      case 'indicators':
        out.indicators = v.indicators.map((r) => ({ type: r.type, value: r.value.trim() }));
        break;
      case 'tlp':
        out.tlp = v.tlp;
        break;
      case 'awareAt':
        break;
    }
  }
  return out;
}

/** Whether a field has no value, as the server's required-field check reads it. */
export function isMissing(v: FactValues, f: FactField): boolean {
  const x = v[f];
  if (x === null || x === '' || x === 'unknown') return true;
  if (Array.isArray(x)) return x.length === 0;
  return typeof x === 'string' && x.trim() === '';
}

const COUNTRY = /^[A-Z]{2}$/;
const future = (local: string) => {
  const iso = fromLocalInput(local);
  // A few minutes of leeway for a clock that runs fast, as on the server.
  return iso !== null && new Date(iso).getTime() > Date.now() + 5 * 60_000;
};

/** Client-side checks on the fields shown; the server checks again and has the last word. */
export function factErrors(v: FactValues, fields: readonly FactField[], t: TFunction) {
  const errors: Record<string, string> = {};
  const shown = new Set(fields);
  const nonNegative = (f: 'usersAffected' | 'downtimeHours' | 'financialLoss' | 'personalDataRecords') => {
    if (shown.has(f) && v[f] !== '' && !(Number(v[f]) >= 0)) errors[f] = t('facts.errors.nonNegative');
  };
  if (shown.has('title') && v.title.trim().length < 3) errors.title = t('facts.errors.title');
  if (shown.has('summary') && !v.summary.trim()) errors.summary = t('facts.errors.summary');
  if (shown.has('severity') && !v.severity) errors.severity = t('facts.errors.severity');
  if (shown.has('rsitClass') && !v.rsitClass) errors.rsitClass = t('facts.errors.rsitClass');
  if (shown.has('rsitType') && !v.rsitType) errors.rsitType = t('facts.errors.rsitType');
  if (shown.has('awareAt')) {
    if (!fromLocalInput(v.awareAt)) errors.awareAt = t('facts.errors.awareAt');
    else if (future(v.awareAt)) errors.awareAt = t('facts.errors.future');
  }
  for (const f of ['detectedAt', 'classifiedAt'] as const) {
    if (!shown.has(f) || !v[f]) continue;
    if (!fromLocalInput(v[f])) errors[f] = t('facts.errors.dateTime');
    else if (future(v[f])) errors[f] = t('facts.errors.future');
  }
  const aware = fromLocalInput(v.awareAt);
  const detected = fromLocalInput(v.detectedAt);
  if (shown.has('detectedAt') && aware && detected && detected > aware && !errors.detectedAt)
    errors.detectedAt = t('facts.errors.detectedAfterAware');
  nonNegative('usersAffected');
  nonNegative('downtimeHours');
  nonNegative('financialLoss');
  nonNegative('personalDataRecords');
  if (shown.has('crossBorderCountries') && v.crossBorderCountries.some((c) => !COUNTRY.test(c)))
    errors.crossBorderCountries = t('facts.errors.country');
  if (shown.has('indicators'))
    v.indicators.forEach((r, i) => {
      if (!isObservableType(r.type) || !r.value.trim())
        errors[`indicators.${i}.value`] = t('indicators.valueRequired');
    });
  return errors;
}

/**
 * Puts the server's complaints beside the fields they are about: `errors[].path` names one field
 * ("body.update.awareAt"), and a report missing what its stage requires lists them all in `fields`.
 * Returns whether any field was marked.
 */
export function showServerErrors(form: FactForm, error: unknown, needed: string): boolean {
  if (!(error instanceof ApiError)) return false;
  const values = form.getValues();
  const marked = new Set<string>();
  for (const f of error.fields) {
    if (f in values) {
      form.setFieldError(f, needed);
      marked.add(f);
    }
  }
  for (const e of error.errors) {
    const path = fieldOf(e.path).replace(/^update\./, '');
    const [head = '', index, sub] = path.split('.');
    const target = head === 'indicators' && index !== undefined && sub ? path : head;
    if (head in values && !marked.has(target)) {
      form.setFieldError(target, e.message);
      marked.add(target);
    }
  }
  return marked.size > 0;
}

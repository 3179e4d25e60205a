import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ApiResponse } from '../api/client';
import type { paths } from '../api/schema';

export type ReferenceData = ApiResponse<'/api/incidents/reference-data'>;
export type Regime = ReferenceData['regimes'][number];
export type IncidentSummary = ApiResponse<'/api/incidents'>['items'][number];
export type Incident = ApiResponse<'/api/incidents/{id}'>;
export type Duty = Incident['duties'][number];
export type LateDuty = ApiResponse<'/api/incidents/duties'>['items'][number];
export type NationalIncidents = ApiResponse<'/api/incidents/national'>;
export type Advisory = ApiResponse<'/api/advisories/{id}'>;
export type ReportInput = paths['/api/incidents']['post']['requestBody']['content']['application/json'];
export type StageUpdate = NonNullable<
  paths['/api/incidents/{id}/reports']['post']['requestBody']['content']['application/json']['update']
>;

const oneOf =
  <T extends string>(list: readonly T[]) =>
  (v: string | null | undefined): v is T =>
    (list as readonly string[]).includes(v ?? '');

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const isSeverity = oneOf(SEVERITIES);

/** The handling workflow, in order: forward moves only, except reopening to investigating. */
export const STATUSES = ['new', 'triage', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];
export const isIncidentStatus = oneOf(STATUSES);
export const REOPEN_TO: IncidentStatus = 'investigating';

/** The statuses a handler may move an incident to from `current` (current included). */
export function nextStatuses(current: string): IncidentStatus[] {
  const at = STATUSES.indexOf(current as IncidentStatus);
  if (at < 0) return [...STATUSES];
  const forward = STATUSES.slice(at);
  return current === 'resolved' || current === 'closed' ? [REOPEN_TO, ...forward] : forward;
}

export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLPS)[number];
export const isTlp = oneOf(TLPS);
/** What an advisory may carry: it goes to every entity of a sector. */
export const ADVISORY_TLPS = ['CLEAR', 'GREEN'] as const;

/** FIRST's TLP 2.0 colours; CLEAR is white, so it gets an outline. */
export const TLP_STYLE: Record<Tlp, { bg: string; fg: string; border?: string }> = {
  RED: { bg: '#FF2B2B', fg: '#000000' },
  AMBER: { bg: '#FFC000', fg: '#000000' },
  'AMBER+STRICT': { bg: '#FFC000', fg: '#000000' },
  GREEN: { bg: '#33FF00', fg: '#000000' },
  CLEAR: { bg: '#FFFFFF', fg: '#000000', border: '#868e96' },
};

// Words carry the meaning; the colour repeats it.
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red.9',
  high: 'orange.7',
  medium: 'yellow.4',
  low: 'gray.3',
};

export const STATUS_COLOR: Record<IncidentStatus, string> = {
  new: 'blue.7',
  triage: 'violet.7',
  investigating: 'indigo.7',
  contained: 'teal.7',
  resolved: 'qila.7',
  closed: 'gray.7',
};

export const DUTY_STATUSES = ['not_required', 'waiting', 'due', 'overdue', 'met', 'met_late'] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];
export const isDutyStatus = oneOf(DUTY_STATUSES);
/** A duty still owed: what the entity has to act on. */
export const OPEN_DUTY: readonly DutyStatus[] = ['due', 'overdue', 'waiting'];

export const STAGE_KINDS = ['early_warning', 'notification', 'intermediate', 'final'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];
export const isStageKind = oneOf(STAGE_KINDS);
export const stageRank = (k: string) => STAGE_KINDS.indexOf(k as StageKind);

export const OBSERVABLE_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'] as const;
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];
export const isObservableType = oneOf(OBSERVABLE_TYPES);

/** Every fact a report can carry, as the server names them (required-field lists use these names). */
export const FACT_FIELDS = [
  'title',
  'summary',
  'severity',
  'rsitClass',
  'rsitType',
  'awareAt',
  'detectedAt',
  'classifiedAt',
  'detectionSource',
  'affectedServices',
  'affectedSectors',
  'usersAffected',
  'downtimeHours',
  'financialLoss',
  'personalData',
  'personalDataRecords',
  'crossBorder',
  'crossBorderCountries',
  'suspectedMalicious',
  'healthImpact',
  'ongoing',
  'mitigation',
  'rootCause',
  'lessonsLearned',
  'indicators',
  'tlp',
] as const;
export type FactField = (typeof FACT_FIELDS)[number];
export const isFactField = oneOf(FACT_FIELDS);

/** The list's filters, as kept in the page address. */
export interface IncidentFilters {
  view: 'queue' | 'recent';
  status: IncidentStatus[];
  severity: Severity[];
  overdue: boolean;
  late: boolean;
  mine: boolean;
  q: string;
}

export function readIncidentFilters(params: URLSearchParams, handler: boolean): IncidentFilters {
  const list = (k: string) => (params.get(k) ?? '').split(',').filter(Boolean);
  const view = params.get('view');
  return {
    // Handlers work a queue; entity people look back at what they reported.
    view: view === 'queue' || view === 'recent' ? view : handler ? 'queue' : 'recent',
    status: list('status').filter(isIncidentStatus),
    severity: list('severity').filter(isSeverity),
    overdue: params.get('overdue') === 'true',
    late: params.get('late') === 'true',
    mine: params.get('mine') === 'true',
    q: params.get('q')?.trim() ?? '',
  };
}

export const incidentKey = (id: string) => ['incident', id] as const;
export const incidentsKey = ['incidents'] as const;

export function useReferenceData() {
  return useQuery({
    queryKey: ['incidents', 'reference-data'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/incidents/reference-data', { signal })),
    staleTime: 60 * 60_000,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: incidentKey(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/incidents/{id}', { params: { path: { id } }, signal })),
  });
}

/** A random key, made once per form, so a double submission never reports an incident twice. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ApiResponse } from '../api/client';

export type EntitySummary = ApiResponse<'/api/entities'>['items'][number];
export type EntityDetail = ApiResponse<'/api/entities/{id}'>;
export type EntityAction = EntityDetail['allowedActions'][number];
export type ChangeRequest = ApiResponse<'/api/registry/change-requests'>['items'][number];
export type ImportReport = ApiResponse<'/api/registry/imports', 'post'>;
export type GradingRules = ApiResponse<'/api/registry/grading'>;
export type GradingResult = ApiResponse<'/api/entities/{id}/grading', 'post'>;
export type Overview = ApiResponse<'/api/registry/overview'>;

export const ENTITY_KINDS = [
  'federal_government',
  'provincial_government',
  'cii_operator',
  'private_enterprise',
  'digital_service_provider',
  'academic',
  'civil_society',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const isEntityKind = (k: string): k is EntityKind => (ENTITY_KINDS as readonly string[]).includes(k);

export const SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];
export const isSize = (s: string): s is Size => (SIZES as readonly string[]).includes(s);

export const DESIGNATIONS = ['essential', 'important', 'other'] as const;
export type Designation = (typeof DESIGNATIONS)[number];
export const isDesignation = (d: string): d is Designation => (DESIGNATIONS as readonly string[]).includes(d);

export const TIERS = ['1', '2', '3', 'none'] as const;
export type TierKey = (typeof TIERS)[number];
export const isTierKey = (t: string): t is TierKey => (TIERS as readonly string[]).includes(t);

export const CONTACT_KINDS = ['head', 'ciso', 'incident_24x7'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const ASSET_KINDS = ['domain', 'ip_range', 'tls_endpoint'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export const isAssetKind = (k: string): k is AssetKind => (ASSET_KINDS as readonly string[]).includes(k);

/** The import file's columns in the server's order; a Qila export imports unchanged. */
export const IMPORT_COLUMNS = [
  'registration_no',
  'name_en',
  'name_ur',
  'kind',
  'sector',
  'subsector',
  'admin_unit',
  'size',
  'annual_turnover',
  'website',
  'cii_tier',
  'parent_registration_no',
  'head_name',
  'head_email',
  'ciso_name',
  'ciso_email',
  'ciso_phone',
  'incident_name',
  'incident_email',
  'incident_phone',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
  'registration_no',
  'name_en',
  'kind',
  'sector',
  'subsector',
  'admin_unit',
  'size',
];
export const isImportColumn = (c: string): c is ImportColumn =>
  (IMPORT_COLUMNS as readonly string[]).includes(c);

/** The registry's filters, as kept in the page address. */
export const FILTER_KEYS = [
  'q',
  'sector',
  'subsector',
  'adminUnit',
  'regulator',
  'tier',
  'kind',
  'designation',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface EntityFilters {
  q?: string;
  sector?: string;
  subsector?: string;
  adminUnit?: string;
  regulator?: string;
  tier?: TierKey;
  kind?: EntityKind;
  designation?: Designation;
}

/** The filters in a query string; values the API would refuse are left out. */
export function readFilters(params: URLSearchParams): EntityFilters {
  const get = (k: FilterKey) => params.get(k)?.trim() || undefined;
  const tier = get('tier');
  const kind = get('kind');
  const designation = get('designation');
  return {
    q: get('q'),
    sector: get('sector'),
    subsector: get('sector') ? get('subsector') : undefined,
    adminUnit: get('adminUnit'),
    regulator: get('regulator'),
    tier: tier && isTierKey(tier) ? tier : undefined,
    kind: kind && isEntityKind(kind) ? kind : undefined,
    designation: designation && isDesignation(designation) ? designation : undefined,
  };
}

/** The filters as a query string (without "?"), for the export links. */
export function filtersToQuery(filters: EntityFilters, extra: Record<string, string> = {}): string {
  const qs = new URLSearchParams(extra);
  for (const k of FILTER_KEYS) {
    const v = filters[k];
    if (v) qs.set(k, v);
  }
  return qs.toString();
}

export const entityKey = (id: string) => ['entity', id] as const;

export function useEntity(id: string) {
  return useQuery({
    queryKey: entityKey(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/entities/{id}', { params: { path: { id } }, signal })),
  });
}

export function useGradingRules(enabled = true) {
  return useQuery({
    queryKey: ['registry', 'grading'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/registry/grading', { signal })),
    staleTime: 60 * 60_000,
    enabled,
  });
}

/** An entity's name in the interface language, falling back to English. */
export function localName(e: { nameEn: string; nameUr?: string | null }, language: string): string {
  return language === 'ur' && e.nameUr ? e.nameUr : e.nameEn;
}

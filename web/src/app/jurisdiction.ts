import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type ApiResponse } from '../api/client';
import { useAuth } from './auth';

export type Jurisdiction = ApiResponse<'/api/jurisdiction'>;
/** A name given in several languages; English is always present. */
export type LocalizedName = { en: string } & Partial<Record<string, string>>;

/** The jurisdiction profile; read once a user who may read it is signed in. */
export function useJurisdiction() {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['jurisdiction'],
    queryFn: () => unwrap(api.GET('/api/jurisdiction')),
    enabled: can('jurisdiction.read'),
    staleTime: Infinity,
  });
}

/** Picks the name in the interface language, falling back to English. */
export function useLocalize(): (name: LocalizedName | undefined | null, fallback?: string) => string {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useCallback((name, fallback = '') => (name ? (name[lang] ?? name.en) : fallback), [lang]);
}

export interface Names {
  jurisdiction: Jurisdiction | undefined;
  country: string;
  sector: (code: string) => string;
  adminUnit: (code: string) => string;
  regulator: (code: string) => string;
  subsector: (code: string) => string;
  sectorOptions: Option[];
  adminUnitOptions: Option[];
  regulatorOptions: Option[];
  /** The subsectors of one sector, or none when no sector is given. */
  subsectorOptions: (sector: string | null | undefined) => Option[];
}

export interface Option {
  value: string;
  label: string;
}

/** Turns the jurisdiction's codes (sectors, administrative units, regulators) into names. */
export function useNames(): Names {
  const { data } = useJurisdiction();
  const localize = useLocalize();
  return useMemo(() => {
    const sectors = new Map((data?.sectors ?? []).map((s) => [s.code, s.name]));
    const units = new Map((data?.administrativeUnits ?? []).map((u) => [u.code, u.name]));
    const regulators = new Map((data?.regulators ?? []).map((r) => [r.code, r.name]));
    const subsectors = new Map(
      (data?.sectors ?? []).flatMap((s) => s.subsectors.map((x) => [x.code, x.name] as const)),
    );
    return {
      jurisdiction: data,
      country: localize(data?.name),
      sector: (code) => localize(sectors.get(code), code),
      adminUnit: (code) => localize(units.get(code), code),
      regulator: (code) => localize(regulators.get(code), code),
      subsector: (code) => localize(subsectors.get(code), code),
      sectorOptions: (data?.sectors ?? []).map((s) => ({ value: s.code, label: localize(s.name) })),
      adminUnitOptions: (data?.administrativeUnits ?? []).map((u) => ({
        value: u.code,
        label: localize(u.name),
      })),
      regulatorOptions: (data?.regulators ?? []).map((r) => ({ value: r.code, label: localize(r.name) })),
      subsectorOptions: (sector) =>
        (data?.sectors.find((s) => s.code === sector)?.subsectors ?? []).map((x) => ({
          value: x.code,
          label: localize(x.name),
        })),
    };
  }, [data, localize]);
}

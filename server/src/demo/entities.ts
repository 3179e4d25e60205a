import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JurisdictionProfile } from '../platform/jurisdiction/catalog.ts';
import type { Random } from './random.ts';

export const DemoNames = z.object({
  cities: z.record(z.string(), z.array(z.string()).min(1)),
  orgPatterns: z.record(z.string(), z.array(z.string()).min(1)),
  prefixes: z.array(z.string()).min(1),
  firstNames: z.array(z.string()).min(1),
  lastNames: z.array(z.string()).min(1),
  domainsTld: z.array(z.string()).min(1),
});
export type DemoNames = z.infer<typeof DemoNames>;

export function loadDemoNames(catalogDir: string, jurisdiction: string): DemoNames {
  const file = path.join(catalogDir, 'demo', `${jurisdiction}-names.json`);
  return DemoNames.parse(JSON.parse(readFileSync(file, 'utf8')));
}

// How common each sector is among regulated entities in the demo country (demo only).
const SECTOR_WEIGHT: Record<string, number> = {
  finance: 14,
  it: 14,
  health: 12,
  government: 12,
  telecom: 8,
  energy: 8,
  education: 8,
  manufacturing: 7,
  transport: 5,
  media: 4,
  water: 3,
  other: 5,
};

export interface DemoEntity {
  registration_no: string;
  name_en: string;
  kind: string;
  sector: string;
  subsector: string;
  admin_unit: string;
  regulator: string;
  designation: string;
  cii_tier: number | null;
  size: string;
  annual_turnover: number | null;
  website: string;
}

function kindFor(sector: string, unitKind: string, r: Random): string {
  if (sector === 'government') return unitKind === 'federal' ? 'federal_government' : 'provincial_government';
  if (sector === 'education') return r.next() < 0.7 ? 'academic' : 'private_enterprise';
  if (sector === 'it') return r.next() < 0.6 ? 'digital_service_provider' : 'private_enterprise';
  if (['energy', 'telecom', 'water', 'transport'].includes(sector))
    return r.next() < 0.6 ? 'cii_operator' : 'private_enterprise';
  if (sector === 'other' && r.next() < 0.2) return 'civil_society';
  return r.next() < 0.3 ? 'cii_operator' : 'private_enterprise';
}

/** A plausible, fictional national registry, the same for the same seed. */
export function generateEntities(
  profile: JurisdictionProfile,
  names: DemoNames,
  count: number,
  r: Random,
): DemoEntity[] {
  const units = profile.administrativeUnits;
  const out: DemoEntity[] = [];
  const usedNames = new Set<string>();
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 24);
  for (let i = 0; i < count; i++) {
    const sector = r.weighted(profile.sectors, (s) => SECTOR_WEIGHT[s.code] ?? 2);
    const sub = r.pick(sector.subsectors);
    // Every unit appears; larger populations host more entities.
    const unit =
      i < units.length ? units[i]! : r.weighted(units, (u) => Math.sqrt(u.population ?? 2_000_000));
    const city = r.pick(names.cities[unit.code] ?? names.cities[Object.keys(names.cities)[0]!]!);
    const pattern = r.pick(names.orgPatterns[sub.code] ?? ['{prefix} {city} Limited']);
    let name = pattern
      .replaceAll('{prefix}', r.pick(names.prefixes))
      .replaceAll('{city}', city)
      .replaceAll('{province}', unit.name.en);
    if (usedNames.has(name)) name = `${name} (${city})`;
    for (let n = 2; usedNames.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
    usedNames.add(name);
    const kind = kindFor(sector.code, unit.kind, r);
    const size = r.weighted(
      ['micro', 'small', 'medium', 'large'] as const,
      (s) => ({ micro: 1, small: 3, medium: 4, large: 3 })[s],
    );
    const tier =
      kind === 'cii_operator' || kind === 'federal_government'
        ? r.weighted([1, 2, 3], (t) => [1, 3, 5][t - 1]!)
        : null;
    const designation =
      tier === 1 || tier === 2 ? 'essential' : size === 'large' || tier === 3 ? 'important' : 'other';
    const turnoverBase = { micro: 5e6, small: 5e7, medium: 5e8, large: 5e9 }[size];
    const isBusiness = !['federal_government', 'provincial_government', 'academic', 'civil_society'].includes(
      kind,
    );
    const tld = kind.endsWith('government')
      ? 'gov.pk'
      : kind === 'academic'
        ? 'edu.pk'
        : r.pick(names.domainsTld);
    out.push({
      registration_no: `${profile.code}-${sector.code.slice(0, 3).toUpperCase()}-${String(100000 + i * 7 + r.int(0, 6)).padStart(6, '0')}`,
      name_en: name,
      kind,
      sector: sector.code,
      subsector: sub.code,
      admin_unit: unit.code,
      regulator: sub.regulator,
      designation,
      cii_tier: tier,
      size,
      annual_turnover: isBusiness ? Math.round(turnoverBase * (0.5 + r.next() * 4)) : null,
      website: `https://www.${slug(name)}.${tld}`,
    });
  }
  return out;
}

/** A head, a CISO and a 24x7 incident desk for a demo entity. */
export function demoContacts(e: { website: string | null }, names: DemoNames, r: Random) {
  const domain = e.website ? new URL(e.website).hostname.replace(/^www\./, '') : 'example.pk';
  const person = () => `${r.pick(names.firstNames)} ${r.pick(names.lastNames)}`;
  const phone = () => `+92 ${r.int(21, 99)} ${r.int(1000000, 9999999)}`;
  const head = person();
  const ciso = person();
  return [
    { kind: 'head', name: head, title: 'Chief Executive', email: `ceo@${domain}`, phone: null },
    {
      kind: 'ciso',
      name: ciso,
      title: 'Chief Information Security Officer',
      email: `ciso@${domain}`,
      phone: phone(),
    },
    {
      kind: 'incident_24x7',
      name: 'Security operations centre',
      title: null,
      email: `soc@${domain}`,
      phone: phone(),
    },
  ];
}

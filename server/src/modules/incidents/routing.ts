import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { LegalStatus } from '../../platform/legal-status.ts';
import type { Tlp } from './incidents.schemas.ts';

const Target = z.object({
  kind: z.enum(['regulator', 'sectoral_cert', 'provincial_cert']),
  code: z.string().min(1),
  name: z.string().optional(),
});
const RoutingRules = z.object({
  version: z.string(),
  effectiveFrom: z.iso.date(),
  legalStatus: LegalStatus,
  national: z.object({ code: z.string(), name: z.string() }),
  rules: z.array(
    z.object({
      when: z.object({ sector: z.string().optional(), adminUnit: z.string().optional() }),
      to: z.array(Target).min(1),
    }),
  ),
});
export type RoutingRules = z.infer<typeof RoutingRules>;

export interface Recipient {
  kind: 'national_cert' | 'regulator' | 'sectoral_cert' | 'provincial_cert' | 'user';
  code: string;
  name: string;
}

const cache = new Map<string, RoutingRules[]>();

export function loadRouting(catalogDir: string, jurisdiction: string): RoutingRules[] {
  const key = `${catalogDir}|${jurisdiction}`;
  let sets = cache.get(key);
  if (!sets) {
    const dir = path.join(catalogDir, 'incident-routing', jurisdiction);
    sets = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => {
            const parsed = RoutingRules.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
            if (!parsed.success) throw new ConfigError(`The incident routing rules ${f} are invalid.`);
            return parsed.data;
          })
          .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
      : [];
    cache.set(key, sets);
  }
  return sets;
}

/**
 * Who a new incident goes to. TLP decides how far: RED goes to the named people only;
 * AMBER+STRICT stays with the national CERT and the sector regulator; the rest also reaches
 * sectoral and provincial CERTs.
 */
export function route(
  sets: RoutingRules[],
  date: string,
  incident: { sector: string; adminUnit: string; tlp: Tlp },
  named: { id: string; name: string }[],
): Recipient[] {
  if (incident.tlp === 'RED') return named.map((u) => ({ kind: 'user', code: u.id, name: u.name }));
  const rules = sets.filter((s) => s.effectiveFrom <= date).at(-1);
  if (!rules) return [];
  const out: Recipient[] = [{ kind: 'national_cert', code: rules.national.code, name: rules.national.name }];
  for (const r of rules.rules) {
    if (r.when.sector && r.when.sector !== incident.sector) continue;
    if (r.when.adminUnit && r.when.adminUnit !== incident.adminUnit) continue;
    for (const t of r.to) {
      if (incident.tlp === 'AMBER+STRICT' && t.kind !== 'regulator') continue;
      if (!out.some((o) => o.kind === t.kind && o.code === t.code))
        out.push({ kind: t.kind, code: t.code, name: t.name ?? t.code });
    }
  }
  return out;
}

/** The national CERT named by the newest routing rules: the producer of exported intelligence. */
export function nationalCert(sets: RoutingRules[]): { code: string; name: string } {
  return sets.at(-1)?.national ?? { code: 'national-cert', name: 'National CERT' };
}

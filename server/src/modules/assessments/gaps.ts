import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { LegalStatus } from '../../platform/legal-status.ts';

export const TargetProfile = z.object({
  jurisdiction: z.string(),
  version: z.string(),
  effectiveFrom: z.iso.date(),
  legalStatus: LegalStatus,
  default: z.number().int().min(0).max(5),
  byTier: z.record(z.string(), z.number().int().min(0).max(5)).default({}),
  bySectorTier: z.record(z.string(), z.record(z.string(), z.number().int().min(0).max(5))).default({}),
  byDimension: z.record(z.string(), z.number().int().min(-5).max(5)).default({}),
});
export type TargetProfile = z.infer<typeof TargetProfile>;

/** The target profiles in catalogs/targets/, oldest first. */
export function loadTargetProfiles(catalogDir: string, jurisdiction: string): TargetProfile[] {
  const dir = path.join(catalogDir, 'targets');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${jurisdiction}-`) && f.endsWith('.json'))
    .map((f) => {
      const r = TargetProfile.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!r.success)
        throw new ConfigError(`The target profile ${f} is invalid: ${r.error.issues[0]!.message}.`);
      return r.data;
    })
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** The level an entity of this sector and tier should reach on a requirement of this dimension. */
export function targetLevel(
  t: TargetProfile,
  sector: string,
  tier: number | null,
  dimension: string | null,
): number {
  const tierKey = tier === null ? 'none' : String(tier);
  const base = t.bySectorTier[sector]?.[tierKey] ?? t.byTier[tierKey] ?? t.default;
  return Math.max(0, Math.min(5, base + (dimension ? (t.byDimension[dimension] ?? 0) : 0)));
}

export interface Gap {
  frameworkId: string;
  itemId: string;
  statement: string | null;
  dimension: string | null;
  level: number;
  target: number;
  gap: number;
  /** Requirements of other frameworks this one also satisfies (equivalent or narrower). */
  alsoCloses: { frameworkId: string; itemId: string; relationship: string }[];
  priority: number;
}

/**
 * Gaps against the target, most urgent first: the shortfall in levels, weighted up for the
 * technical and institutional dimensions where incidents start, and by how many other mapped
 * requirements closing it would also close.
 */
export function rankGaps(gaps: Omit<Gap, 'priority'>[]): Gap[] {
  const dimWeight: Record<string, number> = { technical: 1.2, institutional: 1.1, legal: 1, human: 1 };
  return gaps
    .map((g) => ({
      ...g,
      priority:
        Math.round(g.gap * (dimWeight[g.dimension ?? ''] ?? 1) * (1 + 0.25 * g.alsoCloses.length) * 100) /
        100,
    }))
    .sort((a, b) => b.priority - a.priority || a.itemId.localeCompare(b.itemId));
}

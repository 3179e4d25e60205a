import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';

const Share = z.number().min(0).max(1);

/** How an assessment's score is read (catalogs/scoring/<jurisdiction>-<version>.json). */
export const ScoringRules = z
  .object({
    jurisdiction: z.string(),
    version: z.string(),
    effectiveFrom: z.iso.date(),
    legalStatus: z.unknown().optional(),
    note: z.string().optional(),
    confidence: z.object({
      /** Confidence = evidenceWeight x share of answers with evidence + reviewWeight x (accepted ? 1 : 0). */
      evidenceWeight: Share,
      reviewWeight: Share,
      /** Highest first; the first band whose minimum the value reaches names it. */
      bands: z.array(z.object({ label: z.enum(['low', 'medium', 'high']), min: Share })).min(1),
    }),
    /** The OSCAL export reports a requirement as satisfied from this score (0-100) on its framework's scale. */
    oscal: z.object({ satisfiedFromScore: z.number().min(0).max(100) }),
    tiers: z.object({
      /** Framework codes (the id before "@") whose score suggests an implementation tier. */
      frameworks: z.array(z.string()),
      bands: z.array(z.object({ tier: z.number().int(), min: z.number().min(0).max(100) })).min(1),
    }),
  })
  .refine((r) => Math.abs(r.confidence.evidenceWeight + r.confidence.reviewWeight - 1) < 1e-9, {
    message: 'the confidence weights must add up to 1',
    path: ['confidence'],
  })
  .refine((r) => r.confidence.bands.some((b) => b.min === 0) && r.tiers.bands.some((b) => b.min === 0), {
    message: 'each band list needs one band starting at 0, so every value has a band',
    path: ['tiers'],
  });
export type ScoringRules = z.infer<typeof ScoringRules>;

/** The scoring rule sets in catalogs/scoring/ for one jurisdiction, oldest first. */
export function loadScoringRules(catalogDir: string, jurisdiction: string): ScoringRules[] {
  const dir = path.join(catalogDir, 'scoring');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${jurisdiction}-`) && f.endsWith('.json'))
    .map((f) => {
      const r = ScoringRules.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!r.success)
        throw new ConfigError(`The scoring rules ${f} are invalid: ${r.error.issues[0]!.message}.`);
      return r.data;
    })
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** The rule set in force on a day (YYYY-MM-DD), or undefined before the first one. */
export const rulesOn = (sets: ScoringRules[], day: string) =>
  sets.filter((s) => s.effectiveFrom <= day).at(-1);

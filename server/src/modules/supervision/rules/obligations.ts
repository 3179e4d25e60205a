import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../../config.ts';
import { LegalStatus } from '../../../platform/legal-status.ts';

const Every = z.object({
  assessmentEveryMonths: z.number().int().positive().nullable(),
  auditEveryMonths: z.number().int().positive().nullable(),
});

export const SupervisionRules = z.object({
  version: z.string().min(1),
  effectiveFrom: z.iso.date(),
  legalStatus: LegalStatus,
  description: z.string().default(''),
  /** What each designation tier owes ('none' = not designated). */
  obligations: z.object({ '1': Every, '2': Every, '3': Every, none: Every }),
  dueSoonDays: z.number().int().min(0),
  incidentReporting: z.object({
    windowMonths: z.number().int().positive(),
    lateAtRisk: z.number().int().positive(),
    lateNonCompliant: z.number().int().positive(),
    missingNonCompliant: z.number().int().positive(),
  }),
  correctiveActions: z.object({ dueSoonDays: z.number().int().min(0) }),
  auditPlanning: z.object({
    /** How far back incidents and late or missing reports count towards an entity's audit priority. */
    historyMonths: z.number().int().positive(),
    tierPoints: z.object({ '1': z.number(), '2': z.number(), '3': z.number(), none: z.number() }),
    weakScorePoints: z.number(),
    noScorePoints: z.number(),
    lateReportPoints: z.number(),
    missingReportPoints: z.number(),
    incidentPoints: z.number(),
    incidentPointsCap: z.number(),
    pointsPerYearSinceAudit: z.number(),
    neverAuditedPoints: z.number(),
  }),
  preliminaryResponseDays: z.object({
    default: z.number().int().positive(),
    bySector: z.record(z.string(), z.number().int().positive()).default({}),
  }),
  enforcement: z.object({
    noticeResponseDays: z.number().int().positive(),
    hearingWithinDays: z.number().int().positive(),
    appealDays: z.number().int().positive(),
  }),
});
export type SupervisionRules = z.infer<typeof SupervisionRules>;

export function loadSupervisionRules(catalogDir: string, jurisdiction: string): SupervisionRules[] {
  const dir = path.join(catalogDir, 'supervision', jurisdiction);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = SupervisionRules.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success)
        throw new ConfigError(
          `The supervision rules ${f} are invalid at ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}.`,
        );
      return parsed.data;
    })
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

export function supervisionRulesOn(sets: SupervisionRules[], date: string): SupervisionRules | null {
  return sets.filter((s) => s.effectiveFrom <= date).at(-1) ?? null;
}

export const tierKey = (tier: number | null) => (tier === null ? 'none' : (String(tier) as '1' | '2' | '3'));

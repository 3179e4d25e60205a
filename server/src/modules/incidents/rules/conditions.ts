import { z } from 'zod';

/** The facts about an incident and its entity that rule sets may test. */
export interface IncidentFacts {
  severity: string;
  rsitClass: string;
  rsitType: string;
  sector: string;
  subsector: string;
  entityKind: string;
  ciiTier: number | null;
  usersAffected: number | null;
  downtimeHours: number | null;
  financialLoss: number | null;
  /** Financial loss as a percentage of the entity's annual turnover, when both are known. */
  financialLossPctOfTurnover: number | null;
  personalData: boolean;
  crossBorder: boolean;
  suspectedMalicious: boolean;
  healthImpact: boolean;
  /** The affected service was down for everyone, not merely degraded for some. */
  serviceWhollyUnavailable: boolean;
  /** Trade secrets were, or may have been, taken out of the entity. */
  tradeSecretsExfiltrated: boolean;
  /** Other people or organisations suffered, or may suffer, considerable material or non-material damage. */
  damageToOthers: boolean;
  /** Incidents with the same apparent root cause within the look-back the entity was asked about, this one included. */
  recurringIncidents: number | null;
  /** Their combined direct financial loss, and that as a percentage of turnover when turnover is known. */
  recurringFinancialLoss: number | null;
  recurringFinancialLossPctOfTurnover: number | null;
}
export const FACT_NAMES = [
  'severity',
  'rsitClass',
  'rsitType',
  'sector',
  'subsector',
  'entityKind',
  'ciiTier',
  'usersAffected',
  'downtimeHours',
  'financialLoss',
  'financialLossPctOfTurnover',
  'personalData',
  'crossBorder',
  'suspectedMalicious',
  'healthImpact',
  'serviceWhollyUnavailable',
  'tradeSecretsExfiltrated',
  'damageToOthers',
  'recurringIncidents',
  'recurringFinancialLoss',
  'recurringFinancialLossPctOfTurnover',
] as const satisfies readonly (keyof IncidentFacts)[];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | {
      fact: keyof IncidentFacts;
      op: 'eq' | 'in' | 'gte' | 'gt' | 'lte' | 'lt' | 'true' | 'false' | 'known';
      value?: unknown;
    };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
    z
      .object({
        fact: z.enum(FACT_NAMES),
        op: z.enum(['eq', 'in', 'gte', 'gt', 'lte', 'lt', 'true', 'false', 'known']),
        value: z.unknown().optional(),
      })
      .strict(),
  ]),
);

/** Evaluates a condition; an unknown figure never satisfies a comparison. */
export function holds(c: Condition, f: IncidentFacts): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, f));
  if ('any' in c) return c.any.some((x) => holds(x, f));
  if ('not' in c) return !holds(c.not, f);
  const v = f[c.fact];
  switch (c.op) {
    case 'true':
      return v === true;
    case 'false':
      return v === false;
    case 'known':
      return v !== null && v !== undefined;
    case 'eq':
      return v === c.value;
    case 'in':
      return Array.isArray(c.value) && c.value.includes(v);
  }
  if (typeof v !== 'number' || typeof c.value !== 'number') return false;
  if (c.op === 'gte') return v >= c.value;
  if (c.op === 'gt') return v > c.value;
  if (c.op === 'lte') return v <= c.value;
  return v < c.value;
}

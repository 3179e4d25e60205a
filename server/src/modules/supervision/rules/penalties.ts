import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../../config.ts';
import { LegalStatus, legalStatusSentence } from '../../../platform/legal-status.ts';
import { AppError, ValidationError } from '../../../platform/errors.ts';

const TierAmounts = z.object({
  '1': z.number().min(0),
  '2': z.number().min(0),
  '3': z.number().min(0),
  none: z.number().min(0),
});
const Cap = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), amount: z.number().positive() }),
  z.object({ kind: z.literal('pct_of_turnover'), pctOfTurnover: z.number().positive() }),
  z.object({
    kind: z.literal('greater_of'),
    amount: z.number().positive(),
    pctOfTurnover: z.number().positive(),
  }),
  z.object({
    kind: z.literal('lesser_of'),
    amount: z.number().positive(),
    pctOfTurnover: z.number().positive(),
  }),
]);
const Factor = z.object({
  code: z.string().regex(/^[a-z_]+$/),
  name: z.string().min(1),
  effect: z.enum(['aggravating', 'mitigating']),
  pct: z.number().min(0).optional(),
  pctPerMonth: z.number().min(0).optional(),
  maxPct: z.number().min(0).optional(),
  /** Factors of one group weigh the same element (intent or negligence): at most one of them applies. */
  group: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
  /** Where the factor comes from (an article of the instrument the schedule follows). */
  source: z.string().min(1).optional(),
});

export const PenaltyRules = z.object({
  version: z.string().min(1),
  effectiveFrom: z.iso.date(),
  legalStatus: LegalStatus,
  currency: z.string().length(3),
  /** The regulator (a code in the jurisdiction profile) that decides and signs. */
  authority: z.string().min(1),
  description: z.string().default(''),
  violations: z
    .array(
      z.object({ code: z.string().regex(/^[a-z_]+$/), name: z.string().min(1), base: TierAmounts, cap: Cap }),
    )
    .min(1),
  factors: z.array(Factor),
  /** However much mitigates, the amount never falls below this share of the base. */
  minimumPct: z.number().min(0).max(100),
});
export type PenaltyRules = z.infer<typeof PenaltyRules>;

export function loadPenaltyRules(catalogDir: string, jurisdiction: string): PenaltyRules[] {
  const dir = path.join(catalogDir, 'penalties', jurisdiction);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = PenaltyRules.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success)
        throw new ConfigError(`The penalty rules ${f} are invalid: ${parsed.error.issues[0]!.message}.`);
      return parsed.data;
    })
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** The schedule in force on the day of the violation: a later schedule never applies backwards. */
export function penaltyRulesOn(sets: PenaltyRules[], date: string): PenaltyRules | null {
  return sets.filter((s) => s.effectiveFrom <= date).at(-1) ?? null;
}

export interface PenaltyInput {
  violation: string;
  /** The entity's CII tier on the day of the violation, or null when not designated. */
  tier: number | null;
  annualTurnover: number | null;
  factors: { code: string; months?: number }[];
}

export interface PenaltyResult {
  rulesVersion: string;
  /** The schedule's legal status when the amount was computed: kept with the decision. */
  legalStatus?: LegalStatus;
  currency: string;
  violation: string;
  base: number;
  adjustmentPct: number;
  beforeCap: number;
  cap: number | null;
  amount: number;
  /** The computation in sentences, for the decision letter. */
  explanation: string[];
}

const money = (n: number, currency: string) => `${currency} ${Math.round(n).toLocaleString('en-US')}`;

/**
 * base (by tier) x (100% + aggravating% - mitigating%, never below the minimum share), then the cap.
 * Each step is written out so the decision letter can show how the amount was reached.
 */
export function computePenalty(rules: PenaltyRules, input: PenaltyInput): PenaltyResult {
  const v = rules.violations.find((x) => x.code === input.violation);
  if (!v)
    throw new ValidationError(`"${input.violation}" is not a violation type of schedule ${rules.version}.`, {
      field: 'violation',
    });
  const tierKey = input.tier === null ? 'none' : (String(input.tier) as '1' | '2' | '3');
  const base = v.base[tierKey];
  const lines = [
    // "Applied from", not "in force from": the schedule's date says when Qila uses it, not that it is law.
    `Violation: ${v.name} (schedule ${rules.version}, applied from ${rules.effectiveFrom}).`,
    rules.legalStatus.status === 'in_force'
      ? legalStatusSentence(rules.legalStatus)
      : `${legalStatusSentence(rules.legalStatus)} Illustrative: this schedule is not law in force, so its figures are not amounts set by law.`,
    `Base amount for ${input.tier === null ? 'an entity not designated as critical infrastructure' : `a tier ${input.tier} critical infrastructure entity`}: ${money(base, rules.currency)}.`,
  ];
  let adjustment = 0;
  const seen = new Map<string, PenaltyRules['factors'][number]>();
  for (const [i, f] of input.factors.entries()) {
    const factor = rules.factors.find((x) => x.code === f.code);
    if (!factor)
      throw new ValidationError(`"${f.code}" is not a factor of schedule ${rules.version}.`, {
        field: `factors.${i}.code`,
      });
    // One circumstance weighs once: listing it again would raise (or lower) the amount twice.
    if (seen.has(f.code))
      throw new AppError(422, 'validation_failed', `The factor \u201c${f.code}\u201d is listed twice.`, {
        field: `factors.${i}.code`,
      });
    const rival = factor.group ? [...seen.values()].find((x) => x.group === factor.group) : undefined;
    if (rival)
      throw new AppError(
        422,
        'validation_failed',
        `The factors \u201c${rival.code}\u201d and \u201c${f.code}\u201d weigh the same circumstance; choose one.`,
        { field: `factors.${i}.code` },
      );
    seen.set(f.code, factor);
    let pct = factor.pct ?? 0;
    if (factor.pctPerMonth !== undefined) {
      if (f.months === undefined || f.months < 0)
        throw new ValidationError(`The factor "${factor.name}" needs the number of months.`, {
          field: `factors.${i}.months`,
        });
      pct = Math.min(f.months * factor.pctPerMonth, factor.maxPct ?? Infinity);
    }
    const signed = factor.effect === 'aggravating' ? pct : -pct;
    adjustment += signed;
    lines.push(
      `${factor.name}${f.months !== undefined && factor.pctPerMonth !== undefined ? ` (${f.months} months)` : ''}: ${signed >= 0 ? '+' : ''}${signed}%.`,
    );
  }
  const multiplier = Math.max(rules.minimumPct / 100, 1 + adjustment / 100);
  const beforeCap = Math.round(base * multiplier);
  if (input.factors.length)
    lines.push(
      `Net adjustment ${adjustment >= 0 ? '+' : ''}${adjustment}%${1 + adjustment / 100 < rules.minimumPct / 100 ? `, limited to the minimum of ${rules.minimumPct}% of the base` : ''}: ${money(beforeCap, rules.currency)}.`,
    );

  const turnoverCap = (pct: number) =>
    input.annualTurnover === null ? null : (input.annualTurnover * pct) / 100;
  let cap: number | null = null;
  const c = v.cap;
  if (c.kind === 'fixed') {
    cap = c.amount;
    lines.push(`Cap: ${money(cap, rules.currency)}.`);
  } else if (c.kind === 'pct_of_turnover') {
    cap = turnoverCap(c.pctOfTurnover);
    if (cap === null)
      throw new ValidationError(
        'This violation is capped at a share of annual turnover; record the entity\u2019s turnover first.',
        { field: 'annualTurnover' },
      );
    lines.push(
      `Cap: ${c.pctOfTurnover}% of annual turnover (${money(input.annualTurnover!, rules.currency)}) = ${money(cap, rules.currency)}.`,
    );
  } else {
    const share = turnoverCap(c.pctOfTurnover);
    const which = c.kind === 'greater_of' ? 'the greater' : 'the lesser';
    if (share === null) {
      cap = c.amount;
      lines.push(
        `Cap: ${which} of ${money(c.amount, rules.currency)} and ${c.pctOfTurnover}% of turnover; turnover is not on record, so ${money(cap, rules.currency)}.`,
      );
    } else {
      cap = c.kind === 'greater_of' ? Math.max(c.amount, share) : Math.min(c.amount, share);
      lines.push(
        `Cap: ${which} of ${money(c.amount, rules.currency)} and ${c.pctOfTurnover}% of annual turnover (${money(share, rules.currency)}) = ${money(cap, rules.currency)}.`,
      );
    }
  }
  const amount = Math.round(Math.min(beforeCap, cap));
  lines.push(
    amount < beforeCap
      ? `The cap applies. Penalty: ${money(amount, rules.currency)}.`
      : `Penalty: ${money(amount, rules.currency)}.`,
  );
  return {
    rulesVersion: rules.version,
    legalStatus: rules.legalStatus,
    currency: rules.currency,
    violation: v.code,
    base,
    adjustmentPct: adjustment,
    beforeCap,
    cap,
    amount,
    explanation: lines,
  };
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import { LegalStatus, legalStatusOut, type LegalStatusOut } from '../../platform/legal-status.ts';

const Name = z.object({ en: z.string().min(1), ur: z.string().optional() });

export const GradingRuleSet = z
  .object({
    jurisdiction: z.string(),
    version: z.string(),
    effectiveFrom: z.iso.date(),
    legalStatus: LegalStatus,
    name: Name,
    criteria: z
      .array(
        z.object({
          code: z.string().min(1),
          weight: z.number().positive(),
          name: Name,
          question: Name,
          options: z
            .array(z.object({ value: z.string().min(1), score: z.number().min(0).max(100), label: Name }))
            .min(2),
        }),
      )
      .min(1),
    thresholds: z
      .array(z.object({ tier: z.number().int().min(1), minScore: z.number().min(0).max(100) }))
      .min(1),
    floors: z
      .array(z.object({ criterion: z.string(), value: z.string(), tier: z.number().int().min(1) }))
      .default([]),
    designations: z.record(z.string(), z.enum(['essential', 'important', 'other'])),
  })
  .superRefine((r, ctx) => {
    for (const f of r.floors) {
      const c = r.criteria.find((x) => x.code === f.criterion);
      if (!c?.options.some((o) => o.value === f.value))
        ctx.addIssue({ code: 'custom', message: `floor names unknown answer ${f.criterion}=${f.value}` });
    }
  });
export type GradingRuleSet = z.infer<typeof GradingRuleSet>;
export type GradingAnswers = Record<string, string>;

export interface GradingResult {
  ruleSet: string;
  /** How binding the grading rules are: a grade under placeholder rules is advice, not a designation by law. */
  legalStatus: LegalStatusOut;
  score: number;
  tier: number | null;
  designation: 'essential' | 'important' | 'other';
  explanation: string;
  /** Criteria in order of how much they contributed, with the one-line reason. */
  contributions: {
    code: string;
    criterion: string;
    answerCode: string;
    answer: string;
    contribution: number;
    weight: number;
  }[];
}

/** All rule sets of a jurisdiction, oldest first; the one in force on a date is the latest started by then. */
export function loadGradingRuleSets(catalogDir: string, jurisdiction: string): GradingRuleSet[] {
  const dir = path.join(catalogDir, 'cii-grading', jurisdiction);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = GradingRuleSet.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success)
        throw new ConfigError(
          `The CII grading rule set ${f} is invalid: ${parsed.error.issues[0]!.message}.`,
        );
      return parsed.data;
    })
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

export function ruleSetInForce(sets: GradingRuleSet[], date: string): GradingRuleSet | null {
  return sets.filter((s) => s.effectiveFrom <= date).at(-1) ?? null;
}

/**
 * Weighted average of the answers' scores (0-100), mapped to a tier by thresholds; a floor
 * (for example "severe national-security impact") can make the tier more critical, never less.
 * The explanation names the criteria that decided the result.
 */
export function grade(rules: GradingRuleSet, answers: GradingAnswers): GradingResult {
  const totalWeight = rules.criteria.reduce((s, c) => s + c.weight, 0);
  const contributions = rules.criteria.map((c) => {
    const option = c.options.find((o) => o.value === answers[c.code]);
    if (!option) throw new RangeError(`no valid answer for ${c.code}`);
    return {
      criterion: c.name.en,
      code: c.code,
      answerCode: option.value,
      answer: option.label.en,
      weight: c.weight,
      contribution: (c.weight * option.score) / totalWeight,
    };
  });
  const score = Math.round(contributions.reduce((s, c) => s + c.contribution, 0) * 10) / 10;
  const thresholds = [...rules.thresholds].sort((a, b) => a.tier - b.tier);
  const byScore = thresholds.find((t) => score >= t.minScore)?.tier ?? null;
  const floor = rules.floors
    .filter((f) => answers[f.criterion] === f.value)
    .sort((a, b) => a.tier - b.tier)[0];
  const tier = floor && (byScore === null || floor.tier < byScore) ? floor.tier : byScore;
  const designation = rules.designations[tier === null ? 'none' : String(tier)] ?? 'other';
  const ranked = [...contributions].sort((a, b) => b.contribution - a.contribution);
  const pct = (w: number) => `${Math.round((w / totalWeight) * 100)}%`;
  const deciding = ranked
    .filter((c) => c.contribution > 0)
    .slice(0, 2)
    .map(
      (c) =>
        `${c.criterion}: ${c.answer.toLowerCase()} (weight ${pct(c.weight)}, adds ${c.contribution.toFixed(1)})`,
    );
  const next = tier === null ? thresholds.at(-1) : thresholds.find((t) => t.tier === tier);
  const parts = [
    tier === null
      ? `Not critical infrastructure: the score ${score} is below the ${next?.minScore} needed for tier ${next?.tier}.`
      : `Tier ${tier} (${designation}): weighted score ${score} of 100.`,
  ];
  if (floor && tier === floor.tier && (byScore === null || floor.tier < byScore)) {
    const c = rules.criteria.find((x) => x.code === floor.criterion)!;
    parts.push(
      `The score alone gives ${byScore === null ? 'no tier' : `tier ${byScore}`}, but "${c.name.en}: ${c.options.find((o) => o.value === floor.value)!.label.en.toLowerCase()}" sets tier ${floor.tier} at least.`,
    );
  } else if (tier !== null) {
    const higher = thresholds.find((t) => t.tier === tier - 1);
    parts.push(
      `Tier ${tier} needs ${thresholds.find((t) => t.tier === tier)!.minScore}${higher ? `; tier ${higher.tier} would need ${higher.minScore}` : ''}.`,
    );
  }
  if (deciding.length) parts.push(`Deciding criteria: ${deciding.join('; ')}.`);
  return {
    ruleSet: rules.version,
    legalStatus: legalStatusOut(rules.legalStatus),
    score,
    tier,
    designation,
    explanation: parts.join(' '),
    contributions: ranked.map(({ code, criterion, answerCode, answer, contribution, weight }) => ({
      code,
      criterion,
      answerCode,
      answer,
      contribution: Math.round(contribution * 10) / 10,
      weight,
    })),
  };
}

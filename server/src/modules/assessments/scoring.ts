/**
 * The assessment scoring engine (docs/scoring.md): pure functions over requirements and answers,
 * so the same numbers come out in the entity's page, the review, the national picture and tests.
 * Each framework is scored on its own level scale; the bands and weights come from the scoring catalog.
 */
import type { ScoringRules } from './scoring-rules.ts';

/** A framework's answer scale: the levels its catalog declares, lowest first. */
export type LevelScale = readonly number[];

/** For a framework that declares no levels: 0 (not performed) to 5 (optimised), as before scales existed. */
export const DEFAULT_SCALE: LevelScale = [0, 1, 2, 3, 4, 5];

/** The scale of a framework's stored `levels` ([{ level, name, ... }]); the default when it has none. */
export function scaleOf(levels: unknown): LevelScale {
  const nums = Array.isArray(levels)
    ? levels.flatMap((l) =>
        typeof l === 'object' && l !== null && Number.isInteger((l as { level?: unknown }).level)
          ? [(l as { level: number }).level]
          : [],
      )
    : [];
  return nums.length ? [...new Set(nums)].sort((a, b) => a - b) : DEFAULT_SCALE;
}

/**
 * Where a level sits on its scale, counted from 0. A level the scale does not hold (an answer
 * given before the framework declared its scale) counts as the highest scale level at or below it,
 * and a level below the scale as its lowest, so old answers still score.
 */
function position(scale: LevelScale, level: number): number {
  return Math.max(0, scale.filter((l) => l <= level).length - 1);
}

/** The score of one answer, 0-100: its position on the framework's scale (the top level is 100). */
export function levelScore(scale: LevelScale, level: number): number {
  return scale.length > 1 ? (position(scale, level) / (scale.length - 1)) * 100 : 100;
}

export interface ScoringRequirement {
  frameworkId: string;
  itemId: string;
  /** Ancestors, nearest first (category, function ...). */
  groups: string[];
  dimension: string | null;
  weight?: number;
}

export interface ScoringAnswer {
  level: number | null;
  notApplicable: boolean;
  evidenceCount: number;
  /** Answered through a mapping from another framework's requirement. */
  derivedFrom?: string;
}

export interface Mapping {
  sourceFramework: string;
  sourceItem: string;
  targetFramework: string;
  targetItem: string;
  relationship: 'equivalent' | 'subset' | 'superset' | 'intersects';
}

export interface Score {
  overall: number | null;
  answered: number;
  applicable: number;
  total: number;
  notApplicable: number;
  dimensions: Record<string, number | null>;
  groups: Record<string, number | null>;
  frameworks: Record<string, { score: number | null; cumulativeLevel: number | null; tier: number | null }>;
  confidence: { value: number; label: 'low' | 'medium' | 'high' };
  /** The scoring catalog version the bands and weights came from. */
  rulesVersion: string;
}

export const key = (frameworkId: string, itemId: string) => `${frameworkId}|${itemId}`;
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * An answer given once counts wherever a mapping says it covers another requirement: an
 * equivalent requirement, or a narrower one (the answered requirement is a superset of it).
 * A requirement answered directly keeps its own answer; with several covering answers the lowest
 * is used, so a mapping never raises a score beyond what was shown.
 */
export function resolveMappedAnswers(
  requirements: ScoringRequirement[],
  answers: Map<string, ScoringAnswer>,
  mappings: Mapping[],
): Map<string, ScoringAnswer> {
  const out = new Map(answers);
  for (const r of requirements) {
    const k = key(r.frameworkId, r.itemId);
    if (out.has(k)) continue;
    const covering: [string, ScoringAnswer][] = [];
    for (const m of mappings) {
      let from: string | null = null;
      if (
        m.targetFramework === r.frameworkId &&
        m.targetItem === r.itemId &&
        (m.relationship === 'equivalent' || m.relationship === 'superset')
      ) {
        from = key(m.sourceFramework, m.sourceItem);
      } else if (
        m.sourceFramework === r.frameworkId &&
        m.sourceItem === r.itemId &&
        (m.relationship === 'equivalent' || m.relationship === 'subset')
      ) {
        from = key(m.targetFramework, m.targetItem);
      }
      const a = from ? answers.get(from) : undefined;
      if (from && a && !a.notApplicable && a.level !== null) covering.push([from, a]);
    }
    if (covering.length) {
      const [from, a] = covering.sort((x, y) => x[1].level! - y[1].level!)[0]!;
      out.set(k, { level: a.level, notApplicable: false, evidenceCount: a.evidenceCount, derivedFrom: from });
    }
  }
  return out;
}

/** The level of a scale whose score is nearest `score` (the higher one on a tie). */
export function levelNearest(scale: LevelScale, score: number): number {
  let best = scale[0]!;
  for (const l of scale)
    if (Math.abs(levelScore(scale, l) - score) <= Math.abs(levelScore(scale, best) - score)) best = l;
  return best;
}

/** The implementation tier a 0-100 score suggests, by the scoring catalog's bands. */
export function tierOf(score: number | null, rules: ScoringRules): number | null {
  if (score === null) return null;
  const band = [...rules.tiers.bands].sort((a, b) => b.min - a.min).find((b) => score >= b.min);
  return band?.tier ?? null;
}

/** Confidence from the share of evidenced answers and the review, weighted by the scoring catalog. */
export function confidenceOf(
  evidenceShare: number,
  reviewed: boolean,
  rules: ScoringRules,
): Score['confidence'] {
  const c = rules.confidence;
  const value =
    Math.round((c.evidenceWeight * evidenceShare + c.reviewWeight * (reviewed ? 1 : 0)) * 100) / 100;
  const band = [...c.bands].sort((a, b) => b.min - a.min).find((b) => value >= b.min);
  return { value, label: band?.label ?? 'low' };
}

const codeOf = (frameworkId: string) => frameworkId.split('@')[0]!;

export function scoreAssessment(
  requirements: ScoringRequirement[],
  answers: Map<string, ScoringAnswer>,
  opts: { reviewed: boolean; rules: ScoringRules; scales?: ReadonlyMap<string, LevelScale> },
): Score {
  const acc = (m: Map<string, { sum: number; w: number }>, k: string, v: number, w: number) => {
    const cur = m.get(k) ?? { sum: 0, w: 0 };
    cur.sum += v * w;
    cur.w += w;
    m.set(k, cur);
  };
  const dims = new Map<string, { sum: number; w: number }>();
  const groups = new Map<string, { sum: number; w: number }>();
  const fws = new Map<string, { sum: number; w: number }>();
  const minLevel = new Map<string, number>();
  const incomplete = new Set<string>();
  let total = 0;
  let na = 0;
  let answered = 0;
  let withEvidence = 0;
  const overall = { sum: 0, w: 0 };
  for (const r of requirements) {
    total++;
    const a = answers.get(key(r.frameworkId, r.itemId));
    if (a?.notApplicable) {
      na++;
      continue;
    }
    if (!a || a.level === null) {
      incomplete.add(r.frameworkId);
      continue;
    }
    answered++;
    if (a.evidenceCount > 0) withEvidence++;
    const w = r.weight ?? 1;
    const scale = opts.scales?.get(r.frameworkId) ?? DEFAULT_SCALE;
    const s = levelScore(scale, a.level);
    const level = scale[position(scale, a.level)]!;
    overall.sum += s * w;
    overall.w += w;
    if (r.dimension) acc(dims, r.dimension, s, w);
    for (const g of r.groups) acc(groups, `${r.frameworkId}|${g}`, s, w);
    acc(fws, r.frameworkId, s, w);
    minLevel.set(r.frameworkId, Math.min(minLevel.get(r.frameworkId) ?? level, level));
  }
  const avg = (x?: { sum: number; w: number }) => (x && x.w > 0 ? round1(x.sum / x.w) : null);
  const frameworks: Score['frameworks'] = {};
  for (const fw of new Set(requirements.map((r) => r.frameworkId))) {
    const s = avg(fws.get(fw));
    // Cumulative level (as in C2M2): reached only when every applicable requirement is at or above it.
    frameworks[fw] = {
      score: s,
      cumulativeLevel: incomplete.has(fw) ? null : (minLevel.get(fw) ?? null),
      tier: opts.rules.tiers.frameworks.includes(codeOf(fw)) ? tierOf(s, opts.rules) : null,
    };
  }
  const evidenceShare = answered ? withEvidence / answered : 0;
  return {
    overall: avg(overall),
    answered,
    applicable: total - na,
    total,
    notApplicable: na,
    dimensions: Object.fromEntries([...dims].map(([k, v]) => [k, avg(v)])),
    groups: Object.fromEntries([...groups].map(([k, v]) => [k, avg(v)])),
    frameworks,
    confidence: confidenceOf(evidenceShare, opts.reviewed, opts.rules),
    rulesVersion: opts.rules.version,
  };
}

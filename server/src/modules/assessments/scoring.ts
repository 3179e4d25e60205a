/**
 * The assessment scoring engine (docs/scoring.md): pure functions over requirements and answers,
 * so the same numbers come out in the entity's page, the review, the national picture and tests.
 */
export const MAX_LEVEL = 5;

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

/** CSF implementation tier suggested by a 0-100 score (Qila's documented bands). */
export function csfTier(score: number | null): number | null {
  if (score === null) return null;
  return score >= 80 ? 4 : score >= 60 ? 3 : score >= 35 ? 2 : 1;
}

export function scoreAssessment(
  requirements: ScoringRequirement[],
  answers: Map<string, ScoringAnswer>,
  opts: { reviewed: boolean },
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
    const s = (Math.max(0, Math.min(MAX_LEVEL, a.level)) / MAX_LEVEL) * 100;
    overall.sum += s * w;
    overall.w += w;
    if (r.dimension) acc(dims, r.dimension, s, w);
    for (const g of r.groups) acc(groups, `${r.frameworkId}|${g}`, s, w);
    acc(fws, r.frameworkId, s, w);
    minLevel.set(r.frameworkId, Math.min(minLevel.get(r.frameworkId) ?? MAX_LEVEL, a.level));
  }
  const avg = (x?: { sum: number; w: number }) => (x && x.w > 0 ? round1(x.sum / x.w) : null);
  const frameworks: Score['frameworks'] = {};
  for (const fw of new Set(requirements.map((r) => r.frameworkId))) {
    const s = avg(fws.get(fw));
    // Cumulative level (as in C2M2): reached only when every applicable requirement is at or above it.
    frameworks[fw] = {
      score: s,
      cumulativeLevel: incomplete.has(fw) ? null : (minLevel.get(fw) ?? null),
      tier: fw.startsWith('nist-csf') ? csfTier(s) : null,
    };
  }
  const evidenceShare = answered ? withEvidence / answered : 0;
  const value = Math.round((0.7 * evidenceShare + 0.3 * (opts.reviewed ? 1 : 0)) * 100) / 100;
  return {
    overall: avg(overall),
    answered,
    applicable: total - na,
    total,
    notApplicable: na,
    dimensions: Object.fromEntries([...dims].map(([k, v]) => [k, avg(v)])),
    groups: Object.fromEntries([...groups].map(([k, v]) => [k, avg(v)])),
    frameworks,
    confidence: { value, label: value >= 0.7 ? 'high' : value >= 0.4 ? 'medium' : 'low' },
  };
}

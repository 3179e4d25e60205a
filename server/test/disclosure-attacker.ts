/**
 * What an outsider can work out from a published table: the tests play the attacker with these,
 * independently of the suppression code they check.
 */

export interface SeenCell {
  /** The published count, or null when hidden. */
  n: number | null;
  reason?: 'below_cohort' | 'complementary' | null;
}

export interface SeenRelation {
  terms: string[];
  total: string;
}

/**
 * What the attacker knows of each cell from its stated reason. Zeros are shown unless hidden to
 * protect a neighbour, and then with every zero of the relations concerned; so a below-cohort
 * cell beside a shown zero is known to hold at least one.
 */
function startBounds(
  k: string,
  cells: Record<string, SeenCell>,
  relations: SeenRelation[],
  minCohort: number,
): [number, number] {
  const c = cells[k]!;
  if (c.n !== null) return [c.n, c.n];
  if (c.reason === 'below_cohort') {
    const besideZero = relations.some(
      (r) => [...r.terms, r.total].includes(k) && [...r.terms, r.total].some((o) => cells[o]?.n === 0),
    );
    return [besideZero ? 1 : 0, minCohort - 1];
  }
  if (c.reason === 'complementary') return [minCohort, Infinity];
  return [0, Infinity];
}

/**
 * Interval propagation over every published identity at once, until nothing tightens: the
 * hidden cells whose value comes out exact are returned with that value.
 */
export function recoverCounts(
  cells: Record<string, SeenCell>,
  relations: SeenRelation[],
  minCohort: number,
): Map<string, number> {
  const b = new Map(Object.keys(cells).map((k) => [k, startBounds(k, cells, relations, minCohort)]));
  const get = (k: string) => b.get(k) ?? [0, 0];
  for (let round = 0, changed = true; changed && round < 200; round++) {
    changed = false;
    for (const r of relations) {
      const members = [...r.terms.map((k) => ({ k, s: 1 })), { k: r.total, s: -1 }];
      for (const m of members) {
        let lo = 0;
        let hi = 0;
        for (const o of members) {
          if (o === m) continue;
          const [olo, ohi] = get(o.k);
          lo += o.s > 0 ? olo : -ohi;
          hi += o.s > 0 ? ohi : -olo;
        }
        // m.s * x + rest = 0
        const [xlo, xhi] = m.s > 0 ? [-hi, -lo] : [lo, hi];
        const [clo, chi] = get(m.k);
        const nlo = Math.max(clo, xlo);
        const nhi = Math.min(chi, xhi);
        if (nlo > clo || nhi < chi) {
          b.set(m.k, [nlo, nhi]);
          changed = true;
        }
      }
    }
  }
  const out = new Map<string, number>();
  for (const [k, c] of Object.entries(cells)) {
    const [lo, hi] = get(k);
    if (c.n === null && lo === hi) out.set(k, lo);
  }
  return out;
}

/**
 * Brute force for small tables: every assignment of the hidden cells (0..max) that agrees with
 * everything published. A hidden cell that takes one value in all of them is disclosed.
 */
export function enumerateHidden(
  cells: Record<string, SeenCell>,
  relations: SeenRelation[],
  minCohort: number,
  max: number,
): Map<string, Set<number>> {
  const hidden = Object.keys(cells).filter((k) => cells[k]!.n === null);
  const values = new Map<string, number>();
  for (const [k, c] of Object.entries(cells)) if (c.n !== null) values.set(k, c.n);
  const seen = new Map(hidden.map((k) => [k, new Set<number>()]));
  // A relation is checked as soon as its last hidden member has a value.
  const closes = new Map<number, SeenRelation[]>();
  for (const r of relations) {
    const last = Math.max(-1, ...[...r.terms, r.total].map((k) => hidden.indexOf(k)));
    closes.set(last, [...(closes.get(last) ?? []), r]);
  }
  const holds = (r: SeenRelation) =>
    r.terms.reduce((s, k) => s + (values.get(k) ?? 0), 0) === (values.get(r.total) ?? 0);
  if (!(closes.get(-1) ?? []).every(holds)) return seen;
  const walk = (i: number) => {
    if (i === hidden.length) {
      for (const k of hidden) seen.get(k)!.add(values.get(k)!);
      return;
    }
    const k = hidden[i]!;
    const [lo, hi] = startBounds(k, cells, relations, minCohort);
    for (let v = lo; v <= Math.min(hi, max); v++) {
      values.set(k, v);
      if ((closes.get(i) ?? []).every(holds)) walk(i + 1);
    }
    values.delete(k);
  };
  walk(0);
  return seen;
}

/**
 * For a table of means with its margins: every relation whose total is shown gives the pooled
 * mean of its hidden cells by subtraction. Returns those pools that describe fewer than
 * minCohort entities or a single cell, which would be a disclosure.
 */
export function meanLeaks(
  cells: Record<string, { n: number | null; score: number | null; trueN: number }>,
  relations: SeenRelation[],
  minCohort: number,
): { relation: SeenRelation; hiddenCells: number; pooledN: number; mean: number }[] {
  const leaks = [];
  for (const r of relations) {
    const total = cells[r.total];
    if (!total || total.n === null || total.score === null) continue;
    const hidden = r.terms.filter((k) => cells[k]!.n === null);
    if (!hidden.length) continue;
    const vis = r.terms.filter((k) => cells[k]!.n !== null);
    const pooledN = total.n - vis.reduce((s, k) => s + cells[k]!.n!, 0);
    const pooledSum = total.n * total.score - vis.reduce((s, k) => s + cells[k]!.n! * cells[k]!.score!, 0);
    if (hidden.length === 1 || pooledN < minCohort)
      leaks.push({ relation: r, hiddenCells: hidden.length, pooledN, mean: pooledSum / pooledN });
  }
  return leaks;
}

/**
 * Cell suppression for published tables: primary suppression of small cells, then complementary
 * suppression until no hidden cell can be worked out from the totals published beside it.
 * The method is described in docs/scoring.md ("Disclosure control") and decision 0007.
 */

export type SuppressionReason = 'below_cohort' | 'complementary';

/** One cell of a table: `n` is how many entities (or incidents) it describes. */
export interface CountCell {
  key: string;
  n: number;
}

/**
 * A published identity: the `total` cell equals the sum of the `terms` cells. Each row or column
 * with its margin, and each list with its grand total, is one relation.
 */
export interface Relation {
  terms: string[];
  total: string;
}

export interface SuppressionOptions {
  minCohort: number;
}

/** What leaves the server for one cell: the count only when it is shown. */
export interface Disclosed {
  n: number | null;
  suppressed: boolean;
  reason: SuppressionReason | null;
}

interface Bounds {
  lo: number;
  hi: number;
}

/**
 * Decides which cells to hide. Primary: 0 < n < minCohort (no one is described by an empty cell,
 * so zeros stay visible unless they would give a hidden cell away, see hideZeros). Complementary, repeated until nothing changes, for every relation with
 * hidden members:
 * - one hidden member alone would be its total minus the rest: hide a second one;
 * - with the total shown, the hidden terms together must describe at least minCohort, or their
 *   pooled mean would describe fewer people than a shown cell may;
 * - an attacker who knows the bounds (a below-cohort cell holds less than minCohort, a
 *   complementary one at least minCohort) must not be able to pin any hidden member to one value.
 * The cell hidden to fix a relation is its smallest visible non-empty member (the total too),
 * so that as little as possible is lost; ties go to the key for a stable answer.
 */
export function suppress(
  cells: readonly CountCell[],
  relations: readonly Relation[],
  { minCohort }: SuppressionOptions,
): Map<string, SuppressionReason> {
  const n = new Map(cells.map((c) => [c.key, c.n]));
  const value = (k: string) => n.get(k) ?? 0;
  const hidden = new Map<string, SuppressionReason>();
  for (const c of cells) if (c.n > 0 && c.n < minCohort) hidden.set(c.key, 'below_cohort');

  const memberOf = new Map<string, Relation[]>();
  for (const r of relations)
    for (const k of [...r.terms, r.total]) memberOf.set(k, [...(memberOf.get(k) ?? []), r]);
  const showsZero = (r: Relation) => [...r.terms, r.total].some((k) => !hidden.has(k) && value(k) === 0);
  // A reader who sees a zero beside a hidden cell knows zeros were not hidden there, so the
  // hidden cell holds at least one; elsewhere it may hold none.
  const bounds = (k: string): Bounds =>
    hidden.get(k) === 'below_cohort'
      ? { lo: (memberOf.get(k) ?? []).some(showsZero) ? 1 : 0, hi: minCohort - 1 }
      : { lo: minCohort, hi: Infinity };
  /**
   * When only zeros are left to hide (four months of one incident each add up to a sector's
   * four), the relation's zeros are hidden too, and so on through every relation they are in,
   * so that no shown zero tells which of the hidden cells are empty.
   */
  const hideZeros = (start: Relation): boolean => {
    let any = false;
    for (const queue = [start]; queue.length;) {
      const r = queue.pop()!;
      for (const k of [...r.terms, r.total])
        if (!hidden.has(k) && value(k) === 0) {
          hidden.set(k, 'below_cohort');
          any = true;
          queue.push(...(memberOf.get(k) ?? []));
        }
    }
    return any;
  };

  const weak = (r: Relation): boolean => {
    const members = [...r.terms.map((k) => ({ k, sign: 1 })), { k: r.total, sign: -1 }];
    const h = members.filter((m) => hidden.has(m.k));
    if (h.length === 0) return false;
    if (h.length === 1) return true;
    if (!hidden.has(r.total)) {
      const pooled = h.reduce((s, m) => s + value(m.k), 0);
      if (pooled < minCohort) return true;
    }
    // sum(sign * x) = 0 over all members; the shown ones are a known constant.
    const known = members.filter((m) => !hidden.has(m.k)).reduce((s, m) => s + m.sign * value(m.k), 0);
    return h.some((m) => {
      let lo = 0;
      let hi = 0;
      for (const o of h) {
        if (o === m) continue;
        const b = bounds(o.k);
        lo += o.sign > 0 ? b.lo : -b.hi;
        hi += o.sign > 0 ? b.hi : -b.lo;
      }
      // sign_m * x_m = -known - rest, with rest in [lo, hi].
      const a = -known - hi;
      const b = -known - lo;
      const [xlo, xhi] = m.sign > 0 ? [a, b] : [-b, -a];
      const own = bounds(m.k);
      return Math.max(xlo, own.lo) >= Math.min(xhi, own.hi);
    });
  };

  const pick = (r: Relation): string | null => {
    const visible = [...r.terms, r.total].filter((k) => !hidden.has(k) && value(k) > 0);
    if (!visible.length) return null;
    visible.sort((a, b) => value(a) - value(b) || a.localeCompare(b));
    // A cell of exactly minCohort adds no doubt to an attacker's bounds; prefer a larger one.
    return visible.find((k) => value(k) > minCohort) ?? visible[0]!;
  };

  for (let changed = true; changed;) {
    changed = false;
    for (const r of relations) {
      while (weak(r)) {
        const k = pick(r);
        if (k) hidden.set(k, 'complementary');
        else if (!hideZeros(r)) break;
        changed = true;
      }
    }
  }
  return hidden;
}

/** The published form of one cell given the suppression decided for its table. */
export function disclose(n: number, reason: SuppressionReason | undefined): Disclosed {
  return reason ? { n: null, suppressed: true, reason } : { n, suppressed: false, reason: null };
}

/**
 * A one-dimensional list of counts with (by default) its total shown: the form the registry and
 * other national counts take. Returns each cell as published and the total as published.
 */
export function suppressCounts<T extends CountCell>(
  cells: readonly T[],
  opts: SuppressionOptions & { withTotal?: boolean },
): { cells: (T & Disclosed)[]; total: Disclosed | null } {
  const TOTAL = '\u0000total';
  const sum = cells.reduce((s, c) => s + c.n, 0);
  const withTotal = opts.withTotal ?? true;
  const hidden = suppress(
    [...cells, { key: TOTAL, n: sum }],
    withTotal ? [{ terms: cells.map((c) => c.key), total: TOTAL }] : [],
    opts,
  );
  return {
    cells: cells.map((c) => ({ ...c, ...disclose(c.n, hidden.get(c.key)) })),
    total: withTotal ? disclose(sum, hidden.get(TOTAL)) : null,
  };
}

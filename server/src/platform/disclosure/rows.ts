/**
 * Suppression of whole rows for a table whose row totals and column totals are known to the
 * reader anyway (the compliance map: each unit's entity count is in the registry, and each
 * status's national count follows from the other margin). Hiding single cells cannot work there:
 * a row of 5 shown as 5 + hidden + hidden gives the hidden ones away. So a row's whole breakdown
 * is hidden, and enough other rows with it that no hidden cell can be worked out.
 */

import type { SuppressionOptions } from './suppress.ts';

/** Why a row was hidden; kept inside the server, since telling it would narrow the cells down. */
export type RowReason = 'below_cohort' | 'one_status' | 'complementary';

export interface CountRow {
  key: string;
  /** The row's count in each column; the row's total is their sum. */
  cells: Record<string, number>;
}

const total = (r: CountRow) => Object.values(r.cells).reduce((s, n) => s + n, 0);

/**
 * Which hidden cell values a reader can pin, knowing every row total and every column total:
 * the hidden rows form a small table with known margins, whose cells lie exactly between the
 * Fréchet bounds max(0, R + P - N) and min(R, P) (R the row total, P the hidden rows' pooled
 * column count, N their pooled total). Those bounds meet only when one row is hidden, or when a
 * column holds none (P = 0) or all (P = N) of the hidden rows' entities.
 */
export function pinnedColumns(hidden: readonly CountRow[], columns: readonly string[]): string[] {
  if (hidden.length === 0) return [];
  if (hidden.length === 1) return [...columns];
  const n = hidden.reduce((s, r) => s + total(r), 0);
  return columns.filter((c) => {
    const pooled = hidden.reduce((s, r) => s + (r.cells[c] ?? 0), 0);
    return pooled === 0 || pooled === n;
  });
}

/**
 * Primary: a row with a cell in 1..minCohort-1, or whose entities all share one column (its
 * total then tells each one's value). Complementary, until no hidden cell is pinned: the smallest
 * shown row that breaks a pin (ties go to the key). `settled` is false when even hiding every row
 * leaves a cell pinned; the column totals must then not be known, and the caller hides more.
 */
export function suppressRows(
  rows: readonly CountRow[],
  columns: readonly string[],
  { minCohort }: SuppressionOptions,
): { hidden: Map<string, RowReason>; settled: boolean } {
  const hidden = new Map<string, RowReason>();
  const live = rows.filter((r) => total(r) > 0);
  for (const r of live) {
    const values = columns.map((c) => r.cells[c] ?? 0);
    if (values.some((v) => v > 0 && v < minCohort)) hidden.set(r.key, 'below_cohort');
    else if (values.filter((v) => v > 0).length === 1) hidden.set(r.key, 'one_status');
  }
  for (;;) {
    const block = live.filter((r) => hidden.has(r.key));
    const pins = pinnedColumns(block, columns);
    if (!pins.length) return { hidden, settled: true };
    const pooled = (c: string) => block.reduce((s, r) => s + (r.cells[c] ?? 0), 0);
    // A zero column needs a row with some there; a full one, a row with some elsewhere.
    const helps = (r: CountRow) =>
      block.length === 1 ||
      pins.some((c) => (pooled(c) === 0 ? (r.cells[c] ?? 0) > 0 : (r.cells[c] ?? 0) < total(r)));
    const next = live
      .filter((r) => !hidden.has(r.key) && helps(r))
      .sort((a, b) => total(a) - total(b) || a.key.localeCompare(b.key))[0];
    if (!next) return { hidden, settled: false };
    hidden.set(next.key, 'complementary');
  }
}

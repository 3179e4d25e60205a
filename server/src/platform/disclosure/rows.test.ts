import { describe, expect, it } from 'vitest';
import {
  enumerateHidden,
  recoverCounts,
  type SeenCell,
  type SeenRelation,
} from '../../../test/disclosure-attacker.ts';
import { pinnedColumns, suppressRows, type CountRow } from './rows.ts';

const opts = { minCohort: 5 };
const COLS = ['compliant', 'at_risk', 'non_compliant'];

const table = (values: Record<string, [number, number, number]>): CountRow[] =>
  Object.entries(values).map(([key, v]) => ({
    key,
    cells: Object.fromEntries(COLS.map((c, i) => [c, v[i]!])),
  }));

/** The attacker knows every row total and every column total, and sees the shown rows. */
function attack(rows: CountRow[], hidden: Map<string, unknown>) {
  const seen: Record<string, SeenCell> = {};
  const relations: SeenRelation[] = [];
  for (const r of rows) {
    const terms = COLS.map((c) => `${r.key}|${c}`);
    terms.forEach((k, i) => (seen[k] = { n: hidden.has(r.key) ? null : r.cells[COLS[i]!]!, reason: null }));
    seen[`row:${r.key}`] = { n: Object.values(r.cells).reduce((s, n) => s + n, 0) };
    relations.push({ terms, total: `row:${r.key}` });
  }
  for (const c of COLS) {
    seen[`col:${c}`] = { n: rows.reduce((s, r) => s + r.cells[c]!, 0) };
    relations.push({ terms: rows.map((r) => `${r.key}|${c}`), total: `col:${c}` });
  }
  return { seen, relations };
}

function expectSafe(rows: CountRow[]) {
  const { hidden, settled } = suppressRows(rows, COLS, opts);
  expect(settled).toBe(true);
  const { seen, relations } = attack(rows, hidden);
  expect(recoverCounts(seen, relations, 5)).toEqual(new Map());
  for (const [k, values] of enumerateHidden(seen, relations, 5, 40))
    expect(values.size, `hidden cell ${k} has one possible value`).toBeGreaterThan(1);
  return hidden;
}

describe('whole-row suppression with known margins', () => {
  it('never shows a row of 5 as 5 + 0 + 0: it is hidden, with a partner', () => {
    const rows = table({ ict: [5, 0, 0], pb: [30, 12, 8], sd: [20, 9, 6], kp: [11, 7, 5] });
    const hidden = expectSafe(rows);
    expect(hidden.get('ict')).toBe('one_status');
    expect(hidden.get('kp')).toBe('complementary');
    expect(hidden.has('pb')).toBe(false);
  });

  it('hides a row with one non-compliant entity and covers it', () => {
    const rows = table({ gb: [9, 6, 1], pb: [30, 12, 8], sd: [20, 9, 6] });
    const hidden = expectSafe(rows);
    expect(hidden.get('gb')).toBe('below_cohort');
    expect(hidden.size).toBe(2);
  });

  it('keeps adding partners while a status column stays empty among the hidden rows', () => {
    // ict and ba together have no one non-compliant, which would be told by the column total.
    const rows = table({ ict: [5, 0, 0], ba: [6, 2, 0], gb: [20, 10, 0], pb: [40, 12, 9] });
    const hidden = expectSafe(rows);
    expect([...hidden.keys()].sort()).toEqual(['ba', 'ict', 'pb']);
  });

  it('says when nothing within the table can help, so the caller hides the margins too', () => {
    const { settled } = suppressRows(table({ a: [5, 0, 0], b: [7, 0, 0] }), COLS, opts);
    expect(settled).toBe(false);
  });

  it('leaves a table with no small cell and mixed rows alone', () => {
    expect(suppressRows(table({ a: [10, 5, 6], b: [7, 0, 8] }), COLS, opts).hidden.size).toBe(0);
  });

  it('pins exactly what the Fréchet bounds pin', () => {
    expect(pinnedColumns(table({ a: [3, 2, 0] }), COLS)).toEqual(COLS);
    expect(pinnedColumns(table({ a: [3, 2, 0], b: [4, 1, 0] }), COLS)).toEqual(['non_compliant']);
    expect(pinnedColumns(table({ a: [3, 2, 1], b: [4, 1, 6] }), COLS)).toEqual([]);
  });
});

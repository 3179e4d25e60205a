import { describe, expect, it } from 'vitest';
import {
  enumerateHidden,
  meanLeaks,
  recoverCounts,
  type SeenCell,
  type SeenRelation,
} from '../../../test/disclosure-attacker.ts';
import type { JurisdictionProfile } from '../jurisdiction/catalog.ts';
import { peerPosition } from './percentiles.ts';
import { disclosureRulesOn } from './policy.ts';
import { suppress, suppressCounts, type CountCell, type Relation } from './suppress.ts';

const m = 5;
const opts = { minCohort: m };

/** The table as an outsider sees it once the suppression is applied. */
function publish(cells: CountCell[], relations: Relation[]) {
  const hidden = suppress(cells, relations, opts);
  const seen: Record<string, SeenCell> = {};
  for (const c of cells) seen[c.key] = { n: hidden.has(c.key) ? null : c.n, reason: hidden.get(c.key) };
  return { hidden, seen };
}

/** Every hidden cell can take at least two values that agree with what was published. */
function expectNothingRecovered(seen: Record<string, SeenCell>, relations: SeenRelation[], max: number) {
  expect(recoverCounts(seen, relations, m)).toEqual(new Map());
  for (const [k, values] of enumerateHidden(seen, relations, m, max))
    expect(values.size, `hidden cell ${k} has one possible value`).toBeGreaterThan(1);
}

const list = (values: Record<string, number>) => {
  const cells = Object.entries(values).map(([key, n]) => ({ key, n }));
  cells.push({ key: 'total', n: cells.reduce((s, c) => s + c.n, 0) });
  return { cells, relations: [{ terms: Object.keys(values), total: 'total' }] };
};

describe('cell suppression', () => {
  it('hides a second cell when a list with its total has one small cell', () => {
    const { cells, relations } = list({ a: 3, b: 12, c: 7, d: 20 });
    // Without a second cell the attacker reads the small one off the total.
    const naive: Record<string, SeenCell> = Object.fromEntries(cells.map((c) => [c.key, { n: c.n }]));
    naive.a = { n: null, reason: 'below_cohort' };
    expect(recoverCounts(naive, relations, m).get('a')).toBe(3);

    const { hidden, seen } = publish(cells, relations);
    expect(hidden.get('a')).toBe('below_cohort');
    expect(hidden.get('c')).toBe('complementary'); // the smallest above the cohort
    expect(hidden.size).toBe(2);
    expectNothingRecovered(seen, relations, 42);
  });

  it('protects a small cell of a table against its row margin, its column margin and the grand total', () => {
    // 3 x 3 with row totals R*, column totals C* and the grand total G.
    const v = [
      [2, 9, 8],
      [7, 6, 11],
      [9, 12, 6],
    ];
    const cells: CountCell[] = [];
    v.forEach((row, i) => row.forEach((n, j) => cells.push({ key: `x${i}${j}`, n })));
    v.forEach((row, i) => cells.push({ key: `R${i}`, n: row.reduce((a, b) => a + b, 0) }));
    [0, 1, 2].forEach((j) => cells.push({ key: `C${j}`, n: v.reduce((a, r) => a + r[j]!, 0) }));
    cells.push({ key: 'G', n: v.flat().reduce((a, b) => a + b, 0) });
    const relations: Relation[] = [
      ...[0, 1, 2].map((i) => ({ terms: [0, 1, 2].map((j) => `x${i}${j}`), total: `R${i}` })),
      ...[0, 1, 2].map((j) => ({ terms: [0, 1, 2].map((i) => `x${i}${j}`), total: `C${j}` })),
      { terms: ['R0', 'R1', 'R2'], total: 'G' },
      { terms: ['C0', 'C1', 'C2'], total: 'G' },
    ];
    const { hidden, seen } = publish(cells, relations);
    expect(hidden.get('x00')).toBe('below_cohort');
    // Its row and its column each lose a second cell, and so does the row or column those sit in.
    for (const line of relations) {
      const h = [...line.terms, line.total].filter((k) => hidden.has(k));
      expect(h.length === 0 || h.length >= 2, `${line.total} has one hidden member`).toBe(true);
    }
    expectNothingRecovered(seen, relations, 70);
  });

  it('does not let two small cells pin each other when their sum is known', () => {
    // 4 + 4 = 8 with both below 5: each can only be 4. A third cell is needed.
    const { cells, relations } = list({ a: 4, b: 4, c: 20, d: 30 });
    const { hidden, seen } = publish(cells, relations);
    expect([...hidden.keys()].sort()).toEqual(['a', 'b', 'c']);
    expectNothingRecovered(seen, relations, 60);
  });

  it('does not pick a complement of exactly the cohort size beside a cell of one', () => {
    // Hiding 1 with a 5 (sum 6) would pin both: the 5 cannot be smaller, so the 1 cannot be larger.
    const { cells, relations } = list({ a: 1, b: 5, c: 9, d: 40 });
    const { hidden, seen } = publish(cells, relations);
    expect(hidden.get('c')).toBe('complementary');
    expect(hidden.has('b')).toBe(false);
    expectNothingRecovered(seen, relations, 60);
  });

  it('hides the total when no other cell can protect the small one', () => {
    const { cells, relations } = list({ a: 3, b: 0 });
    const { hidden } = publish(cells, relations);
    expect(hidden.get('a')).toBe('below_cohort');
    expect(hidden.get('total')).toBe('below_cohort');
    expect(hidden.has('b')).toBe(false); // nobody is described by an empty cell
  });

  it('hides the zeros of a row whose small cells would otherwise add up to its small margin', () => {
    // Four months of one incident in a sector of four: each hidden month can only be 1, unless
    // the reader cannot tell the empty months from them.
    const months = { m1: 1, m2: 0, m3: 1, m4: 0, m5: 1, m6: 1 };
    const cells: CountCell[] = Object.entries(months).map(([key, n]) => ({ key, n }));
    cells.push({ key: 'it', n: 4 }, { key: 'energy', n: 30 }, { key: 'all', n: 34 });
    const relations: Relation[] = [
      { terms: Object.keys(months), total: 'it' },
      { terms: ['it', 'energy'], total: 'all' },
    ];
    const naive: Record<string, SeenCell> = Object.fromEntries(
      cells.map((c) => [c.key, c.n > 0 && c.n < m ? { n: null, reason: 'below_cohort' } : { n: c.n }]),
    );
    naive.energy = { n: null, reason: 'complementary' };
    expect(recoverCounts(naive, relations, m).get('m1')).toBe(1);
    const { hidden, seen } = publish(cells, relations);
    expect(hidden.get('m2')).toBe('below_cohort');
    expect(hidden.get('m4')).toBe('below_cohort');
    expectNothingRecovered(seen, relations, 40);
  });

  it('leaves a table without small cells alone, zeros included', () => {
    const { cells, relations } = list({ a: 0, b: 12, c: 7 });
    expect(publish(cells, relations).hidden.size).toBe(0);
  });

  it('publishes a list with suppressCounts: no n on a hidden cell, each with its reason', () => {
    const out = suppressCounts(
      [
        { key: 'PK-PB', n: 40 },
        { key: 'PK-GB', n: 2 },
        { key: 'PK-IS', n: 8 },
      ],
      { minCohort: m },
    );
    expect(out.cells.map((c) => [c.key, c.n, c.reason])).toEqual([
      ['PK-PB', 40, null],
      ['PK-GB', null, 'below_cohort'],
      ['PK-IS', null, 'complementary'],
    ]);
    expect(out.total).toEqual({ n: 50, suppressed: false, reason: null });
    expect(suppressCounts([{ key: 'a', n: 2 }], { minCohort: m, withTotal: false }).total).toBeNull();
  });
});

describe('means of hidden groups', () => {
  // The telecom regulator's row: units of one sector, each with n and a mean, and the sector mean.
  const units = {
    'PK-PB': { n: 20, score: 70 },
    'PK-SD': { n: 9, score: 60 },
    'PK-KP': { n: 3, score: 80 },
    'PK-BA': { n: 2, score: 55 },
    'PK-IS': { n: 1, score: 90 },
    'PK-GB': { n: 1, score: 40 },
  };

  const publishMeans = (rows: Record<string, { n: number; score: number }>) => {
    const keys = Object.keys(rows);
    const n = keys.reduce((s, k) => s + rows[k]!.n, 0);
    const sum = keys.reduce((s, k) => s + rows[k]!.n * rows[k]!.score, 0);
    const relations = [{ terms: keys, total: 'sector' }];
    const hidden = suppress(
      [...keys.map((k) => ({ key: k, n: rows[k]!.n })), { key: 'sector', n }],
      relations,
      opts,
    );
    const seen: Record<string, { n: number | null; score: number | null; trueN: number }> = {};
    for (const k of keys)
      seen[k] = hidden.has(k)
        ? { n: null, score: null, trueN: rows[k]!.n }
        : { n: rows[k]!.n, score: rows[k]!.score, trueN: rows[k]!.n };
    seen.sector = hidden.has('sector') ? { n: null, score: null, trueN: n } : { n, score: sum / n, trueN: n };
    return { hidden, seen, relations };
  };

  it('never leaves one hidden group beside a shown overall mean', () => {
    // One small unit: the sector mean minus the others would give its mean exactly.
    const { hidden, seen, relations } = publishMeans({
      'PK-PB': { n: 20, score: 70 },
      'PK-SD': { n: 9, score: 60 },
      'PK-KP': { n: 3, score: 80 },
    });
    expect(hidden.get('PK-KP')).toBe('below_cohort');
    expect(hidden.get('PK-SD')).toBe('complementary');
    expect(meanLeaks(seen, relations, m)).toEqual([]);
  });

  it('pools hidden groups only when together they make a full cohort', () => {
    const { hidden, seen, relations } = publishMeans(units);
    expect([...hidden].filter(([, r]) => r === 'below_cohort').length).toBe(4);
    // The four small units (7 entities) may be told apart from nothing; their pool is a cohort.
    expect(meanLeaks(seen, relations, m)).toEqual([]);
    const small = publishMeans({ ...units, 'PK-KP': { n: 1, score: 80 }, 'PK-BA': { n: 1, score: 55 } });
    // Four units of one entity each pool to 4 < 5: a fifth cell (the smallest shown) joins them.
    expect(small.hidden.get('PK-SD')).toBe('complementary');
    expect(meanLeaks(small.seen, small.relations, m)).toEqual([]);
  });
});

describe('peer quartiles', () => {
  const five = [41, 55, 62, 70, 88];

  it('shows no median or quartile for five peers, whose order statistics are their scores', () => {
    const r = peerPosition(five, 60, { minCohort: 5, minPercentileCohort: 15 });
    expect(r.percentile).toBe(40);
    expect(r.peerMedian).toBeNull();
    expect(r.peerQuartiles).toBeNull();
  });

  it('interpolates and rounds the quartiles of a large enough peer group', () => {
    const peers = [...five, 43, 47, 58, 61, 64, 66, 72, 75, 81, 93];
    const r = peerPosition(peers, 60, { minCohort: 5, minPercentileCohort: 15 });
    // Sorted: 41 43 47 55 58 61 62 64 66 70 72 75 81 88 93; Q1 at 3.5, Q2 at 7, Q3 at 10.5.
    expect(r.peerQuartiles).toEqual([57, 64, 74]);
    expect(r.peerMedian).toBe(64);
  });

  it('says nothing at all below the cohort', () => {
    expect(peerPosition([50, 60, 70], 60, { minCohort: 5, minPercentileCohort: 15 })).toEqual({
      percentile: null,
      peerMedian: null,
      peerQuartiles: null,
    });
  });
});

describe('the rules by date', () => {
  it('applies the rule set in force on the day, and the first one before any', () => {
    const profile = {
      disclosureControl: [
        { effectiveFrom: '2027-01-01', minCohort: 10, minPercentileCohort: 30 },
        { effectiveFrom: '2026-01-01', minCohort: 5, minPercentileCohort: 15 },
      ],
    } as unknown as JurisdictionProfile;
    expect(disclosureRulesOn(profile, '2026-06-30').minCohort).toBe(5);
    expect(disclosureRulesOn(profile, '2027-01-01').minCohort).toBe(10);
    expect(disclosureRulesOn(profile, '2025-01-01').minCohort).toBe(5);
  });
});

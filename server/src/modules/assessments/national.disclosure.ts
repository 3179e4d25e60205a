import {
  suppress,
  type DisclosurePolicy,
  type Relation,
  type SuppressionReason,
} from '../../platform/disclosure/index.ts';

export interface Sum {
  n: number;
  sum: number;
}

export interface PictureCells {
  /** `${sector}|${dimension}`, the 'overall' dimension included. */
  sectorDim: Map<string, Sum>;
  /** `${adminUnit}|${sector}` of the overall score. */
  unitSector: Map<string, Sum>;
  total: Sum;
}

export interface PublishedMean {
  n: number | null;
  score: number | null;
  suppressed: boolean;
  reason: SuppressionReason | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Adds the rows of assessment_cells into the heatmaps' cells. */
export function pictureCells(
  rows: readonly { sector: string; admin_unit: string; dimension: string; n: number; score_sum: number }[],
): PictureCells {
  const add = (m: Map<string, Sum>, k: string, n: number, sum: number) => {
    const cur = m.get(k) ?? { n: 0, sum: 0 };
    cur.n += n;
    cur.sum += sum;
    m.set(k, cur);
  };
  const sectorDim = new Map<string, Sum>();
  const unitSector = new Map<string, Sum>();
  const total = { n: 0, sum: 0 };
  for (const c of rows) {
    add(sectorDim, `${c.sector}|${c.dimension}`, Number(c.n), Number(c.score_sum));
    if (c.dimension === 'overall') {
      add(unitSector, `${c.admin_unit}|${c.sector}`, Number(c.n), Number(c.score_sum));
      total.n += Number(c.n);
      total.sum += Number(c.score_sum);
    }
  }
  return { sectorDim, unitSector, total };
}

/**
 * Which cells of the picture may be shown. The published identities are: each sector's overall
 * score is the pooled mean of its units (a row and its margin), and the national figure is the
 * pooled mean of the sectors and of all unit x sector cells. A sector's dimensions share its
 * entities (the same n), so they are hidden whenever its overall cell is.
 */
export function protectPicture(cells: PictureCells, policy: DisclosurePolicy) {
  const hidden = new Map<string, SuppressionReason>();
  if (!policy.exempt) {
    const sectors = [...new Set([...cells.sectorDim.keys()].map((k) => k.split('|')[0]!))];
    const us = [...cells.unitSector.keys()];
    const relations: Relation[] = [
      ...sectors.map((s) => ({
        terms: us.filter((k) => k.endsWith(`|${s}`)).map((k) => `us:${k}`),
        total: `sd:${s}|overall`,
      })),
      { terms: sectors.map((s) => `sd:${s}|overall`), total: 'total' },
      { terms: us.map((k) => `us:${k}`), total: 'total' },
    ];
    const counted = [
      ...[...cells.sectorDim].map(([k, v]) => ({ key: `sd:${k}`, n: v.n })),
      ...[...cells.unitSector].map(([k, v]) => ({ key: `us:${k}`, n: v.n })),
      { key: 'total', n: cells.total.n },
    ];
    for (const [k, r] of suppress(counted, relations, policy)) hidden.set(k, r);
    for (const k of cells.sectorDim.keys()) {
      const overall = hidden.get(`sd:${k.split('|')[0]}|overall`);
      if (overall && !hidden.has(`sd:${k}`)) hidden.set(`sd:${k}`, overall);
    }
  }
  const publish = (key: string, v: Sum): PublishedMean => {
    const reason = hidden.get(key);
    if (reason) return { n: null, score: null, suppressed: true, reason };
    return { n: v.n, score: v.n ? round1(v.sum / v.n) : null, suppressed: false, reason: null };
  };
  return {
    sectorDim: (k: string) => publish(`sd:${k}`, cells.sectorDim.get(k)!),
    unitSector: (k: string) => publish(`us:${k}`, cells.unitSector.get(k)!),
    total: () => publish('total', cells.total),
    /** The sector's overall score as the trend shows it (absent when the sector had no results). */
    sectorOverall: (sector: string) => {
      const v = cells.sectorDim.get(`${sector}|overall`);
      return v ? publish(`sd:${sector}|overall`, v) : null;
    },
  };
}

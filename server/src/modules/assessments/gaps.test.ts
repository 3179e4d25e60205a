import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTargetProfiles, rankGaps, targetLevel } from './gaps.ts';

const profile = loadTargetProfiles(path.resolve(import.meta.dirname, '../../../../catalogs'), 'pk').at(-1)!;

describe('gap analysis', () => {
  it('reads targets by sector and tier, adjusted by dimension', () => {
    expect(targetLevel(profile, 'finance', 2, 'technical')).toBe(4); // sector raise
    expect(targetLevel(profile, 'health', 2, 'technical')).toBe(3); // tier default
    expect(targetLevel(profile, 'health', 2, 'human')).toBe(2); // human dimension one lower
    expect(targetLevel(profile, 'media', null, 'legal')).toBe(2); // not CII: the default
  });

  it('ranks by shortfall, dimension and what else a fix closes', () => {
    const ranked = rankGaps([
      {
        frameworkId: 'f',
        itemId: 'A',
        statement: null,
        dimension: 'human',
        level: 1,
        target: 3,
        gap: 2,
        alsoCloses: [],
      },
      {
        frameworkId: 'f',
        itemId: 'B',
        statement: null,
        dimension: 'technical',
        level: 2,
        target: 4,
        gap: 2,
        alsoCloses: [{ frameworkId: 'iso', itemId: '8.5', relationship: 'equivalent' }],
      },
      {
        frameworkId: 'f',
        itemId: 'C',
        statement: null,
        dimension: 'technical',
        level: 3,
        target: 4,
        gap: 1,
        alsoCloses: [],
      },
    ]);
    // B: 2 x 1.2 x 1.25 = 3; A: 2 x 1 x 1 = 2; C: 1 x 1.2 = 1.2
    expect(ranked.map((g) => [g.itemId, g.priority])).toEqual([
      ['B', 3],
      ['A', 2],
      ['C', 1.2],
    ]);
  });
});

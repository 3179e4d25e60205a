import { describe, expect, it } from 'vitest';
import {
  key,
  resolveMappedAnswers,
  scoreAssessment,
  type ScoringAnswer,
  type ScoringRequirement,
} from './scoring.ts';

const req = (
  itemId: string,
  dimension: string,
  groups: string[],
  weight?: number,
  frameworkId = 'fw',
): ScoringRequirement => ({ frameworkId, itemId, groups, dimension, weight });
const ans = (level: number | null, evidenceCount = 0, notApplicable = false): ScoringAnswer => ({
  level,
  notApplicable,
  evidenceCount,
});

describe('assessment scoring (hand-computed)', () => {
  const reqs = [
    req('A-1', 'technical', ['A', 'ROOT']),
    req('A-2', 'technical', ['A', 'ROOT'], 3),
    req('B-1', 'human', ['B', 'ROOT']),
    req('B-2', 'human', ['B', 'ROOT']),
  ];

  it('weights scores and leaves not-applicable requirements out', () => {
    // A-1 level 5 -> 100 (w1), A-2 level 2 -> 40 (w3), B-1 level 3 -> 60 (w1), B-2 not applicable.
    // overall = (100*1 + 40*3 + 60*1) / 5 = 56; technical = (100 + 120) / 4 = 55; human = 60.
    const s = scoreAssessment(
      reqs,
      new Map([
        [key('fw', 'A-1'), ans(5, 1)],
        [key('fw', 'A-2'), ans(2)],
        [key('fw', 'B-1'), ans(3, 2)],
        [key('fw', 'B-2'), ans(null, 0, true)],
      ]),
      { reviewed: false },
    );
    expect(s).toMatchObject({ overall: 56, answered: 3, applicable: 3, total: 4, notApplicable: 1 });
    expect(s.dimensions).toEqual({ technical: 55, human: 60 });
    expect(s.groups).toEqual({ 'fw|A': 55, 'fw|ROOT': 56, 'fw|B': 60 });
  });

  it('reaches a cumulative level only when every applicable requirement is at or above it', () => {
    const all = new Map([
      [key('fw', 'A-1'), ans(4)],
      [key('fw', 'A-2'), ans(3)],
      [key('fw', 'B-1'), ans(5)],
      [key('fw', 'B-2'), ans(null, 0, true)],
    ]);
    expect(scoreAssessment(reqs, all, { reviewed: true }).frameworks.fw!.cumulativeLevel).toBe(3);
    all.delete(key('fw', 'B-1'));
    expect(scoreAssessment(reqs, all, { reviewed: true }).frameworks.fw!.cumulativeLevel).toBeNull();
  });

  it('rates confidence from evidence and review: 2 of 3 answers evidenced, reviewed -> 0.7*0.667 + 0.3 = 0.77 (high)', () => {
    const s = scoreAssessment(
      reqs,
      new Map([
        [key('fw', 'A-1'), ans(5, 1)],
        [key('fw', 'A-2'), ans(2, 1)],
        [key('fw', 'B-1'), ans(3)],
        [key('fw', 'B-2'), ans(null, 0, true)],
      ]),
      { reviewed: true },
    );
    expect(s.confidence).toEqual({ value: 0.77, label: 'high' });
    expect(
      scoreAssessment(reqs, new Map([[key('fw', 'A-1'), ans(5)]]), { reviewed: false }).confidence,
    ).toEqual({ value: 0, label: 'low' });
  });

  it('suggests a CSF tier from the score bands', () => {
    const csf = [req('GV.OC-01', 'institutional', ['GV.OC', 'GV'], 1, 'nist-csf-2.0@2.0')];
    const t = (level: number) =>
      scoreAssessment(csf, new Map([[key('nist-csf-2.0@2.0', 'GV.OC-01'), ans(level)]]), { reviewed: false })
        .frameworks['nist-csf-2.0@2.0']!.tier;
    expect([t(0), t(1), t(2), t(3), t(4), t(5)]).toEqual([1, 1, 2, 3, 4, 4]); // 0, 20, 40, 60, 80, 100
  });

  it('counts an answer toward mapped requirements: equivalent and narrower ones, the lowest when several cover', () => {
    const requirements = [
      req('PR.AA-01', 'technical', [], 1, 'csf'),
      req('PR.AA-02', 'technical', [], 1, 'csf'),
      req('5.16', 'technical', [], 1, 'iso'),
      req('8.5', 'technical', [], 1, 'iso'),
      req('5.1', 'institutional', [], 1, 'iso'),
    ];
    const direct = new Map([
      [key('csf', 'PR.AA-01'), ans(4, 1)],
      [key('csf', 'PR.AA-02'), ans(2)],
    ]);
    const resolved = resolveMappedAnswers(requirements, direct, [
      {
        sourceFramework: 'csf',
        sourceItem: 'PR.AA-01',
        targetFramework: 'iso',
        targetItem: '5.16',
        relationship: 'equivalent',
      },
      {
        sourceFramework: 'csf',
        sourceItem: 'PR.AA-02',
        targetFramework: 'iso',
        targetItem: '5.16',
        relationship: 'superset',
      },
      {
        sourceFramework: 'csf',
        sourceItem: 'PR.AA-01',
        targetFramework: 'iso',
        targetItem: '8.5',
        relationship: 'superset',
      },
      {
        sourceFramework: 'csf',
        sourceItem: 'PR.AA-01',
        targetFramework: 'iso',
        targetItem: '5.1',
        relationship: 'intersects',
      },
    ]);
    expect(resolved.get(key('iso', '5.16'))).toMatchObject({ level: 2, derivedFrom: key('csf', 'PR.AA-02') });
    expect(resolved.get(key('iso', '8.5'))).toMatchObject({ level: 4, derivedFrom: key('csf', 'PR.AA-01') });
    expect(resolved.has(key('iso', '5.1'))).toBe(false); // an intersection does not answer for another requirement
    expect(scoreAssessment(requirements, resolved, { reviewed: false }).frameworks.iso!.score).toBe(60); // (40 + 80) / 2
  });
});

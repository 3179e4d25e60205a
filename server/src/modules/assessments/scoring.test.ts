import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScoringRules, rulesOn, type ScoringRules } from './scoring-rules.ts';
import {
  key,
  levelScore,
  resolveMappedAnswers,
  scaleOf,
  scoreAssessment,
  type ScoringAnswer,
  type ScoringRequirement,
} from './scoring.ts';

// The bands and weights as the Pakistan catalog sets them (catalogs/scoring/pk-2026.1.json).
const rules = rulesOn(
  loadScoringRules(path.resolve(import.meta.dirname, '../../../../catalogs'), 'pk'),
  '2026-06-01',
)!;

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
      { reviewed: false, rules },
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
    expect(scoreAssessment(reqs, all, { reviewed: true, rules }).frameworks.fw!.cumulativeLevel).toBe(3);
    all.delete(key('fw', 'B-1'));
    expect(scoreAssessment(reqs, all, { reviewed: true, rules }).frameworks.fw!.cumulativeLevel).toBeNull();
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
      { reviewed: true, rules },
    );
    expect(s.confidence).toEqual({ value: 0.77, label: 'high' });
    expect(
      scoreAssessment(reqs, new Map([[key('fw', 'A-1'), ans(5)]]), { reviewed: false, rules }).confidence,
    ).toEqual({ value: 0, label: 'low' });
  });

  it('suggests a CSF tier from the score bands', () => {
    const csf = [req('GV.OC-01', 'institutional', ['GV.OC', 'GV'], 1, 'nist-csf-2.0@2.0')];
    const t = (level: number) =>
      scoreAssessment(csf, new Map([[key('nist-csf-2.0@2.0', 'GV.OC-01'), ans(level)]]), {
        reviewed: false,
        rules,
      }).frameworks['nist-csf-2.0@2.0']!.tier;
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
    expect(scoreAssessment(requirements, resolved, { reviewed: false, rules }).frameworks.iso!.score).toBe(
      60,
    ); // (40 + 80) / 2
  });
});

describe('each framework on its own level scale', () => {
  // CISA ZTMM's four stages and the six-level maturity scale, as their catalogs declare them.
  const ztmm = scaleOf([1, 2, 3, 4].map((level) => ({ level, name: { en: `stage ${level}` } })));
  const six = scaleOf([0, 1, 2, 3, 4, 5].map((level) => ({ level, name: { en: `level ${level}` } })));
  const reqs = [
    req('ID.AUTH', 'technical', ['ID'], 1, 'ztmm'),
    req('ID.RISK', 'technical', ['ID'], 1, 'ztmm'),
    req('DV.POL', 'institutional', ['DV'], 2, 'ztmm'),
    req('B-1', 'human', ['B'], 1, 'base'),
    req('B-2', 'legal', ['B'], 1, 'base'),
  ];
  const scales = new Map([
    ['ztmm', ztmm],
    ['base', six],
  ]);

  it('scores a four-stage answer by its stage: Traditional 0, Initial 33.3, Advanced 66.7, Optimal 100', () => {
    expect(ztmm).toEqual([1, 2, 3, 4]);
    expect([1, 2, 3, 4].map((l) => Math.round(levelScore(ztmm, l) * 10) / 10)).toEqual([0, 33.3, 66.7, 100]);
    expect([0, 1, 2, 3, 4, 5].map((l) => levelScore(six, l))).toEqual([0, 20, 40, 60, 80, 100]);
    expect(scaleOf([])).toEqual([0, 1, 2, 3, 4, 5]); // a framework that declares no levels keeps 0-5
  });

  it('scores a four-level and a six-level framework in one assessment, by hand', () => {
    // ZTMM: Optimal (100, w1), Initial (33.33, w1), Advanced (66.67, w2) -> (100 + 33.33 + 133.33) / 4 = 66.7.
    // Baseline: 4 of 0-5 (80), 2 of 0-5 (40) -> 60. Overall: (266.67 + 80 + 40) / 6 = 64.4.
    const s = scoreAssessment(
      reqs,
      new Map([
        [key('ztmm', 'ID.AUTH'), ans(4, 1)],
        [key('ztmm', 'ID.RISK'), ans(2)],
        [key('ztmm', 'DV.POL'), ans(3)],
        [key('base', 'B-1'), ans(4)],
        [key('base', 'B-2'), ans(2)],
      ]),
      { reviewed: false, rules, scales },
    );
    expect(s.frameworks.ztmm).toEqual({ score: 66.7, cumulativeLevel: 2, tier: null });
    expect(s.frameworks.base).toEqual({ score: 60, cumulativeLevel: 2, tier: null });
    expect(s.overall).toBe(64.4);
    expect(s.groups).toMatchObject({ 'ztmm|ID': 66.7, 'ztmm|DV': 66.7, 'base|B': 60 });
    expect(s.rulesVersion).toBe('2026.1');
  });

  it('still scores an answer given before the framework declared its scale: 5 on ZTMM is Optimal, 0 Traditional', () => {
    const s = scoreAssessment(
      reqs.slice(0, 2),
      new Map([
        [key('ztmm', 'ID.AUTH'), ans(5)],
        [key('ztmm', 'ID.RISK'), ans(0)],
      ]),
      { reviewed: false, rules, scales },
    );
    expect(s.frameworks.ztmm).toMatchObject({ score: 50, cumulativeLevel: 1 });
  });

  it('reads the tier bands and confidence weights from the scoring catalog, not from code', () => {
    expect(rules.confidence).toMatchObject({ evidenceWeight: 0.7, reviewWeight: 0.3 });
    const other: ScoringRules = {
      ...rules,
      version: 'test',
      confidence: {
        evidenceWeight: 0.5,
        reviewWeight: 0.5,
        bands: [
          { label: 'high', min: 0.9 },
          { label: 'medium', min: 0.5 },
          { label: 'low', min: 0 },
        ],
      },
      tiers: {
        frameworks: ['ztmm'],
        bands: [
          { tier: 2, min: 50 },
          { tier: 1, min: 0 },
        ],
      },
    };
    const answers = new Map([
      [key('ztmm', 'ID.AUTH'), ans(4, 1)],
      [key('ztmm', 'ID.RISK'), ans(2)],
    ]);
    // Evidence on 1 of 2, reviewed: 0.5 * 0.5 + 0.5 = 0.75 -> medium under these bands (high under the catalog's).
    const s = scoreAssessment(reqs.slice(0, 2), answers, { reviewed: true, rules: other, scales });
    expect(s.confidence).toEqual({ value: 0.75, label: 'medium' });
    expect(s.frameworks.ztmm!.tier).toBe(2); // (100 + 33.3) / 2 = 66.7 >= 50
    expect(scoreAssessment(reqs.slice(0, 2), answers, { reviewed: true, rules, scales }).confidence).toEqual({
      value: 0.65,
      label: 'medium',
    });
  });
});

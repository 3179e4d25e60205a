import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grade, loadGradingRuleSets, ruleSetInForce } from './grading.ts';

const sets = loadGradingRuleSets(path.resolve(import.meta.dirname, '../../../../catalogs'), 'pk');
const rules = ruleSetInForce(sets, '2026-06-01')!;

// Hand-computed with the 2026.1 weights: population 30, economy 25, security 25, dependence 10, substitutability 10.
describe('CII grading (documented sample)', () => {
  it('a national mobile operator: (30x100 + 25x100 + 25x70 + 10x70 + 10x70) / 100 = 86.5 -> tier 1', () => {
    const r = grade(rules, {
      population: 'over_10m',
      economy: 'national',
      security: 'significant',
      dependence: 'several',
      substitutability: 'weeks',
    });
    expect(r).toMatchObject({ score: 86.5, tier: 1, designation: 'essential' });
    expect(r.explanation).toMatch(/^Tier 1 \(essential\): weighted score 86.5/);
    expect(r.explanation).toMatch(
      /Deciding criteria: Population served: more than 10 million \(weight 30%, adds 30.0\); Impact on the economy: national economic harm/,
    );
  });

  it('a regional hospital group: (30x40 + 25x60 + 25x30 + 10x40 + 10x40) / 100 = 42.5 -> tier 3', () => {
    const r = grade(rules, {
      population: '100k_1m',
      economy: 'regional',
      security: 'limited',
      dependence: 'one',
      substitutability: 'days',
    });
    expect(r).toMatchObject({ score: 42.5, tier: 3, designation: 'important' });
    expect(r.explanation).toContain('Tier 3 needs 35');
  });

  it('a small defence supplier: score 35.5 gives tier 3, but severe security impact sets tier 1', () => {
    const r = grade(rules, {
      population: 'under_100k',
      economy: 'local',
      security: 'severe',
      dependence: 'none',
      substitutability: 'readily',
    });
    expect(r).toMatchObject({ score: 35.5, tier: 1, designation: 'essential' });
    expect(r.explanation).toMatch(
      /score alone gives tier 3, but "National security and public order: severe" sets tier 1/,
    );
  });

  it('a large utility below the tier-2 score still gets tier 2 for serving over 10 million', () => {
    // 30x100 + 25x30 + 25x0 + 10x0 + 10x0 = 3750 / 100 = 37.5 -> tier 3 by score; floor -> tier 2.
    const r = grade(rules, {
      population: 'over_10m',
      economy: 'local',
      security: 'none',
      dependence: 'none',
      substitutability: 'readily',
    });
    expect(r).toMatchObject({ score: 37.5, tier: 2 });
  });

  it('a local shop is not critical infrastructure', () => {
    const r = grade(rules, {
      population: 'under_100k',
      economy: 'negligible',
      security: 'none',
      dependence: 'none',
      substitutability: 'readily',
    });
    expect(r).toMatchObject({ score: 3, tier: null, designation: 'other' });
    expect(r.explanation).toMatch(
      /^Not critical infrastructure: the score 3 is below the 35 needed for tier 3/,
    );
  });

  it('refuses an incomplete questionnaire', () => {
    expect(() => grade(rules, { population: 'over_10m' })).toThrow(/economy/);
  });

  it('picks the rule set in force on a date', () => {
    expect(ruleSetInForce(sets, '2025-12-31')).toBeNull();
    expect(ruleSetInForce(sets, '2026-01-01')?.version).toBe('2026.1');
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.ts';
import {
  computePenalty,
  loadPenaltyRules,
  penaltyRulesOn,
  type PenaltyInput,
  type PenaltyRules,
} from './penalties.ts';

const catalogs = path.resolve(import.meta.dirname, '../../../../../catalogs');
const [v2026] = loadPenaltyRules(catalogs, 'pk');
const rules = v2026!;

describe('penalty calculator (hand-computed)', () => {
  it('applies the tier base and a fixed cap', () => {
    const r = computePenalty(rules, {
      violation: 'late_incident_report',
      tier: 1,
      annualTurnover: null,
      factors: [],
    });
    expect(r).toMatchObject({ base: 2_000_000, beforeCap: 2_000_000, cap: 25_000_000, amount: 2_000_000 });
    expect(r.explanation.at(-1)).toBe('Penalty: PKR 2,000,000.');
  });

  it('adds aggravating and subtracts mitigating factors, with duration per month', () => {
    // 5,000,000 x (1 + 0.50 + 0.30 - 0.20) = 8,000,000; cap = greater of 100M and 2% of 10B (200M).
    const r = computePenalty(rules, {
      violation: 'missing_incident_report',
      tier: 2,
      annualTurnover: 10_000_000_000,
      factors: [{ code: 'repeat' }, { code: 'duration', months: 3 }, { code: 'cooperation' }],
    });
    expect(r).toMatchObject({
      base: 5_000_000,
      adjustmentPct: 60,
      beforeCap: 8_000_000,
      cap: 200_000_000,
      amount: 8_000_000,
    });
    expect(r.explanation).toContain('Duration of the violation (3 months): +30%.');
  });

  it('caps at a percentage of turnover and limits duration to its maximum', () => {
    // 5M x (1 + .5 + .3 + .4 + min(8 x 10, 60)/100) = 5M x 2.8 = 14M; cap 1% of 1B = 10M.
    const r = computePenalty(rules, {
      violation: 'overdue_corrective_action',
      tier: 1,
      annualTurnover: 1_000_000_000,
      factors: [{ code: 'repeat' }, { code: 'damage' }, { code: 'intent' }, { code: 'duration', months: 8 }],
    });
    expect(r).toMatchObject({
      adjustmentPct: 180,
      beforeCap: 14_000_000,
      cap: 10_000_000,
      amount: 10_000_000,
    });
    expect(r.explanation.at(-1)).toBe('The cap applies. Penalty: PKR 10,000,000.');
    expect(() =>
      computePenalty(rules, {
        violation: 'overdue_corrective_action',
        tier: 1,
        annualTurnover: null,
        factors: [],
      }),
    ).toThrow(/turnover/);
  });

  it('takes the lesser of a fixed amount and a turnover share when the rule says so', () => {
    // 20M x 1.9 = 38M; cap = lesser of 200M and 4% of 500M (20M) = 20M.
    const r = computePenalty(rules, {
      violation: 'audit_obstruction',
      tier: 1,
      annualTurnover: 500_000_000,
      factors: [{ code: 'intent' }, { code: 'repeat' }],
    });
    expect(r).toMatchObject({ beforeCap: 38_000_000, cap: 20_000_000, amount: 20_000_000 });
    // Turnover unknown: the fixed part alone.
    expect(
      computePenalty(rules, { violation: 'audit_obstruction', tier: 1, annualTurnover: null, factors: [] })
        .cap,
    ).toBe(200_000_000);
  });

  it('never mitigates below the minimum share of the base', () => {
    const r = computePenalty(rules, {
      violation: 'late_incident_report',
      tier: 3,
      annualTurnover: null,
      factors: [{ code: 'cooperation' }, { code: 'self_reporting' }, { code: 'remediation' }],
    });
    expect(r).toMatchObject({ adjustmentPct: -60, amount: 200_000 });
    const generous: PenaltyRules = {
      ...rules,
      factors: [...rules.factors, { code: 'hardship', name: 'Hardship', effect: 'mitigating', pct: 40 }],
    };
    const floor = computePenalty(generous, {
      violation: 'late_incident_report',
      tier: 3,
      annualTurnover: null,
      factors: [
        { code: 'cooperation' },
        { code: 'self_reporting' },
        { code: 'remediation' },
        { code: 'hardship' },
      ],
    });
    expect(floor.amount).toBe(125_000);
    expect(floor.explanation.join(' ')).toContain('limited to the minimum of 25% of the base');
  });

  it('applies the schedule in force on the day of the violation', () => {
    const later: PenaltyRules = {
      ...rules,
      version: '2026.2',
      effectiveFrom: '2026-07-01',
      violations: rules.violations.map((v) =>
        v.code === 'late_incident_report' ? { ...v, base: { ...v.base, '1': 3_000_000 } } : v,
      ),
    };
    const sets = [rules, later];
    const on = (date: string) =>
      computePenalty(penaltyRulesOn(sets, date)!, {
        violation: 'late_incident_report',
        tier: 1,
        annualTurnover: null,
        factors: [],
      });
    expect(on('2026-06-30')).toMatchObject({ rulesVersion: '2026.1', amount: 2_000_000 });
    expect(on('2026-07-01')).toMatchObject({ rulesVersion: '2026.2', amount: 3_000_000 });
    expect(penaltyRulesOn(sets, '2025-12-31')).toBeNull();
  });

  /** The error computePenalty throws for this input, or null when it computes. */
  const refusal = (input: PenaltyInput): AppError | null => {
    try {
      computePenalty(rules, input);
      return null;
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
  };

  it('counts each factor at most once and names the one listed twice', () => {
    // Before: [repeat, repeat, repeat] was accepted as +150%.
    const e = refusal({
      violation: 'late_incident_report',
      tier: 1,
      annualTurnover: null,
      factors: [{ code: 'repeat' }, { code: 'repeat' }, { code: 'repeat' }],
    });
    expect(e).toMatchObject({ status: 422, code: 'validation_failed', details: { field: 'factors.1.code' } });
    expect(e?.message).toBe('The factor \u201crepeat\u201d is listed twice.');
    // A factor counted per month is one factor too: two durations are refused, not added up.
    expect(
      refusal({
        violation: 'late_incident_report',
        tier: 1,
        annualTurnover: null,
        factors: [
          { code: 'duration', months: 2 },
          { code: 'duration', months: 3 },
        ],
      })?.message,
    ).toBe('The factor \u201cduration\u201d is listed twice.');
  });

  it('takes one degree of culpability: intent and negligence are alternatives', () => {
    const e = refusal({
      violation: 'late_incident_report',
      tier: 1,
      annualTurnover: null,
      factors: [{ code: 'intent' }, { code: 'negligence' }],
    });
    expect(e).toMatchObject({ status: 422, code: 'validation_failed', details: { field: 'factors.1.code' } });
    expect(e?.message).toContain('\u201cintent\u201d and \u201cnegligence\u201d');
  });

  it('weighs the NIS2 Art. 32(7) factors the schedule now carries', () => {
    const byCode = new Map(rules.factors.map((f) => [f.code, f]));
    expect(byCode.get('code_or_certification')).toMatchObject({ effect: 'mitigating', pct: 10 });
    expect(byCode.get('code_or_certification')?.source).toContain('32(7)(g)');
    expect(byCode.get('binding_instruction_ignored')).toMatchObject({ effect: 'aggravating', pct: 40 });
    expect(byCode.get('negligence')).toMatchObject({ effect: 'aggravating', pct: 15, group: 'culpability' });
    // 1,000,000 x (1 + .15 + .40 - .10 - .20) = 1,250,000; fixed cap 25M does not bite.
    const r = computePenalty(rules, {
      violation: 'late_incident_report',
      tier: 2,
      annualTurnover: null,
      factors: [
        { code: 'negligence' },
        { code: 'binding_instruction_ignored' },
        { code: 'code_or_certification' },
        { code: 'cooperation' },
      ],
    });
    expect(r).toMatchObject({ base: 1_000_000, adjustmentPct: 25, beforeCap: 1_250_000, amount: 1_250_000 });
    expect(r.explanation).toContain(
      'Adherence to an approved code of conduct or certification mechanism: -10%.',
    );
  });

  it('caps a combination of new and old factors at the turnover share', () => {
    // 5M x (1 + .50 + .40 + .15 + 2 x .10 - .10) = 5M x 2.15 = 10,750,000; cap 1% of 1B = 10M.
    const r = computePenalty(rules, {
      violation: 'overdue_corrective_action',
      tier: 1,
      annualTurnover: 1_000_000_000,
      factors: [
        { code: 'repeat' },
        { code: 'binding_instruction_ignored' },
        { code: 'negligence' },
        { code: 'duration', months: 2 },
        { code: 'code_or_certification' },
      ],
    });
    expect(r).toMatchObject({
      adjustmentPct: 115,
      beforeCap: 10_750_000,
      cap: 10_000_000,
      amount: 10_000_000,
    });
    // Every mitigating factor at once: 500,000 x (1 - .20 - .25 - .15 - .10) = 150,000, above the 25% floor.
    const low = computePenalty(rules, {
      violation: 'late_incident_report',
      tier: 3,
      annualTurnover: null,
      factors: [
        { code: 'cooperation' },
        { code: 'self_reporting' },
        { code: 'remediation' },
        { code: 'code_or_certification' },
      ],
    });
    expect(low).toMatchObject({ adjustmentPct: -70, beforeCap: 150_000, amount: 150_000 });
  });

  it('names unknown violations and factors', () => {
    expect(() =>
      computePenalty(rules, { violation: 'jaywalking', tier: 1, annualTurnover: null, factors: [] }),
    ).toThrow(/jaywalking/);
    expect(() =>
      computePenalty(rules, {
        violation: 'late_incident_report',
        tier: 1,
        annualTurnover: null,
        factors: [{ code: 'duration' }],
      }),
    ).toThrow(/months/);
  });
});

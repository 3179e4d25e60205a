import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../../platform/jurisdiction/business-calendar.ts';
import type { IncidentFacts } from './conditions.ts';
import { planDuties } from './deadlines.ts';
import {
  criteriaMet,
  loadReportingRuleSets,
  regimeApplies,
  ReportingRuleSet,
  significanceBasis,
} from './rule-set.ts';

const catalogs = path.resolve(import.meta.dirname, '../../../../../catalogs');
const nis2 = loadReportingRuleSets(catalogs, 'eu').find((s) => s.code === 'eu-nis2')!;
const CLOUD = 'digital-infrastructure.cloud-computing';
const DATA_CENTRE = 'digital-infrastructure.data-centres';

// A quiet incident that meets no criterion: every test below changes only what its criterion reads.
const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  severity: 'medium',
  rsitClass: 'availability',
  rsitType: 'outage',
  sector: 'energy',
  subsector: 'energy.electricity-distribution',
  entityKind: 'private',
  ciiTier: null,
  usersAffected: null,
  downtimeHours: null,
  financialLoss: null,
  financialLossPctOfTurnover: null,
  personalData: false,
  crossBorder: false,
  suspectedMalicious: false,
  healthImpact: false,
  serviceWhollyUnavailable: false,
  tradeSecretsExfiltrated: false,
  damageToOthers: false,
  recurringIncidents: null,
  recurringFinancialLoss: null,
  recurringFinancialLossPctOfTurnover: null,
  ...over,
});
const met = (over: Partial<IncidentFacts>) => criteriaMet(nis2, facts(over)).map((c) => c.code);

describe('NIS2 significance (Directive Art. 23(3), Implementing Regulation (EU) 2024/2690)', () => {
  it('finds a critical, non-malicious 48-hour outage of 2 million users significant though its loss is unknown', () => {
    const outage = {
      severity: 'critical',
      suspectedMalicious: false,
      downtimeHours: 48,
      usersAffected: 2_000_000,
      financialLoss: null,
    };
    // An energy company: the Regulation does not cover it, Art. 23(3)(a) does.
    expect(regimeApplies(nis2, facts(outage))).toBe(true);
    expect(met(outage)).toEqual(['severe_disruption']);
    // A cloud provider: 2,000,000 > 1,000,000 users for 48 > 1 hour (Art. 7(b)).
    expect(met({ ...outage, subsector: CLOUD })).toEqual(['cloud_limited']);
    // A data centre: limited for 48 > 1 hour (Art. 8(b)).
    expect(met({ ...outage, subsector: DATA_CENTRE })).toEqual(['data_centre_limited']);
    // Owed: the early warning 24 hours after awareness.
    const aware = new Date('2026-05-04T08:00:00Z');
    const plans = planDuties(
      nis2,
      facts(outage),
      { awareness: aware, classification: aware, detection: null },
      new Map(),
      new BusinessCalendar('Europe/Brussels', [1, 2, 3, 4, 5], new Set()),
    );
    expect(plans[0]).toMatchObject({ owed: true, dueAt: new Date('2026-05-05T08:00:00Z') });
  });

  it('leaves an incident that meets no criterion outside the regime', () => {
    expect(met({})).toEqual([]);
    expect(regimeApplies(nis2, facts())).toBe(false);
    // High, not critical, and nothing else known: not significant for an entity outside Arts. 7 and 8.
    expect(
      regimeApplies(nis2, facts({ severity: 'high', downtimeHours: 48, usersAffected: 2_000_000 })),
    ).toBe(false);
  });

  it('Art. 3(1)(a): direct loss above EUR 500,000 or above 5% of turnover, whichever is lower', () => {
    expect(met({ financialLoss: 500_001 })).toEqual(['financial_loss']);
    // "Exceeds": exactly 500,000 is not enough.
    expect(met({ financialLoss: 500_000 })).toEqual([]);
    // 300,000 of a 5,000,000 turnover is 6%: the lower threshold (250,000) is exceeded.
    expect(met({ financialLoss: 300_000, financialLossPctOfTurnover: 6 })).toEqual(['financial_loss']);
    expect(met({ financialLoss: 300_000, financialLossPctOfTurnover: 5 })).toEqual([]);
    // Turnover unknown: only the fixed figure can be tested.
    expect(met({ financialLoss: 300_000, financialLossPctOfTurnover: null })).toEqual([]);
  });

  it('Art. 3(1)(b) to (d): trade secrets, and harm to people', () => {
    expect(met({ tradeSecretsExfiltrated: true })).toEqual(['trade_secrets']);
    expect(met({ healthImpact: true })).toEqual(['harm_to_people']);
  });

  it('Art. 3(1)(e): successful, suspectedly malicious access able to disrupt severely', () => {
    const access = { suspectedMalicious: true, rsitClass: 'intrusions', rsitType: 'system-compromise' };
    expect(met({ ...access, severity: 'high' })).toEqual(['malicious_access']);
    expect(met({ ...access, severity: 'medium' })).toEqual([]);
    expect(met({ ...access, severity: 'high', suspectedMalicious: false })).toEqual([]);
    // An attempt is not a successful access.
    expect(
      met({
        severity: 'high',
        suspectedMalicious: true,
        rsitClass: 'intrusion-attempts',
        rsitType: 'login-attempts',
      }),
    ).toEqual([]);
  });

  it('Art. 3(1)(f) and Art. 4: recurring incidents that together pass the loss threshold', () => {
    // Each 300,000: neither alone is significant, the two together (600,000) are.
    expect(met({ financialLoss: 300_000, recurringIncidents: 2, recurringFinancialLoss: 600_000 })).toEqual([
      'recurring',
    ]);
    expect(met({ financialLoss: 300_000, recurringIncidents: 1, recurringFinancialLoss: 600_000 })).toEqual(
      [],
    );
    expect(met({ recurringIncidents: 3, recurringFinancialLoss: 450_000 })).toEqual([]);
    expect(
      met({ recurringIncidents: 2, recurringFinancialLoss: 450_000, recurringFinancialLossPctOfTurnover: 9 }),
    ).toEqual(['recurring']);
    // Count known, combined loss unknown: not by this criterion.
    expect(met({ recurringIncidents: 4 })).toEqual([]);
  });

  it('Art. 7: cloud computing providers, by availability, users, duration and data', () => {
    const cloud = { sector: 'it', subsector: CLOUD };
    // (a) completely unavailable for more than 30 minutes.
    expect(met({ ...cloud, serviceWhollyUnavailable: true, downtimeHours: 0.6 })).toEqual([
      'cloud_unavailable',
    ]);
    expect(met({ ...cloud, serviceWhollyUnavailable: true, downtimeHours: 0.5 })).toEqual([]);
    // (b) more than 1 million users for more than one hour.
    expect(met({ ...cloud, usersAffected: 1_000_001, downtimeHours: 1.5 })).toEqual(['cloud_limited']);
    expect(met({ ...cloud, usersAffected: 1_000_000, downtimeHours: 1.5 })).toEqual([]);
    expect(met({ ...cloud, usersAffected: 1_000_001, downtimeHours: 1 })).toEqual([]);
    // (c) data compromised by a suspectedly malicious action; (d) for more than 1 million users.
    const data = { ...cloud, rsitClass: 'information-content-security', rsitType: 'data-leak' };
    expect(met({ ...data, suspectedMalicious: true })).toEqual(['cloud_data_malicious']);
    expect(met({ ...data, usersAffected: 1_500_000 })).toEqual(['cloud_data_many_users']);
    expect(met({ ...data, usersAffected: 900_000 })).toEqual([]);
    // The Regulation's list is exhaustive for cloud providers: "critical" alone does not make it significant.
    expect(met({ ...cloud, severity: 'critical', downtimeHours: 0.25, usersAffected: 100 })).toEqual([]);
    expect(met({ ...cloud, damageToOthers: true })).toEqual([]);
  });

  it('Art. 8: data centre providers, by availability, duration, data and physical access', () => {
    const dc = { sector: 'it', subsector: DATA_CENTRE };
    expect(met({ ...dc, serviceWhollyUnavailable: true, downtimeHours: 0.1 })).toEqual([
      'data_centre_unavailable',
    ]);
    expect(met({ ...dc, downtimeHours: 1.25 })).toEqual(['data_centre_limited']);
    expect(met({ ...dc, downtimeHours: 1 })).toEqual([]);
    expect(
      met({
        ...dc,
        rsitClass: 'information-content-security',
        rsitType: 'data-loss',
        suspectedMalicious: true,
      }),
    ).toEqual(['data_centre_data_malicious']);
    expect(met({ ...dc, rsitClass: 'intrusions', rsitType: 'burglary' })).toEqual([
      'data_centre_physical_access',
    ]);
  });

  it('Art. 23(3)(a) and (b) for entities the Regulation does not cover', () => {
    expect(met({ severity: 'critical' })).toEqual(['severe_disruption']);
    expect(met({ damageToOthers: true })).toEqual(['damage_to_others']);
  });

  it('lets an unknown figure fail only its own criterion, and lists every criterion met', () => {
    // Loss unknown, users unknown: the critical grading still makes it significant.
    expect(met({ severity: 'critical', financialLoss: null, usersAffected: null })).toEqual([
      'severe_disruption',
    ]);
    expect(met({ severity: 'critical', financialLoss: 2_000_000, healthImpact: true })).toEqual([
      'financial_loss',
      'harm_to_people',
      'severe_disruption',
    ]);
  });

  it('says in the duty basis which criteria made the incident significant, with their articles', () => {
    expect(significanceBasis(nis2, facts({ severity: 'critical', financialLoss: 750_000 }))).toBe(
      'Significant: Direct financial loss above EUR 500,000 or above 5% of annual turnover, whichever is lower (Art. 3(1)(a)); Severe operational disruption of the services (entities outside Arts. 7 and 8) (Art. 23(3)(a)).',
    );
    expect(significanceBasis(nis2, facts())).toBe('');
  });

  it('cites a source for every criterion and every stage, and refuses a criterion listed twice', () => {
    for (const c of nis2.significance) expect(c.source.article).toMatch(/^Art\. /);
    for (const s of nis2.stages) expect(s.source?.instrument).toContain('2022/2555');
    const twice = ReportingRuleSet.safeParse({
      ...nis2,
      significance: [nis2.significance[0], nis2.significance[0]],
    });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.message).toBe('significance criterion financial_loss is listed twice');
  });
});

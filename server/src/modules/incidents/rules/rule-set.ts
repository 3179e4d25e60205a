import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../../config.ts';
import { LegalStatus } from '../../../platform/legal-status.ts';
import { Condition, holds, type IncidentFacts } from './conditions.ts';

const Name = z.object({ en: z.string().min(1), ur: z.string().optional() });

/** What a deadline is counted from: an instant of the incident, or the moment an earlier stage was met. */
const ClockStart = z.union([
  z.enum(['awareness', 'classification', 'detection']),
  z.string().regex(/^stage:[a-z0-9_]+$/),
]);

/** One clock: a start and exactly one length (hours, calendar days, business days or months). */
export const ClockRule = z
  .object({
    from: ClockStart,
    hours: z.number().int().positive().optional(),
    days: z.number().int().positive().optional(),
    businessDays: z.number().int().positive().optional(),
    months: z.number().int().positive().optional(),
  })
  .refine((c) => [c.hours, c.days, c.businessDays, c.months].filter((x) => x !== undefined).length === 1, {
    message: 'a clock has exactly one of hours, days, businessDays or months',
  });
export type ClockRule = z.infer<typeof ClockRule>;

/** Where a clock or a threshold comes from and how sure we are of it, so it can be traced to its text. */
export const Source = z
  .object({
    instrument: z.string().min(1).max(200),
    /** The article, section or point within it. */
    article: z.string().min(1).max(100),
    /** The instrument's date: a day, or only the month or year when no more is known. */
    date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD'),
    /**
     * official_text: read in the published text; draft_text: read in a draft's own text; secondary: taken
     * from summaries of the text, to verify; reading: our interpretation where the text gives no figure.
     */
    certainty: z.enum(['official_text', 'draft_text', 'secondary', 'reading']),
    note: z.string().min(1).max(600).optional(),
  })
  .strict();
export type Source = z.infer<typeof Source>;

/** One named test of significance; an incident is significant when any criterion of its regime holds. */
export const SignificanceCriterion = z
  .object({
    code: z.string().regex(/^[a-z0-9_]+$/),
    name: Name,
    when: Condition,
    source: Source,
  })
  .strict();
export type SignificanceCriterion = z.infer<typeof SignificanceCriterion>;

/** Report kinds in the order an incident normally moves through them. */
export const STAGE_KINDS = ['early_warning', 'notification', 'intermediate', 'final'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export const Stage = z.object({
  code: z.string().regex(/^[a-z0-9_]+$/),
  kind: z.enum(STAGE_KINDS),
  name: Name,
  /** The stage is owed only when this holds (for example early warnings for critical incidents). */
  when: Condition.optional(),
  clock: ClockRule,
  /** Further limits; the earliest deadline wins (DORA: 4 h after classification, at most 24 h after awareness). */
  notLaterThan: z.array(ClockRule).default([]),
  /** A deadline on a non-working day moves to this local time of the next working day. */
  nonWorkingDayMovesTo: z
    .object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59).default(0) })
    .optional(),
  /** Incident fields the report for this stage must contain. */
  required: z.array(z.string()).default([]),
  /** Reminders to the entity this many hours before the deadline. */
  remindHoursBefore: z.array(z.number().positive()).default([]),
  /** The text the clock comes from. */
  source: Source.optional(),
});
export type Stage = z.infer<typeof Stage>;

export const ReportingRuleSet = z
  .object({
    code: z.string().regex(/^[a-z0-9-]+$/),
    version: z.string().min(1),
    effectiveFrom: z.iso.date(),
    legalStatus: LegalStatus,
    name: Name,
    /** The body reports are owed to (a regulator code in the jurisdiction profile, or a free label abroad). */
    authority: z.string().min(1),
    description: z.string().default(''),
    /** Whether an incident falls under this regime at all: the entity it happened to and its significance. */
    appliesWhen: Condition,
    /**
     * When the regime asks only for significant incidents: the criteria, any one of which makes an
     * incident significant. Each is tested on its own, so an unknown figure fails only its own criterion.
     */
    significance: z.array(SignificanceCriterion).default([]),
    stages: z.array(Stage).min(1),
  })
  .superRefine((r, ctx) => {
    const criteria = r.significance.map((c) => c.code);
    for (const [i, c] of criteria.entries())
      if (criteria.indexOf(c) !== i)
        ctx.addIssue({ code: 'custom', message: `significance criterion ${c} is listed twice` });
    const codes = new Set<string>();
    for (const s of r.stages) {
      const starts = [s.clock, ...s.notLaterThan].map((c) => c.from).filter((f) => f.startsWith('stage:'));
      for (const f of starts)
        if (!codes.has(f.slice(6)))
          ctx.addIssue({
            code: 'custom',
            message: `stage ${s.code} counts from ${f}, which is not an earlier stage`,
          });
      codes.add(s.code);
    }
  });
export type ReportingRuleSet = z.infer<typeof ReportingRuleSet>;

/** Every version of every reporting regime of a jurisdiction, grouped by code and oldest first. */
export function loadReportingRuleSets(catalogDir: string, jurisdiction: string): ReportingRuleSet[] {
  const dir = path.join(catalogDir, 'incident-rules', jurisdiction);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const parsed = ReportingRuleSet.safeParse(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ConfigError(
          `The incident reporting rule set ${f} is invalid at ${issue.path.join('.') || 'the top level'}: ${issue.message}.`,
        );
      }
      return parsed.data;
    })
    .sort((a, b) => a.code.localeCompare(b.code) || a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** The significance criteria an incident meets under a regime (empty when the regime lists none). */
export function criteriaMet(rs: ReportingRuleSet, facts: IncidentFacts): SignificanceCriterion[] {
  return rs.significance.filter((c) => holds(c.when, facts));
}

/** Why a regime with criteria applies, in words for a duty's basis: each criterion met and its article. */
export function significanceBasis(rs: ReportingRuleSet, facts: IncidentFacts): string {
  const met = criteriaMet(rs, facts);
  if (!met.length) return '';
  return `Significant: ${met.map((c) => `${c.name.en} (${c.source.article})`).join('; ')}.`;
}

/** Whether a regime applies: the incident is within its reach and, where it asks for significance, significant. */
export function regimeApplies(rs: ReportingRuleSet, facts: IncidentFacts): boolean {
  if (!holds(rs.appliesWhen, facts)) return false;
  return rs.significance.length === 0 || criteriaMet(rs, facts).length > 0;
}

/** The version of each regime in force on a date (a regime not yet in force is left out). */
export function regimesInForce(sets: ReportingRuleSet[], date: string): ReportingRuleSet[] {
  const byCode = new Map<string, ReportingRuleSet>();
  for (const s of sets) if (s.effectiveFrom <= date) byCode.set(s.code, s);
  return [...byCode.values()];
}

export function ruleSetVersion(
  sets: ReportingRuleSet[],
  code: string,
  version: string,
): ReportingRuleSet | null {
  return sets.find((s) => s.code === code && s.version === version) ?? null;
}

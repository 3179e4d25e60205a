import { reachOf } from '../access/reach.ts';
import type { Actor } from '../context.ts';
import type { JurisdictionProfile } from '../jurisdiction/catalog.ts';
import { toIsoDate, zonedParts } from '../jurisdiction/time.ts';

export interface DisclosurePolicy {
  /** The rule set's effective date, for the answer to cite. */
  effectiveFrom: string;
  /** The smallest number of entities (or incidents) a shown cell may describe. */
  minCohort: number;
  /** The smallest peer group whose median and quartiles may be shown. */
  minPercentileCohort: number;
  /** The caller may read every record anyway, so hiding cells from them protects no one. */
  exempt: boolean;
}

/** The rules in force on `date` (YYYY-MM-DD); before the first one, the first one. */
export function disclosureRulesOn(profile: JurisdictionProfile, date: string) {
  const sets = [...profile.disclosureControl].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return sets.filter((s) => s.effectiveFrom <= date).at(-1) ?? sets[0]!;
}

/**
 * Whoever may read every entity's record nationally learns nothing from a suppressed cell; for
 * everyone else (observers, regulators, provinces, entities) the rules apply.
 */
export function readsMicrodata(actor: Actor): boolean {
  // One assignment must grant both: an observer who is also an entity's member is not exempt.
  return reachOf(actor, 'entities.read').national;
}

/** The policy for one answer to one caller, judged by today's date in the jurisdiction. */
export function disclosurePolicy(profile: JurisdictionProfile, actor: Actor, now: Date): DisclosurePolicy {
  const rules = disclosureRulesOn(profile, toIsoDate(zonedParts(now, profile.timeZone)));
  return {
    effectiveFrom: rules.effectiveFrom,
    minCohort: rules.minCohort,
    minPercentileCohort: rules.minPercentileCohort,
    exempt: readsMicrodata(actor),
  };
}

/** The rules an answer was protected by, so a reader can tell a hidden cell from an empty one. */
export const disclosureOut = (p: DisclosurePolicy) => ({
  applied: !p.exempt,
  minCohort: p.minCohort,
  minPercentileCohort: p.minPercentileCohort,
  effectiveFrom: p.effectiveFrom,
});

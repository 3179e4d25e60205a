import { z } from 'zod';

/**
 * How binding a versioned rule set is. Every catalog of legal rules (reporting regimes, penalty
 * schedules, supervision obligations, CII grading, targets, routing) declares one, so that a
 * proposed Act or a placeholder figure is never shown, exported or enforced as if it were law.
 */
export const LEGAL_STATUSES = [
  'in_force',
  'adopted_not_in_force',
  'draft',
  'proposed',
  'placeholder',
] as const;
export type LegalStatusCode = (typeof LEGAL_STATUSES)[number];

/** The `legalStatus` block of a catalog file (one schema, used by every catalog loader). */
export const LegalStatus = z
  .object({
    status: z.enum(LEGAL_STATUSES),
    /** The instrument the rules rest on (an Act, regulations, a directive); null while there is none yet. */
    instrument: z.string().min(1).max(200).nullable(),
    /** The article or section within it; null when none is known yet. */
    article: z.string().min(1).max(100).nullable(),
    /** One or two sentences, in the catalog's own words, on what the status means for these rules. */
    note: z.string().min(1).max(600),
  })
  .strict();
export type LegalStatus = z.infer<typeof LegalStatus>;

/** The status as every API answer carries it: the catalog block plus what a reader needs at a glance. */
export const LegalStatusOut = z.object({
  status: z.enum(LEGAL_STATUSES),
  instrument: z.string().nullable(),
  article: z.string().nullable(),
  note: z.string(),
  /** True only for rules in force: anything else is shown and printed as not (yet) law. */
  binding: z.boolean(),
  /** "Instrument, article", or "none yet": the basis in one phrase. */
  basis: z.string(),
});
export type LegalStatusOut = z.infer<typeof LegalStatusOut>;

const LABEL: Record<LegalStatusCode, string> = {
  in_force: 'In force',
  adopted_not_in_force: 'Adopted, not yet in force',
  draft: 'Draft',
  proposed: 'Proposed law',
  placeholder: 'Placeholder (illustration)',
};

export const legalStatusLabel = (s: LegalStatusCode) => LABEL[s];

export function legalBasis(ls: LegalStatus): string {
  if (!ls.instrument) return 'none yet';
  return ls.article ? `${ls.instrument}, ${ls.article}` : ls.instrument;
}

export function legalStatusOut(ls: LegalStatus): LegalStatusOut {
  return { ...ls, binding: ls.status === 'in_force', basis: legalBasis(ls) };
}

/** One sentence for letters, explanations and exports: "Legal status: proposed law; basis: …." */
export function legalStatusSentence(ls: LegalStatus): string {
  return `Legal status: ${LABEL[ls.status].toLowerCase()}; basis: ${legalBasis(ls)}.`;
}

/** Used where a catalog version is gone (a record outlived its file): say so rather than claim law. */
export const UNKNOWN_LEGAL_STATUS: LegalStatus = {
  status: 'placeholder',
  instrument: null,
  article: null,
  note: 'The rule set this record was judged under is no longer in the catalogs; its legal status is unknown.',
};

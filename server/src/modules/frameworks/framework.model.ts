import { z } from 'zod';

export const DIMENSIONS = ['legal', 'institutional', 'human', 'technical'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const Text = z.object({ en: z.string().min(1), ur: z.string().optional() });

export const LibraryRequirement = z.object({
  id: z.string().min(1).max(60),
  statement: Text,
  dimension: z.enum(DIMENSIONS),
});

type Group = {
  id: string;
  kind: string;
  title: z.infer<typeof Text>;
  description?: z.infer<typeof Text>;
  groups?: Group[];
  requirements?: z.infer<typeof LibraryRequirement>[];
};
export const LibraryGroup: z.ZodType<Group> = z.lazy(() =>
  z.object({
    id: z.string().min(1).max(60),
    kind: z.string().min(1).max(40),
    title: Text,
    description: Text.optional(),
    groups: z.array(LibraryGroup).optional(),
    requirements: z.array(LibraryRequirement).optional(),
  }),
);

/** A framework as kept in catalogs/frameworks/: identifiers from the standard, statements in our words. */
export const LibraryFramework = z.object({
  id: z.string().regex(/^[a-z0-9.-]+$/),
  version: z.string().min(1),
  effectiveFrom: z.iso.date(),
  name: Text,
  publisher: z.string().optional(),
  answerScale: z.enum(['maturity', 'implementation']),
  /** framework: a standard; overlay: sector-specific additions to a baseline; readiness: a focused module. */
  kind: z.enum(['framework', 'baseline', 'overlay', 'readiness']).default('framework'),
  /** For overlays: which entities they apply to. */
  appliesTo: z
    .object({ sectors: z.array(z.string()).default([]), subsectors: z.array(z.string()).default([]) })
    .optional(),
  overlayOf: z.string().optional(),
  /** How an official OSCAL catalog of the same framework identifies itself (metadata props). */
  oscal: z.object({ frameworkIdentifier: z.string(), versionIdentifier: z.string() }).optional(),
  levels: z
    .array(z.object({ level: z.number().int(), name: Text, description: Text.optional() }))
    .default([]),
  groups: z.array(LibraryGroup).min(1),
});
export type LibraryFramework = z.infer<typeof LibraryFramework>;

export const LibraryMapping = z.object({
  source: z.string(),
  target: z.string(),
  version: z.string(),
  note: Text.optional(),
  relationships: z.array(
    z.object({
      source: z.string(),
      target: z.string(),
      type: z.enum(['equivalent', 'subset', 'superset', 'intersects']),
    }),
  ),
});
export type LibraryMapping = z.infer<typeof LibraryMapping>;

/** The flat, ordered form both library files and OSCAL imports are stored in. */
export interface FrameworkItem {
  itemId: string;
  parentId: string | null;
  kind: string;
  titleEn: string | null;
  titleUr: string | null;
  statementEn: string | null;
  statementUr: string | null;
  dimension: Dimension | null;
  assessable: boolean;
}

export function flatten(
  groups: Group[],
  parentId: string | null = null,
  out: FrameworkItem[] = [],
): FrameworkItem[] {
  for (const g of groups) {
    out.push({
      itemId: g.id,
      parentId,
      kind: g.kind,
      titleEn: g.title.en,
      titleUr: g.title.ur ?? null,
      statementEn: g.description?.en ?? null,
      statementUr: g.description?.ur ?? null,
      dimension: null,
      assessable: false,
    });
    if (g.groups) flatten(g.groups, g.id, out);
    for (const r of g.requirements ?? []) {
      out.push({
        itemId: r.id,
        parentId: g.id,
        kind: 'requirement',
        titleEn: null,
        titleUr: null,
        statementEn: r.statement.en,
        statementUr: r.statement.ur ?? null,
        dimension: r.dimension,
        assessable: true,
      });
    }
  }
  return out;
}

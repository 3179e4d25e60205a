import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { requirePermission } from '../../platform/access/permissions.ts';
import type { RequestContext } from '../../platform/context.ts';
import { ConfigError } from '../../config.ts';
import { isUniqueViolation, refuseDuplicate } from '../../platform/duplicates.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  flatten,
  LibraryFramework,
  LibraryMapping,
  type Dimension,
  type FrameworkItem,
} from './framework.model.ts';
import { catalogItems } from './frameworks.items.ts';
import { parseOscal } from './oscal.ts';

export interface FrameworkSummary {
  id: string;
  code: string;
  version: string;
  nameEn: string;
  nameUr: string | null;
  publisher: string | null;
  answerScale: string;
  source: string;
  /** framework, baseline, overlay (added per sector by campaigns) or readiness. */
  kind: string;
  requirementCount: number;
}

function readLibrary(catalogDir: string): { frameworks: LibraryFramework[]; mappings: LibraryMapping[] } {
  const dir = path.join(catalogDir, 'frameworks');
  if (!existsSync(dir)) return { frameworks: [], mappings: [] };
  const parse = <T>(
    file: string,
    schema: {
      safeParse(
        v: unknown,
      ):
        | { success: true; data: T }
        | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } };
    },
  ) => {
    const r = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!r.success)
      throw new ConfigError(
        `The framework catalog ${file} is invalid at ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}.`,
      );
    return r.data;
  };
  const frameworks = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => parse(path.join(dir, f), LibraryFramework));
  const mapDir = path.join(dir, 'mappings');
  const mappings = existsSync(mapDir)
    ? readdirSync(mapDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => parse(path.join(mapDir, f), LibraryMapping))
    : [];
  return { frameworks, mappings };
}

async function writeFramework(
  trx: Transaction<DB>,
  f: {
    id: string;
    code: string;
    version: string;
    nameEn: string;
    nameUr: string | null;
    publisher: string | null;
    answerScale: string;
    levels: unknown;
    source: string;
    createdBy: string;
    now: string;
    kind?: string;
    overlayOf?: string | null;
    appliesTo?: unknown;
  },
  items: FrameworkItem[],
): Promise<void> {
  await trx
    .insertInto('frameworks')
    .values({
      id: f.id,
      code: f.code,
      version: f.version,
      name_en: f.nameEn,
      name_ur: f.nameUr,
      publisher: f.publisher,
      answer_scale: f.answerScale,
      levels_json: JSON.stringify(f.levels),
      source: f.source,
      requirement_count: items.filter((i) => i.assessable).length,
      created_at: f.now,
      created_by: f.createdBy,
      kind: f.kind ?? 'framework',
      overlay_of: f.overlayOf ?? null,
      applies_to_json: f.appliesTo ? JSON.stringify(f.appliesTo) : null,
    })
    .execute();
  const rows = items.map((i, sort) => ({
    framework_id: f.id,
    item_id: i.itemId,
    parent_id: i.parentId,
    kind: i.kind,
    title_en: i.titleEn,
    title_ur: i.titleUr,
    statement_en: i.statementEn,
    statement_ur: i.statementUr,
    dimension: i.dimension,
    assessable: i.assessable ? 1 : 0,
    sort,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await trx
      .insertInto('framework_items')
      .values(rows.slice(i, i + 200))
      .execute();
}

/** The framework library: versioned catalogs in catalogs/frameworks/ plus OSCAL catalogs the Authority imports. */
export function createFrameworkService(p: Platform) {
  const { db } = p;
  const library = readLibrary(p.config.catalogDir);
  const libraryId = (f: LibraryFramework) => `${f.id}@${f.version}`;

  return {
    /** Adds library framework versions (and their mappings) the database does not hold yet. */
    async syncLibrary(): Promise<number> {
      let added = 0;
      const now = p.clock.now().toISOString();
      for (const f of library.frameworks) {
        const id = libraryId(f);
        if (await db.selectFrom('frameworks').select('id').where('id', '=', id).executeTakeFirst()) continue;
        // Instances starting together may race to add the same version; the loser skips it.
        const wrote = await db
          .transaction()
          .execute((trx) =>
            writeFramework(
              trx,
              {
                id,
                code: f.id,
                version: f.version,
                nameEn: f.name.en,
                nameUr: f.name.ur ?? null,
                publisher: f.publisher ?? null,
                answerScale: f.answerScale,
                levels: f.levels,
                source: 'library',
                createdBy: 'catalog',
                now,
                kind: f.kind,
                overlayOf: f.overlayOf ?? null,
                appliesTo: f.appliesTo,
              },
              flatten(f.groups),
            ),
          )
          .then(
            () => true,
            (e: unknown) => {
              if (isUniqueViolation(e)) return false;
              throw e;
            },
          );
        if (wrote) added++;
      }
      for (const m of library.mappings) {
        const src = library.frameworks.find((f) => f.id === m.source);
        const tgt = library.frameworks.find((f) => f.id === m.target);
        if (!src || !tgt) continue;
        for (let i = 0; i < m.relationships.length; i += 200) {
          await db
            .insertInto('requirement_mappings')
            .values(
              m.relationships.slice(i, i + 200).map((r) => ({
                source_framework: libraryId(src),
                source_item: r.source,
                target_framework: libraryId(tgt),
                target_item: r.target,
                relationship: r.type,
                mapping_version: m.version,
              })),
            )
            .onConflict((oc) =>
              oc.columns(['source_framework', 'source_item', 'target_framework', 'target_item']).doNothing(),
            )
            .execute();
        }
      }
      return added;
    },

    async list(ctx: RequestContext): Promise<FrameworkSummary[]> {
      requirePermission(ctx, 'frameworks.read');
      const rows = await db
        .selectFrom('frameworks')
        .selectAll()
        .orderBy('name_en')
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        version: r.version,
        nameEn: r.name_en,
        nameUr: r.name_ur,
        publisher: r.publisher,
        answerScale: r.answer_scale,
        source: r.source,
        kind: r.kind,
        requirementCount: r.requirement_count,
      }));
    },

    async get(ctx: RequestContext, id: string) {
      requirePermission(ctx, 'frameworks.read');
      const f = await db.selectFrom('frameworks').selectAll().where('id', '=', id).executeTakeFirst();
      if (!f) throw new NotFoundError('framework');
      const items = await db
        .selectFrom('framework_items')
        .selectAll()
        .where('framework_id', '=', id)
        .orderBy('sort')
        .execute();
      return {
        id: f.id,
        code: f.code,
        version: f.version,
        nameEn: f.name_en,
        nameUr: f.name_ur,
        publisher: f.publisher,
        answerScale: f.answer_scale,
        source: f.source,
        kind: f.kind,
        requirementCount: f.requirement_count,
        levels: JSON.parse(f.levels_json) as unknown[],
        items: items.map((i) => ({
          id: i.item_id,
          parentId: i.parent_id,
          kind: i.kind,
          title: i.title_en,
          titleUr: i.title_ur,
          statement: i.statement_en,
          statementUr: i.statement_ur,
          dimension: i.dimension,
          assessable: i.assessable === 1,
        })),
      };
    },

    /** Requirements of other frameworks related to one requirement, in both directions. */
    async mappings(ctx: RequestContext, id: string, itemId: string) {
      requirePermission(ctx, 'frameworks.read');
      const out = await db
        .selectFrom('requirement_mappings')
        .select(['target_framework as framework', 'target_item as item', 'relationship'])
        .where('source_framework', '=', id)
        .where('source_item', '=', itemId)
        .execute();
      const back = await db
        .selectFrom('requirement_mappings')
        .select(['source_framework as framework', 'source_item as item', 'relationship'])
        .where('target_framework', '=', id)
        .where('target_item', '=', itemId)
        .execute();
      const inverse: Record<string, string> = { subset: 'superset', superset: 'subset' };
      return [
        ...out,
        ...back.map((b) => ({ ...b, relationship: inverse[b.relationship] ?? b.relationship })),
      ];
    },

    /** Imports an OSCAL catalog (JSON or XML) as a framework; a catalog the library knows borrows its assessable set and dimensions. */
    async importOscal(ctx: RequestContext, file: { content: Buffer; fileName: string }) {
      const actor = requirePermission(ctx, 'frameworks.manage');
      const cat = parseOscal(file.content, file.fileName);
      const match = library.frameworks.find(
        (f) =>
          f.oscal &&
          cat.props['framework-identifier'] === f.oscal.frameworkIdentifier &&
          cat.props['framework-version-identifier'] === f.oscal.versionIdentifier,
      );
      const known = match
        ? new Map<string, Dimension | null>(
            flatten(match.groups)
              .filter((i) => i.assessable)
              .map((i) => [i.itemId, i.dimension]),
          )
        : undefined;
      const items = catalogItems(cat, known);
      const slug = (s: string, keep = '') =>
        s
          .toLowerCase()
          .replace(new RegExp(`[^a-z0-9${keep}]+`, 'g'), '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60);
      const code = `oscal-${slug(match?.id ?? cat.title, '.')}`;
      const version = cat.version || '1';
      // Identifiers stay URL-safe whatever the catalog calls its version.
      const id = `${code}@${slug(version, '.') || '1'}`;
      const now = p.clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        if (await trx.selectFrom('frameworks').select('id').where('id', '=', id).executeTakeFirst()) {
          throw new ConflictError(
            'framework_exists',
            `${cat.title} version ${version} is already in the library.`,
          );
        }
        // Two imports of one catalog at once: the second meets the first's row here.
        await refuseDuplicate(
          () =>
            writeFramework(
              trx,
              {
                id,
                code,
                version,
                nameEn: cat.title,
                nameUr: null,
                publisher: null,
                answerScale: match?.answerScale ?? 'implementation',
                levels: match?.levels ?? [],
                source: 'oscal',
                createdBy: actor.label,
                now,
              },
              items,
            ),
          `${cat.title} version ${version} is already in the library.`,
          'framework_exists',
        );
        await p.audit(trx, ctx, {
          action: 'framework.imported',
          objectType: 'framework',
          objectId: id,
          after: {
            title: cat.title,
            version,
            requirements: items.filter((i) => i.assessable).length,
            matched: match?.id ?? null,
          },
        });
      });
      const requirements = items.filter((i) => i.assessable);
      return {
        id,
        nameEn: cat.title,
        version,
        requirementCount: requirements.length,
        // The groups that hold at least one requirement (CSF 2.0: its 22 categories).
        groupCount: new Set(requirements.map((i) => i.parentId)).size,
        matchedLibrary: match ? libraryId(match) : null,
      };
    },
  };
}
export type FrameworkService = ReturnType<typeof createFrameworkService>;

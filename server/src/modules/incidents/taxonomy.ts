import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Taxonomy = z.object({
  code: z.string(),
  version: z.string(),
  classes: z
    .array(z.object({ code: z.string(), name: z.string(), types: z.array(z.string()).min(1) }))
    .min(1),
});
export type Taxonomy = z.infer<typeof Taxonomy>;

const cache = new Map<string, Taxonomy>();

/** The incident classification (RSIT classes and their types), read once per catalog folder. */
export function loadTaxonomy(catalogDir: string): Taxonomy {
  let t = cache.get(catalogDir);
  if (!t) {
    t = Taxonomy.parse(
      JSON.parse(readFileSync(path.join(catalogDir, 'incident-taxonomy', 'rsit.json'), 'utf8')),
    );
    cache.set(catalogDir, t);
  }
  return t;
}

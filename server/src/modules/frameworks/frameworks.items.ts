import type { FrameworkItem, Dimension } from './framework.model.ts';
import type { OscalCatalog, OscalControl, OscalGroup } from './oscal.ts';

/**
 * OSCAL catalog -> Qila's ordered items. A control is assessable when it states a requirement and
 * is not withdrawn; when the catalog is one Qila's library already knows (`known`), only the
 * library's current requirements are assessable (official catalogs may still carry withdrawn
 * identifiers, as CSF 2.0 carries CSF 1.1's), and the library's dimensions apply.
 */
export function catalogItems(cat: OscalCatalog, known?: Map<string, Dimension | null>): FrameworkItem[] {
  const out: FrameworkItem[] = [];
  const visitControl = (c: OscalControl, parentId: string | null) => {
    const assessable = Boolean(c.statement) && !c.withdrawn && (!known || known.has(c.id));
    out.push({
      itemId: c.id,
      parentId,
      kind: assessable ? 'requirement' : (c.klass ?? 'control'),
      titleEn: c.title || null,
      titleUr: null,
      statementEn: c.statement,
      statementUr: null,
      dimension: known?.get(c.id) ?? null,
      assessable,
    });
    for (const child of c.controls) visitControl(child, c.id);
  };
  const visitGroup = (g: OscalGroup, parentId: string | null) => {
    out.push({
      itemId: g.id,
      parentId,
      kind: g.klass ?? 'group',
      titleEn: g.title,
      titleUr: null,
      statementEn: null,
      statementUr: null,
      dimension: null,
      assessable: false,
    });
    for (const sub of g.groups) visitGroup(sub, g.id);
    for (const c of g.controls) visitControl(c, g.id);
  };
  for (const g of cat.groups) visitGroup(g, null);
  for (const c of cat.controls) visitControl(c, null);
  return out;
}

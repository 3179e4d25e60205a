import { XMLParser } from 'fast-xml-parser';
import { ValidationError } from '../../platform/errors.ts';

/** The parts of an OSCAL catalog Qila keeps, the same whether it came as JSON or XML. */
export interface OscalControl {
  id: string;
  title: string;
  klass: string | null;
  label: string | null;
  statement: string | null;
  withdrawn: boolean;
  controls: OscalControl[];
}
export interface OscalGroup {
  id: string;
  title: string;
  klass: string | null;
  groups: OscalGroup[];
  controls: OscalControl[];
}
export interface OscalCatalog {
  title: string;
  version: string;
  props: Record<string, string>;
  groups: OscalGroup[];
  controls: OscalControl[];
}

type Json = Record<string, unknown>;
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : v ? [v as Json] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** What Qila keeps of an OSCAL parameter to render it where the prose inserts it. */
interface Param {
  label: string;
  values: string[];
  select: { howMany: string; choices: string[] } | null;
}

const INSERT = /\{\{\s*insert:\s*param,\s*([\w.-]+)\s*\}\}/g;

/**
 * Parameters appear in prose as {{ insert: param, id }} and render as the OSCAL docs describe: a set
 * value as itself, a selection as "[Selection (one or more): a; b]" with its choices rendered in
 * turn (a choice may insert another parameter), otherwise "[Assignment: label]".
 */
function renderProse(prose: string, params: Map<string, Param>, depth = 0): string {
  return prose.replace(INSERT, (_m, id: string) => {
    const p = params.get(id);
    // A parameter that inserts itself through its choices would never end; ten levels is plenty.
    if (!p || depth > 10) return '[Assignment: organization-defined value]';
    if (p.values.length) return p.values.join(', ');
    if (p.select) {
      const choices = p.select.choices.map((c) =>
        renderProse(c, params, depth + 1)
          .replace(/\s+/g, ' ')
          .trim(),
      );
      const how = p.select.howMany === 'one-or-more' ? 'Selection (one or more)' : 'Selection';
      return `[${how}: ${choices.join('; ')}]`;
    }
    return `[Assignment: ${p.label || 'organization-defined value'}]`;
  });
}

function statementOf(parts: Json[], params: Map<string, Param>): string | null {
  const statement = parts.find((p) => p.name === 'statement');
  if (!statement) return null;
  const lines: string[] = [];
  const walk = (p: Json, depth: number) => {
    const label = arr(p.props).find((x) => x.name === 'label')?.value;
    const prose = str(p.prose).trim();
    if (prose)
      lines.push(
        `${'  '.repeat(depth)}${label ? `${str(label)} ` : ''}${renderProse(prose, params)}`
          .replace(/\s+/g, ' ')
          .trim(),
      );
    for (const c of arr(p.parts)) walk(c, depth + 1);
  };
  walk(statement, 0);
  return lines.join('\n') || null;
}

function paramsOf(c: Json): Map<string, Param> {
  const m = new Map<string, Param>();
  for (const p of arr(c.params)) {
    const sel = p.select as Json | undefined;
    m.set(str(p.id), {
      label: str(p.label),
      values: (Array.isArray(p.values) ? (p.values as unknown[]) : p.values ? [p.values] : [])
        .map(str)
        .filter(Boolean),
      select: sel
        ? {
            howMany: str(sel['how-many']),
            choices: (Array.isArray(sel.choice) ? (sel.choice as unknown[]) : [sel.choice]).map(str),
          }
        : null,
    });
  }
  return m;
}

function control(c: Json): OscalControl {
  const props = arr(c.props);
  return {
    id: str(c.id),
    title: str(c.title),
    klass: str(c.class) || null,
    label: str(props.find((p) => p.name === 'label')?.value) || null,
    statement: statementOf(arr(c.parts), paramsOf(c)),
    withdrawn: props.some((p) => p.name === 'status' && p.value === 'withdrawn'),
    controls: arr(c.controls).map(control),
  };
}

function group(g: Json): OscalGroup {
  return {
    id: str(g.id),
    title: str(g.title),
    klass: str(g.class) || null,
    groups: arr(g.groups).map(group),
    controls: arr(g.controls).map(control),
  };
}

function fromModel(root: Json): OscalCatalog {
  if (root.profile)
    throw new ValidationError(
      'This is an OSCAL profile; import its resolved catalog (a profile names controls of a catalog it does not contain).',
    );
  const cat = root.catalog as Json | undefined;
  if (!cat) throw new ValidationError('This is not an OSCAL catalog: the document has no "catalog".');
  const md = (cat.metadata ?? {}) as Json;
  const props = Object.fromEntries(arr(md.props).map((p) => [str(p.name), str(p.value)]));
  const out: OscalCatalog = {
    title: str(md.title),
    version: str(md.version),
    props,
    groups: arr(cat.groups).map(group),
    controls: arr(cat.controls).map(control),
  };
  if (!out.title) throw new ValidationError('The OSCAL catalog has no metadata title.');
  return out;
}

export function parseOscalJson(text: string): OscalCatalog {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new ValidationError('The file is not valid JSON.');
  }
  if (!root || typeof root !== 'object') throw new ValidationError('This is not an OSCAL document.');
  return fromModel(root as Json);
}

/** Element text with inline markup (em, insert ...) flattened; inserts become {{ insert: param, id }}. */
function textOf(nodes: Json[]): string {
  let s = '';
  for (const n of nodes) {
    if ('#text' in n) s += str(n['#text']);
    else {
      const tag = Object.keys(n).find((k) => k !== ':@')!;
      const attrs = (n[':@'] ?? {}) as Json;
      if (tag === 'insert') s += `{{ insert: param, ${str(attrs['id-ref'])} }}`;
      else s += textOf(n[tag] as Json[]);
    }
  }
  return s;
}

/**
 * Converts OSCAL XML (ordered nodes) into the JSON model's shape: repeated elements become
 * arrays, attributes become properties, and <p> prose becomes the "prose" string.
 */
function xmlToModel(nodes: Json[]): Json {
  const obj: Json = {};
  const many = new Set(['group', 'control', 'part', 'prop', 'param', 'choice']);
  const plural: Record<string, string> = {
    group: 'groups',
    control: 'controls',
    part: 'parts',
    prop: 'props',
    param: 'params',
    choice: 'choice',
  };
  for (const n of nodes) {
    const tag = Object.keys(n).find((k) => k !== ':@');
    if (!tag || tag === '#text') continue;
    const attrs = (n[':@'] ?? {}) as Json;
    const children = n[tag] as Json[];
    if (tag === 'title' || tag === 'label' || tag === 'version') {
      obj[tag] = textOf(children).replace(/\s+/g, ' ').trim();
    } else if (tag === 'p') {
      obj.prose = [str(obj.prose), textOf(children).replace(/\s+/g, ' ').trim()].filter(Boolean).join('\n');
    } else if (tag === 'choice') {
      ((obj.choice ??= []) as unknown[]).push(textOf(children).trim());
    } else if (tag === 'value') {
      ((obj.values ??= []) as unknown[]).push(textOf(children).trim());
    } else {
      const value = { ...attrs, ...xmlToModel(children) };
      if (many.has(tag)) ((obj[plural[tag]!] ??= []) as Json[]).push(value);
      else obj[tag] = value;
    }
  }
  return obj;
}

export function parseOscalXml(text: string): OscalCatalog {
  // OSCAL needs no DTD; refusing one rules out entity-expansion attacks before parsing.
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new ValidationError('XML with a DOCTYPE or entity declarations is not accepted.');
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    processEntities: true,
  });
  let nodes: Json[];
  try {
    nodes = parser.parse(text) as Json[];
  } catch {
    throw new ValidationError('The file is not well-formed XML.');
  }
  return fromModel(xmlToModel(nodes));
}

export function parseOscal(content: Buffer, fileName: string): OscalCatalog {
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  return /\.xml$/i.test(fileName) || text.trimStart().startsWith('<')
    ? parseOscalXml(text)
    : parseOscalJson(text);
}

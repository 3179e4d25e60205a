import { readdirSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.ts';
import { createTestApp, type TestApp } from '../harness.ts';
import { makeAgent, twoTenants, type Agent, type Scopes, type Who } from '../authorization/agents.ts';
import { RULES, type Req, type Rule } from '../authorization/rules.ts';

// Every published operation that takes a body, a query or path parameters gets a seeded sample
// of malformed input from a privileged caller. Whatever the input: no 5xx, every 4xx is
// application/problem+json with `code` and `detail`, and a refused request writes nothing.

const SEED = Number(process.env.QILA_HOSTILE_SEED ?? 20260417);
/** Variants sent per operation: one of each kind that applies, then random others up to this. */
const PER_ROUTE = 30;
const MiB = 1024 * 1024;

/** mulberry32: small, fast and reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    shuffle: <T>(xs: T[]): T[] => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
  };
}

const UNICODE = [
  'Ünïcødé \u202Egnp.exe\u202C \u200B\u200C\u200D\uFEFF 🚨🇵🇰👩‍👩‍👧‍👦 اردو',
  'nul\u0000byte',
  'lone \ud800 surrogate',
  '\u200B\u200B\u200B',
  '\u0007\u001b[31mred\u001b[0m\r\n',
];
const INJECTION = [
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../etc/passwd',
  "' OR '1'='1",
  '%00',
];
const NUMBERS = ['-1', '1e308', '9007199254740993', '1.5', '-0', '1e999', '0x10'];
const DEEP = 10_000;

interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  format?: string;
  items?: Schema;
  minItems?: number;
  minimum?: number;
  default?: unknown;
}
interface Param {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  summary?: string;
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

interface Variant {
  kind: string;
  label: string;
  /** The field the variant breaks, as the problem's errors[].path should name it. */
  field?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
}

const typesOf = (s: Schema | undefined): string[] =>
  !s
    ? []
    : s.anyOf || s.oneOf
      ? (s.anyOf ?? s.oneOf)!.flatMap(typesOf)
      : Array.isArray(s.type)
        ? s.type
        : s.type
          ? [s.type]
          : [];
const isUnion = (s: Schema) => Boolean(s.anyOf ?? s.oneOf);

/** A value of another JSON type than the field takes. */
function wrongType(value: unknown, schema: Schema | undefined): unknown {
  const t = value === undefined ? typesOf(schema)[0] : Array.isArray(value) ? 'array' : typeof value;
  switch (t) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return '12';
    case 'boolean':
      return 'yes';
    case 'array':
      return { 0: 'x' };
    case 'object':
      return ['x'];
    default:
      return { unexpected: true };
  }
}

/** Percent-encodes every byte outside the unreserved set (a lone surrogate becomes U+FFFD). */
const enc = (v: string) =>
  [...Buffer.from(v, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');

/** A plausible value for a schema, for operations the authorization rules do not cover yet. */
function sample(s: Schema | undefined): unknown {
  if (!s) return 'x';
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return sample(alternatives.find((x) => x.type !== 'null') ?? alternatives[0]);
  const type = typesOf(s).find((t) => t !== 'null');
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, sample(s.properties?.[k])]));
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    default:
      return (
        {
          uuid: crypto.randomUUID(),
          date: '2026-06-01',
          'date-time': new Date().toISOString(),
          uri: 'https://example.pk',
          email: 'someone@example.pk',
        }[s.format ?? ''] ?? 'sample'
      );
  }
}

function fallbackRequest(template: string, op: Operation): Req {
  const params = op.parameters ?? [];
  const pathname = template.replace(/\{(\w+)\}/g, (_m, name: string) =>
    enc(String(sample(params.find((p) => p.in === 'path' && p.name === name)?.schema))),
  );
  const q = new URLSearchParams();
  for (const p of params) if (p.in === 'query' && p.required) q.set(p.name, String(sample(p.schema)));
  const body = op.requestBody?.content['application/json']?.schema;
  return {
    url: pathname + (q.size ? `?${q.toString()}` : ''),
    ...(body ? { payload: sample(body) as Record<string, unknown> } : {}),
  };
}

const deepArrays = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const deepObjects = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;

/** A JSON body with one field's value replaced by raw JSON text. */
const withRaw = (base: Record<string, unknown>, field: string, raw: string) =>
  JSON.stringify({ ...base, [field]: '\u0001RAW\u0001' }).replace('"\\u0001RAW\\u0001"', raw);

function bodyVariants(
  url: string,
  base: Record<string, unknown>,
  schema: Schema,
  r: ReturnType<typeof rng>,
): Variant[] {
  const props = schema.properties ?? {};
  const fields = [...new Set([...Object.keys(props), ...Object.keys(base)])];
  const strings = fields.filter((f) => typeof base[f] === 'string' || typesOf(props[f]).includes('string'));
  const numbers = fields.filter((f) => typesOf(props[f]).some((t) => t === 'number' || t === 'integer'));
  const json = (payload: string, kind: string, label: string, field?: string): Variant => ({
    kind,
    label,
    field,
    url,
    payload,
    headers: { 'content-type': 'application/json' },
  });
  const out: Variant[] = [];
  for (const root of ['[]', '"text"', '42', 'null', 'true'])
    out.push(json(root, 'root-type', `root ${root}`));
  // In a union the error may name the discriminator instead of the field.
  const named = (f: string) => (isUnion(schema) ? undefined : f);
  for (const f of fields)
    out.push(
      json(
        JSON.stringify({ ...base, [f]: wrongType(base[f], props[f]) }),
        'wrong-type',
        `${f} wrong type`,
        named(f),
      ),
    );
  for (const f of schema.required ?? []) {
    const { [f]: _gone, ...rest } = base;
    out.push(json(JSON.stringify(rest), 'missing', `${f} missing`, named(f)));
  }
  out.push(
    json(
      JSON.stringify({ ...base, zzUnknown: 'x', isAdmin: true, role: 'authority_admin' }),
      'extra',
      'unknown fields',
    ),
  );
  out.push(json(`{"__proto__":{"isAdmin":true},${JSON.stringify(base).slice(1)}`, 'proto', '__proto__ key'));
  out.push(
    json(
      `{"constructor":{"prototype":{"isAdmin":true}},${JSON.stringify(base).slice(1)}`,
      'proto',
      'constructor.prototype',
    ),
  );
  out.push(json(deepArrays, 'deep', 'root nested 10,000 deep'));
  for (const f of fields) {
    out.push(json(withRaw(base, f, r.pick([deepArrays, deepObjects])), 'deep', `${f} nested 10,000 deep`, f));
  }
  for (const f of strings) {
    out.push(json(JSON.stringify({ ...base, [f]: 'A'.repeat(MiB) }), 'huge', `${f} 1 MiB`, f));
    out.push(json(JSON.stringify({ ...base, [f]: 'B'.repeat(200_000) }), 'long', `${f} 200 kB`, f));
    for (const u of UNICODE)
      out.push(json(JSON.stringify({ ...base, [f]: u }), 'unicode', `${f} ${JSON.stringify(u)}`, f));
    for (const s of INJECTION) out.push(json(JSON.stringify({ ...base, [f]: s }), 'injection', `${f} ${s}`));
  }
  for (const f of numbers)
    for (const n of NUMBERS) out.push(json(withRaw(base, f, n), 'number', `${f} = ${n}`, f));
  for (const text of [
    '{"a":',
    'not json',
    '',
    "{'single': 1}",
    'NaN',
    '\uFEFF{}',
    '{"a":1}{"b":2}',
    '\u0000',
  ])
    out.push(json(text, 'not-json', `body ${JSON.stringify(text)}`));
  const b = JSON.stringify(base);
  for (const [ct, payload] of [
    ['text/plain', b],
    ['application/xml', '<incident><title>x</title></incident>'],
    ['application/x-www-form-urlencoded', 'title=x&version=1'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    ],
    ['application/json; charset=utf-16', b],
    ['application/octet-stream', b],
  ] as const)
    out.push({ kind: 'content-type', label: ct, url, payload, headers: { 'content-type': ct } });
  return out;
}

function paramVariants(template: string, base: URL, params: Param[], r: ReturnType<typeof rng>): Variant[] {
  const out: Variant[] = [];
  const segments = base.pathname.split('/');
  const names = template.split('/');
  for (const p of params.filter((x) => x.in === 'path')) {
    const at = names.indexOf(`{${p.name}}`);
    const hostile: [string, boolean][] = [
      ['not-a-uuid', false],
      ['00000000-0000-0000-0000-00000000000g', false],
      ['00000000-0000-0000-0000-000000000000', false],
      ["' OR '1'='1", false],
      ['../../etc/passwd', false],
      ['..%2F..%2Fetc%2Fpasswd', true],
      ['%00', true],
      ['%', true],
      ['%E0%A4%A', true],
      ['-1', false],
      ['1e999', false],
      ['A'.repeat(5000), false],
      [r.pick(UNICODE), false],
      [r.pick(INJECTION), false],
    ];
    for (const [value, raw] of hostile) {
      const segs = [...segments];
      segs[at] = raw ? value : enc(value);
      out.push({
        kind: 'path',
        label: `${p.name} = ${JSON.stringify(value.slice(0, 40))}`,
        field: `params.${p.name}`,
        url: segs.join('/') + base.search,
      });
    }
  }
  for (const p of params.filter((x) => x.in === 'query')) {
    const types = typesOf(p.schema);
    const values = [
      ...(types.some((t) => t === 'number' || t === 'integer') ? NUMBERS : []),
      'abc',
      'X'.repeat(100_000),
      r.pick(UNICODE),
      r.pick(INJECTION),
    ];
    for (const v of values) {
      const q = new URLSearchParams(base.search);
      q.set(p.name, v);
      out.push({
        kind: 'query',
        label: `${p.name} = ${JSON.stringify(v.slice(0, 40))}`,
        field: `querystring.${p.name}`,
        url: `${base.pathname}?${q.toString()}`,
      });
    }
    const twice = new URLSearchParams(base.search);
    twice.append(p.name, 'a');
    twice.append(p.name, 'b');
    out.push({ kind: 'query', label: `${p.name} twice`, url: `${base.pathname}?${twice.toString()}` });
    if (p.required) {
      const q = new URLSearchParams(base.search);
      q.delete(p.name);
      out.push({
        kind: 'missing',
        label: `${p.name} missing`,
        field: `querystring.${p.name}`,
        url: `${base.pathname}?${q.toString()}`,
      });
    }
  }
  if (params.some((x) => x.in === 'query')) {
    const q = new URLSearchParams(base.search);
    q.set('zzUnknown', '1');
    q.set('__proto__[isAdmin]', 'true');
    out.push({ kind: 'query', label: 'unknown parameters', url: `${base.pathname}?${q.toString()}` });
  }
  for (const p of params.filter((x) => x.in === 'header'))
    for (const v of ['short', 'has spaces in it', 'k'.repeat(300), 'ctl\u007fchar'])
      out.push({
        kind: 'header',
        label: `${p.name}: ${v.slice(0, 20)}`,
        field: `headers.${p.name}`,
        url: base.pathname + base.search,
        headers: { [p.name]: v },
      });
  return out;
}

/** One multipart/form-data body with a file part (raw bytes in the name are kept as given). */
function multipart(fileName: string, content: Buffer, type = 'application/octet-stream', field = 'file') {
  const boundary = `----qilahostile${Math.random().toString(36).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`,
    'latin1',
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * A zip whose one entry inflates from a few kB to 50 MB of zeros and honestly declares that
 * size in its headers, named like a workbook's sheet so spreadsheet readers open it.
 */
function zipBomb(): Buffer {
  const size = 50 * MiB;
  const zeros = Buffer.alloc(size);
  const data = deflateRawSync(zeros, { level: 9 });
  const crc = crc32(zeros);
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** Content each upload route accepts, so that only the file name is hostile. */
function goodContent(route: string): { name: string; content: Buffer } {
  if (route.includes('/registry/imports'))
    return { name: 'x.csv', content: Buffer.from('registration_no,name_en\nHOSTILE-1,Hostile Ltd\n') };
  if (route.includes('/frameworks/import'))
    return {
      name: 'x.json',
      content: Buffer.from(
        JSON.stringify({
          catalog: {
            uuid: crypto.randomUUID(),
            metadata: { title: `Hostile ${Math.random().toString(36).slice(2)}`, version: '1' },
            controls: [{ id: 'h-1', title: 'H', parts: [{ name: 'statement', prose: 'Do it.' }] }],
          },
        }),
      ),
    };
  return { name: 'x.txt', content: Buffer.from('Plain evidence.\n') };
}

const TRAVERSAL_NAMES = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/shadow',
  'evil\u0000.txt.exe',
  'ctl\u0001\u0007\u001b.txt',
  '....//....//x.txt',
  '.hidden',
  '\u202Etxt.exe',
];

function uploadVariants(url: string, route: string, bomb: Buffer): Variant[] {
  const v = (
    kind: string,
    label: string,
    m: { payload: Buffer | string; headers: Record<string, string> },
  ) => ({
    kind,
    label,
    url,
    ...m,
  });
  const good = goodContent(route);
  const bombName = route.includes('/incidents/') ? 'logs.zip' : 'sheet.xlsx';
  return [
    v('zip-bomb', `zip bomb as ${bombName}`, multipart(bombName, bomb, 'application/zip')),
    v(
      'magic-exe',
      'MZ executable named .pdf',
      multipart(
        'invoice.pdf',
        Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'),
        'application/pdf',
      ),
    ),
    v(
      'magic-exe',
      'MZ executable named .csv',
      multipart(
        'list.csv',
        Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(64)]),
        'text/csv',
      ),
    ),
    // Accepted where PNG is: the type comes from the bytes, not the name.
    v(
      'magic-png',
      'PNG named .txt',
      multipart('notes.txt', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'text/plain'),
    ),
    // Fresh content per name: a second identical catalog would only be refused as a duplicate.
    ...TRAVERSAL_NAMES.map((n) => {
      const g = goodContent(route);
      return v(
        'file-name',
        `file name ${JSON.stringify(n)}`,
        multipart(n + (path.extname(n) ? '' : path.extname(g.name)), g.content),
      );
    }),
    v('empty', 'empty file', multipart(good.name, Buffer.alloc(0))),
    v('no-file', 'no file part', {
      payload: '--nf\r\nContent-Disposition: form-data; name="note"\r\n\r\nno file here\r\n--nf--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=nf' },
    }),
    v('too-large', 'file over the upload limit', multipart(good.name, Buffer.alloc(2 * MiB + 10, 0x41))),
    v('content-type', 'JSON to an upload route', {
      payload: '{"file":"x"}',
      headers: { 'content-type': 'application/json' },
    }),
    v('content-type', 'multipart without boundary', {
      payload: 'x',
      headers: { 'content-type': 'multipart/form-data' },
    }),
    v('content-type', 'multipart never closed', {
      payload: '------b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=----b' },
    }),
  ];
}

const PREFERRED: Who[] = [
  'authority_admin',
  'entity_admin',
  'cert_analyst',
  'entity_member',
  'authority_analyst',
  'sector_regulator',
];

/** A caller the route lets through, so that input reaches validation and the service. */
function callerFor(rule: Rule): Exclude<Who, 'anonymous'> {
  if (rule.allow === 'everyone' || rule.allow === 'signed-in') return 'authority_admin';
  const allow = rule.allow;
  return (PREFERRED.find((w) => allow.includes(w)) ?? allow[0]!) as Exclude<Who, 'anonymous'>;
}

/** Audit records a refused request may leave on purpose: failed sign-ins are security events. */
/** Variants whose validation error must name the field they broke. */
const NAMING = new Set(['wrong-type', 'missing', 'path', 'query', 'header']);
const HASHED = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/;
const REFUSAL_AUDITS = /^auth\.(.+_failed|locked)$/;
const COUNTED = [
  'entities',
  'incidents',
  'incident_reports',
  'campaigns',
  'users',
  'files',
  'frameworks',
] as const;

interface Failure {
  route: string;
  kind: string;
  label: string;
  status: number;
  /** The answer's `code` (ours or Fastify's), when it has one. */
  code: string | null;
  /** The request carried a U+0000 character. */
  nul: boolean;
  message: string;
}

describe('hostile input on every operation', () => {
  let t: TestApp;
  let s: Scopes;
  let doc: { paths: Record<string, Record<string, Operation>> };
  let ip = 0;
  const failures: Failure[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { QILA_MAX_UPLOAD_MB: '2' } });
    await loadDemo(t.p, { entities: 40, incidents: false });
    s = await twoTenants(t.p);
    doc = (await t.app.inject('/api/openapi.json')).json();
  });
  afterAll(() => t.close());

  async function snapshot() {
    const counts = sql.join(COUNTED.map((c) => sql`(select count(*) from ${sql.table(c)}) as ${sql.ref(c)}`));
    const { rows } = await sql<
      Record<string, number>
    >`select ${counts}, (select coalesce(max(seq), 0) from audit_log) as audit_seq`.execute(t.p.db);
    return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
  }

  /** Sends one variant; every promise it breaks goes to `sink`. Returns the status. */
  async function attempt(
    method: string,
    route: string,
    agent: Agent,
    v: Variant,
    sink: Failure[] = failures,
  ): Promise<number> {
    const before = await snapshot();
    const write = method !== 'GET';
    const nul =
      /%00/.test(v.url) ||
      (typeof v.payload === 'string' && (v.payload.includes('\u0000') || v.payload.includes('\\u0000')));
    let res: Awaited<ReturnType<TestApp['app']['inject']>>;
    try {
      res = await t.app.inject({
        method: method as 'GET',
        url: v.url,
        headers: { ...agent.headers(write), ...(v.headers ?? {}) },
        remoteAddress: `10.77.${Math.floor(++ip / 250) % 250}.${ip % 250}`,
        ...(v.payload !== undefined && write ? { payload: v.payload } : {}),
      });
    } catch (err) {
      // The connection was dropped without an answer.
      sink.push({
        route: `${method} ${route}`,
        kind: v.kind,
        label: v.label,
        status: 0,
        code: null,
        nul,
        message: `no response: ${(err as Error).message}`,
      });
      return 0;
    }
    let body: { code?: unknown; detail?: unknown; status?: unknown; errors?: { path: unknown }[] } = {};
    try {
      body = res.json();
    } catch {
      // not JSON: reported below when it should have been
    }
    const fail = (message: string) =>
      sink.push({
        route: `${method} ${route}`,
        kind: v.kind,
        label: v.label,
        status: res.statusCode,
        code: typeof body.code === 'string' ? body.code : null,
        nul,
        message,
      });
    const status = res.statusCode;
    if (status >= 500) fail(`${status} ${res.body.slice(0, 200)}`);
    if (status >= 400 && status < 500) {
      const ct = String(res.headers['content-type'] ?? '');
      if (!ct.startsWith('application/problem+json'))
        fail(`${status} with content-type "${ct}": ${res.body.slice(0, 160)}`);
      else if (typeof body.code !== 'string' || typeof body.detail !== 'string' || body.status !== status)
        fail(`problem without code/detail/status: ${res.body.slice(0, 200)}`);
      else if (body.code === 'validation_failed' && v.field && NAMING.has(v.kind)) {
        // The error names the field the variant broke (when the error is about that part at all).
        const want = v.field.includes('.') ? v.field : `body.${v.field}`;
        const part = want.split('.')[0]!;
        const paths = (body.errors ?? []).map((e) => String(e.path));
        if (!paths.length)
          fail(`validation_failed without errors[] naming ${want}: ${res.body.slice(0, 200)}`);
        else if (
          (part === 'body' || paths.some((p) => p.startsWith(part))) &&
          !paths.some((p) => p === want || p.startsWith(`${want}.`))
        )
          fail(`errors[].path does not name ${want}: ${JSON.stringify(paths).slice(0, 200)}`);
      }
    }
    if (status >= 400) {
      const after = await snapshot();
      for (const c of COUNTED)
        if (after[c] !== before[c]) fail(`refused (${status}) but ${c} went ${before[c]} -> ${after[c]}`);
      if (after.audit_seq !== before.audit_seq) {
        const added = await t.p.db
          .selectFrom('audit_log')
          .select('action')
          .where('seq', '>', before.audit_seq!)
          .execute();
        const odd = added.filter((x) => !REFUSAL_AUDITS.test(x.action));
        if (odd.length) fail(`refused (${status}) but audited ${odd.map((x) => x.action).join(', ')}`);
      }
    }
    return status;
  }

  const unexplained = (fs: Failure[]) =>
    fs.map((f) => `${f.route} [${f.kind}] ${f.label.slice(0, 60)}: ${f.message}`);

  it('answers malformed bodies, queries and path parameters with a problem, and writes nothing', async () => {
    const r = rng(SEED);
    let sent = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase();
        const route = template.replace(/\{(\w+)\}/g, ':$1');
        const params = op.parameters ?? [];
        const body = op.requestBody?.content['application/json']?.schema;
        if (!body && !params.length) continue;
        if (/multipart/.test(op.summary ?? '')) continue; // the upload test below
        // The authorization rules build a valid request; a route they do not know yet gets one from its schema.
        const rule = RULES[`${method} ${route}`];
        const agent = await makeAgent(t.p, rule ? callerFor(rule) : 'authority_admin', s);
        const base: Req = rule ? await rule.request({ p: t.p, s, agent }) : fallbackRequest(template, op);
        const json =
          base.payload &&
          !Buffer.isBuffer(base.payload) &&
          typeof base.payload === 'object' &&
          !Array.isArray(base.payload)
            ? base.payload
            : undefined;
        const all = [
          ...(body && json ? bodyVariants(base.url, json, body, r) : []),
          ...paramVariants(template, new URL(base.url, 'http://x'), params, r),
        ];
        // One of each kind, then random others.
        const byKind = new Map<string, Variant>();
        for (const v of r.shuffle(all)) if (!byKind.has(v.kind)) byKind.set(v.kind, v);
        const chosen = [...byKind.values()];
        for (const v of all) if (chosen.length < PER_ROUTE && !chosen.includes(v)) chosen.push(v);
        for (const v of chosen) {
          // Parameter variants of a body route keep the valid body.
          const sendable =
            v.payload === undefined && base.payload !== undefined
              ? {
                  ...v,
                  payload: JSON.stringify(base.payload),
                  headers: { 'content-type': 'application/json', ...v.headers },
                }
              : v;
          await attempt(method, route, agent, sendable);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(unexplained(failures)).toEqual([]);
  }, 120_000);

  it('refuses hostile uploads and keeps stored names free of directories', async () => {
    const bomb = zipBomb();
    expect(bomb.length).toBeLessThan(200_000);
    const uploads = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => /multipart/.test(op.summary ?? ''))
        .map(([m, op]) => ({
          method: m.toUpperCase(),
          route: template.replace(/\{(\w+)\}/g, ':$1'),
          template,
          op,
        })),
    );
    expect(uploads.length).toBeGreaterThanOrEqual(4);
    const sink: Failure[] = [];
    const before = (await snapshot()).files!;
    for (const { method, route, template, op } of uploads) {
      const rule = RULES[`${method} ${route}`];
      const agent = await makeAgent(t.p, rule ? callerFor(rule) : 'authority_admin', s);
      const base = rule ? await rule.request({ p: t.p, s, agent }) : fallbackRequest(template, op);
      for (const v of uploadVariants(base.url, route, bomb)) {
        const status = await attempt(method, route, agent, v, sink);
        // The registry import opens workbooks, so it must refuse the bomb; attachments are kept as sent.
        const mustRefuse =
          ['magic-exe', 'empty', 'no-file', 'too-large', 'content-type'].includes(v.kind) ||
          (v.kind === 'zip-bomb' && route.includes('/registry/imports'));
        if (mustRefuse && status < 400)
          sink.push({
            route: `${method} ${route}`,
            kind: v.kind,
            label: v.label,
            status,
            code: null,
            nul: false,
            message: `accepted with ${status}`,
          });
      }
    }
    expect(unexplained(sink)).toEqual([]);
    // Whatever was accepted is recorded under a bare name and stored only under its content hash.
    const stored = await t.p.db.selectFrom('files').select(['original_name', 'storage_key']).execute();
    expect(stored.length).toBeGreaterThan(before);
    for (const f of stored) {
      expect(f.original_name).not.toMatch(/[\\/]|\p{Cc}|^\./u);
      expect(f.storage_key.split(path.sep).join('/')).toMatch(HASHED);
    }
    const root = path.join(t.tdb.dataDir, 'files');
    const onDisk = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    expect(onDisk.filter((f) => !HASHED.test(f))).toEqual([]);
  }, 60_000);
});

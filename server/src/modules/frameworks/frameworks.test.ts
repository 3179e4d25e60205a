import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, standardsDir, type Agent, type TestApp } from '../../../test/harness.ts';
import { parseOscal } from './oscal.ts';

// Official documents for CI to read in place (never copied into the project).
const STANDARDS = standardsDir();
const CSF_XML = path.join(STANDARDS, 'nist-csf-2.0/NIST_CSF_v2.0_catalog.xml');
const SP800_53 = path.join(
  STANDARDS,
  'nist-sp800-53-rev5/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json',
);

function multipart(fileName: string, content: Buffer) {
  const boundary = '----qilaFrameworks';
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe('OSCAL parameters in statements', () => {
  type Control = { id: string; statement: string | null; controls: Control[] };
  const all = (cs: Control[]): Control[] => cs.flatMap((c) => [c, ...all(c.controls)]);

  it('leaves no {{ insert }} in any statement of the SP 800-53 LOW catalog; choices render their own parameters', () => {
    const cat = parseOscal(readFileSync(SP800_53), 'low.json');
    const controls = all(cat.groups.flatMap((g) => g.controls));
    expect(controls).toHaveLength(149);
    expect(controls.filter((c) => c.statement?.includes('{{')).map((c) => c.id)).toEqual([]);
    const ra52 = controls.find((c) => c.id === 'ra-5.2')!.statement!;
    expect(ra52).toContain(
      '[Selection (one or more): [Assignment: frequency]; prior to a new scan; when new vulnerabilities are identified and reported]',
    );
    expect(controls.find((c) => c.id === 'ac-7')!.statement).toContain(
      'lock the account or node for [Assignment: time period];',
    );
  });

  it('renders a set value as itself, a single selection and a label, in JSON and in XML', () => {
    const json = JSON.stringify({
      catalog: {
        metadata: { title: 'T' },
        controls: [
          {
            id: 'x-1',
            title: 'X',
            params: [
              { id: 'p1', label: 'frequency', values: ['monthly'] },
              { id: 'p2', select: { choice: ['on paper', 'by {{ insert: param, p3 }}'] } },
              { id: 'p3', label: 'channel' },
            ],
            parts: [
              { name: 'statement', prose: 'Review {{ insert: param, p1 }}, report {{ insert: param, p2 }}.' },
            ],
          },
        ],
      },
    });
    const xml = `<?xml version="1.0"?><catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"><metadata><title>T</title></metadata>
      <control id="x-1"><title>X</title>
        <param id="p1"><label>frequency</label><value>monthly</value></param>
        <param id="p2"><select><choice>on paper</choice><choice>by <insert type="param" id-ref="p3"/></choice></select></param>
        <param id="p3"><label>channel</label></param>
        <part name="statement"><p>Review <insert type="param" id-ref="p1"/>, report <insert type="param" id-ref="p2"/>.</p></part>
      </control></catalog>`;
    const want = 'Review monthly, report [Selection: on paper; by [Assignment: channel]].';
    expect(parseOscal(Buffer.from(json), 'x.json').controls[0]!.statement).toBe(want);
    expect(parseOscal(Buffer.from(xml), 'x.xml').controls[0]!.statement).toBe(want);
  });
});

describe('framework library', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signInAs({
      email: 'a@x.gov',
      displayName: 'A',
      roles: [{ role: 'authority_admin', scopeKind: 'national', scopeValue: null }],
    });
  });
  afterAll(() => t.close());

  it('loads CSF 2.0 from the catalogs: 6 functions, 22 categories, 106 subcategories, each in one of the four dimensions', async () => {
    const f = (
      await t.app.inject({ url: '/api/frameworks/nist-csf-2.0@2.0', headers: admin.headers() })
    ).json<{
      requirementCount: number;
      items: {
        id: string;
        kind: string;
        parentId: string | null;
        dimension: string | null;
        assessable: boolean;
      }[];
    }>();
    expect(f.requirementCount).toBe(106);
    expect(f.items.filter((i) => i.kind === 'function').map((i) => i.id)).toEqual([
      'GV',
      'ID',
      'PR',
      'DE',
      'RS',
      'RC',
    ]);
    expect(f.items.filter((i) => i.kind === 'category')).toHaveLength(22);
    const reqs = f.items.filter((i) => i.assessable);
    expect(reqs.every((r) => ['legal', 'institutional', 'human', 'technical'].includes(r.dimension!))).toBe(
      true,
    );
    expect(reqs.filter((r) => r.parentId === 'ID.AM').map((r) => r.id)).toEqual([
      'ID.AM-01',
      'ID.AM-02',
      'ID.AM-03',
      'ID.AM-04',
      'ID.AM-05',
      'ID.AM-07',
      'ID.AM-08',
    ]);
  });

  it('maps CSF 2.0 to ISO/IEC 27001:2022 Annex A, readable from both sides', async () => {
    const fromCsf = (
      await t.app.inject({
        url: '/api/frameworks/nist-csf-2.0@2.0/requirements/PR.AA-01/mappings',
        headers: admin.headers(),
      })
    ).json<{ items: { framework: string }[] }>();
    expect(fromCsf.items.length).toBeGreaterThan(0);
    expect(fromCsf.items.every((m) => m.framework === 'iso-27001-2022@2022')).toBe(true);
    const iso = (
      await t.app.inject({ url: '/api/frameworks/iso-27001-2022@2022', headers: admin.headers() })
    ).json<{ requirementCount: number }>();
    expect(iso.requirementCount).toBe(93);
  });

  it('imports the official CSF 2.0 OSCAL catalog (XML): 106 assessable subcategories under 22 categories', async () => {
    const m = multipart('NIST_CSF_v2.0_catalog.xml', readFileSync(CSF_XML));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/frameworks/import',
      headers: { ...admin.headers(true), ...m.headers },
      payload: m.payload,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      requirementCount: 106,
      groupCount: 22,
      matchedLibrary: 'nist-csf-2.0@2.0',
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/frameworks/import',
      headers: { ...admin.headers(true), ...m.headers },
      payload: m.payload,
    });
    expect(again.statusCode).toBe(409);
  });

  it('imports the SP 800-53 LOW resolved catalog (JSON), with parameters rendered in statements', async () => {
    const cat = parseOscal(readFileSync(SP800_53), 'low.json');
    expect(cat.groups.length).toBeGreaterThan(10);
    const m = multipart('low.json', readFileSync(SP800_53));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/frameworks/import',
      headers: { ...admin.headers(true), ...m.headers },
      payload: m.payload,
    });
    expect(res.statusCode).toBe(201);
    const { id, requirementCount } = res.json<{ id: string; requirementCount: number }>();
    expect(requirementCount).toBeGreaterThan(100);
    const f = (await t.app.inject({ url: `/api/frameworks/${id}`, headers: admin.headers() })).json<{
      items: { id: string; statement: string | null }[];
    }>();
    const ac1 = f.items.find((i) => i.id === 'ac-1')!;
    expect(ac1.statement).toMatch(/\[/);
    expect(ac1.statement).not.toMatch(/\{\{/);
  });

  it('refuses what is not an OSCAL catalog, with a clear problem', async () => {
    const cases: [string, string, RegExp][] = [
      ['profile.json', JSON.stringify({ profile: { uuid: 'x', metadata: { title: 'P' } } }), /profile/],
      ['nothing.json', '{"hello": 1}', /not an OSCAL catalog/],
      ['bad.json', '{', /not valid JSON/],
      ['evil.xml', '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><catalog/>', /DOCTYPE/],
    ];
    for (const [name, body, why] of cases) {
      const m = multipart(name, Buffer.from(body));
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/frameworks/import',
        headers: { ...admin.headers(true), ...m.headers },
        payload: m.payload,
      });
      expect(res.statusCode, name).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(why);
    }
    const obs = await t.signInAs({
      email: 'o@x.gov',
      displayName: 'O',
      roles: [{ role: 'observer', scopeKind: 'national', scopeValue: null }],
    });
    expect((await t.app.inject({ url: '/api/frameworks', headers: obs.headers() })).statusCode).toBe(200);
    const m = multipart('x.json', Buffer.from('{}'));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/frameworks/import',
          headers: { ...obs.headers(true), ...m.headers },
          payload: m.payload,
        })
      ).statusCode,
    ).toBe(403);
  });
});

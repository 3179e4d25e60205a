import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { standardsDir } from '../../../test/harness.ts';
import { incidentBundle, indicatorBundle, type StixBundle, type StixIncidentInput } from './stix.ts';

const SCHEMA_DIR = path.join(standardsDir(), 'stix-2.1', 'schemas');
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';
const PATCHED_BUNDLE = `${BASE}common/bundle-with-incident.json`;

const MARKINGS = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const TLP_EXT = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const INCIDENT_EXT = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
const STIX_ID =
  /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SCO_TYPES = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file']);

/** Every official schema, so that the $id references between them resolve. */
function loadSchemas() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  // ajv-formats has no idn-hostname; labels of letters, digits and inner hyphens.
  ajv.addFormat(
    'idn-hostname',
    /^(?=.{1,253}$)[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)*$/u,
  );
  for (const dir of ['common', 'sdos', 'sros', 'observables']) {
    for (const file of readdirSync(path.join(SCHEMA_DIR, dir)).filter((f) => f.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMA_DIR, dir, file), 'utf8')) as object);
    }
  }
  // The official bundle.json leaves incident out of its list of known objects, so an incident falls
  // to the custom-object branch, where it matches both core and cyber-observable-core and fails the
  // oneOf. The copy below adds incident to that list and changes nothing else.
  const bundle = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'common', 'bundle.json'), 'utf8')) as {
    $id: string;
    properties: { objects: { items: { anyOf: [{ oneOf: object[] }] } } };
  };
  bundle.$id = PATCHED_BUNDLE;
  bundle.properties.objects.items.anyOf[0].oneOf.push({ $ref: '../sdos/incident.json' });
  ajv.addSchema(bundle);
  return ajv;
}
const ajv = loadSchemas();

function schemaFor(type: string): string {
  if (type === 'marking-definition') return `${BASE}common/marking-definition.json`;
  if (type === 'relationship' || type === 'sighting') return `${BASE}sros/${type}.json`;
  if (SCO_TYPES.has(type)) return `${BASE}observables/${type}.json`;
  return `${BASE}sdos/${type}.json`;
}

function errorsOf(schemaId: string, doc: unknown) {
  const validate = ajv.getSchema(schemaId);
  if (!validate) throw new Error(`no schema ${schemaId}`);
  return validate(doc) ? [] : (validate.errors ?? []).slice(0, 5);
}

/** The bundle against bundle.json and each object against the schema of its type. */
function expectValid(bundle: StixBundle, bundleSchema = `${BASE}common/bundle.json`) {
  expect(errorsOf(bundleSchema, bundle)).toEqual([]);
  for (const o of bundle.objects) {
    expect({ id: o.id, errors: errorsOf(schemaFor(o.type as string), o) }).toEqual({ id: o.id, errors: [] });
  }
}

const ofType = (b: StixBundle, type: string) => b.objects.filter((o) => o.type === type);
const one = (b: StixBundle, type: string) => {
  const found = ofType(b, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

const ENTITY_ID = '0195f3a0-1c2d-7abc-8def-0123456789ab';
const SHA256 = 'ab'.repeat(32);

function input(over: Partial<StixIncidentInput> = {}): StixIncidentInput {
  return {
    id: '0196a1b2-0000-7000-8000-00000000002a',
    reference: 'INC-2026-000042',
    title: 'Ransomware on billing servers',
    summary: 'Billing systems were encrypted; backups are being restored.',
    severity: 'high',
    status: 'investigating',
    rsitClass: 'availability',
    rsitType: 'ddos',
    tlp: 'AMBER+STRICT',
    awareAt: '2026-03-02T09:30:00Z',
    detectedAt: '2026-03-02T08:15:00+01:00',
    reportedAt: '2026-03-02T11:00:00.123456Z',
    updatedAt: '2026-03-04T16:45:10Z',
    entity: { id: ENTITY_ID, name: 'Karachi Telecom Ltd', sector: 'telecom' },
    producer: { id: '0190aaaa-bbbb-7ccc-9ddd-eeeeffff0000', name: 'National CERT' },
    details: {
      usersAffected: 12000,
      downtimeHours: 6.5,
      financialLoss: 25000,
      personalData: false,
      crossBorder: true,
      crossBorderCountries: ['AE', 'GB'],
      suspectedMalicious: true,
      affectedServices: ['Billing', 'Top-up'],
    },
    observables: [
      { type: 'ipv4', value: '198.51.100.7' },
      { type: 'ipv6', value: '2001:db8::1' },
      { type: 'domain', value: 'evil.example' },
      { type: 'url', value: 'http://evil.example/payload.bin' },
      { type: 'email', value: 'attacker@evil.example' },
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type: 'sha256', value: SHA256 },
    ],
    events: [
      { at: '2026-03-02T12:00:00Z', text: 'Backups isolated.' },
      { at: '2026-03-02T10:00:00Z', text: 'Initial call with the entity.' },
    ],
    tasks: [{ title: 'Collect samples', status: 'open' }],
    ...over,
  };
}

/** The value inside a single-property STIX pattern, unescaped. */
function patternValue(pattern: string): string {
  const m = /^\[[a-z0-9-]+:[A-Za-z0-9_.'-]+ = '((?:[^'\\]|\\['\\])*)'\]$/.exec(pattern);
  if (!m) throw new Error(`not a single comparison: ${pattern}`);
  return m[1]!.replace(/\\(['\\])/g, '$1');
}

describe('incidentBundle', () => {
  it('validates against the official STIX 2.1 schemas with every observable type, marked AMBER+STRICT', () => {
    const b = incidentBundle(input());
    expectValid(b, PATCHED_BUNDLE);
    // The unmodified bundle.json accepts everything but the incident itself.
    expect(
      errorsOf(`${BASE}common/bundle.json`, {
        ...b,
        objects: b.objects.filter((o) => o.type !== 'incident'),
      }),
    ).toEqual([]);

    expect(b.type).toBe('bundle');
    expect(b.id).toMatch(STIX_ID);
    expect(b.objects).toHaveLength(39);
    expect(ofType(b, 'identity')).toHaveLength(2);
    expect(ofType(b, 'indicator')).toHaveLength(8);
    expect(ofType(b, 'file')).toHaveLength(3);
    expect(ofType(b, 'relationship')).toHaveLength(18);
    for (const o of b.objects) {
      expect(o.spec_version).toBe('2.1');
      expect(o.id).toMatch(STIX_ID);
      for (const k of ['created', 'modified', 'valid_from', 'first_observed', 'last_observed'])
        if (k in o) expect(o[k]).toMatch(MILLIS);
    }
    expect(new Set(b.objects.map((o) => o.id)).size).toBe(b.objects.length);

    expect(one(b, 'marking-definition')).toEqual({
      type: 'marking-definition',
      spec_version: '2.1',
      id: MARKINGS['AMBER+STRICT'],
      created: '2022-10-01T00:00:00.000Z',
      name: 'TLP:AMBER+STRICT',
      extensions: { [TLP_EXT]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } },
    });
    const producer = ofType(b, 'identity').find((o) => o.name === 'National CERT')!;
    expect(producer.identity_class).toBe('organization');
    for (const o of b.objects.filter((x) => x.type !== 'marking-definition')) {
      expect(o.object_marking_refs).toEqual([MARKINGS['AMBER+STRICT']]);
      if (!SCO_TYPES.has(o.type as string)) expect(o.created_by_ref).toBe(producer.id);
    }

    const entity = ofType(b, 'identity').find((o) => o.name === 'Karachi Telecom Ltd')!;
    expect(entity).toMatchObject({ identity_class: 'organization', sectors: ['telecommunications'] });
    // Created when the entity was, as its UUIDv7 says.
    expect(entity.created).toBe(new Date(parseInt('0195f3a01c2d', 16)).toISOString());

    const incident = one(b, 'incident');
    expect(incident.id).toMatch(/^incident--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
    // Why the id is derived: the schemas refuse a UUIDv7, and they do catch a missing pattern.
    expect(errorsOf(schemaFor('incident'), { ...incident, id: `incident--${input().id}` })).not.toEqual([]);
    const { pattern: _pattern, ...noPattern } = ofType(b, 'indicator')[0]!;
    expect(errorsOf(schemaFor('indicator'), noPattern)).not.toEqual([]);
    expect(incident).toMatchObject({
      name: 'Ransomware on billing servers',
      created: '2026-03-02T11:00:00.123Z',
      modified: '2026-03-04T16:45:10.000Z',
      external_references: [
        { source_name: 'qila', external_id: 'INC-2026-000042' },
        { source_name: 'enisa-rsit', external_id: 'availability/ddos' },
      ],
    });
    expect((incident.extensions as Record<string, unknown>)[INCIDENT_EXT]).toEqual({
      extension_type: 'property-extension',
      determination: 'confirmed',
      investigation_status: 'open',
      criticality: 75,
      incident_types: ['denial-of-service'],
      impacted_entity_counts: { customer: 12000 },
    });
    const description = incident.description as string;
    expect(description).toContain('- Users affected: 12000');
    expect(description).toContain('- Countries affected: AE, GB');
    expect(description.indexOf('Initial call')).toBeLessThan(description.indexOf('Backups isolated'));
    expect(description).toContain('- [open] Collect samples');

    // SCO ids as STIX 2.1 derives them (checked against Python's uuid.uuid5).
    expect(b.objects.find((o) => o.type === 'ipv4-addr')!.id).toBe(
      'ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db',
    );
    expect(
      b.objects.find((o) => o.type === 'file' && (o.hashes as Record<string, string>)['SHA-256']),
    ).toEqual({
      type: 'file',
      spec_version: '2.1',
      id: 'file--20432b06-75d2-54b6-80ef-6d923b5d925d',
      hashes: { 'SHA-256': SHA256 },
      object_marking_refs: [MARKINGS['AMBER+STRICT']],
    });

    const observed = one(b, 'observed-data');
    expect(observed).toMatchObject({
      first_observed: '2026-03-02T07:15:00.000Z',
      last_observed: '2026-03-04T16:45:10.000Z',
      number_observed: 1,
    });
    expect(observed.object_refs).toEqual(
      b.objects.filter((o) => SCO_TYPES.has(o.type as string)).map((o) => o.id),
    );

    expect(ofType(b, 'indicator').map((o) => o.pattern)).toEqual([
      "[ipv4-addr:value = '198.51.100.7']",
      "[ipv6-addr:value = '2001:db8::1']",
      "[domain-name:value = 'evil.example']",
      "[url:value = 'http://evil.example/payload.bin']",
      "[email-addr:value = 'attacker@evil.example']",
      "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
      `[file:hashes.'SHA-256' = '${SHA256}']`,
    ]);
    for (const ind of ofType(b, 'indicator')) {
      expect(ind).toMatchObject({
        pattern_type: 'stix',
        indicator_types: ['malicious-activity'],
        valid_from: '2026-03-02T07:15:00.000Z',
      });
    }

    const triple = (...parts: unknown[]) => parts.map(String).join(' ');
    const rels = ofType(b, 'relationship').map((r) =>
      triple(r.source_ref, r.relationship_type, r.target_ref),
    );
    for (const ind of ofType(b, 'indicator')) {
      expect(rels).toContain(triple(ind.id, 'based-on', observed.id));
      expect(rels).toContain(triple(incident.id, 'related-to', ind.id));
    }
    expect(rels).toContain(triple(incident.id, 'related-to', entity.id));
    expect(rels).toContain(triple(incident.id, 'related-to', observed.id));
  });

  it('gives the same ids on every export of the same incident', () => {
    const a = incidentBundle(input());
    expect(JSON.stringify(incidentBundle(input()))).toBe(JSON.stringify(a));
    const later = incidentBundle(input({ updatedAt: '2026-03-05T00:00:00Z' }));
    expect(one(later, 'incident').id).toBe(one(a, 'incident').id);
    expect(later.id).not.toBe(a.id);
  });

  it('leaves the entity out of an anonymised export', () => {
    const b = incidentBundle(input({ entity: null, events: [], tasks: [] }));
    expectValid(b, PATCHED_BUNDLE);
    const identities = ofType(b, 'identity');
    expect(identities).toHaveLength(1);
    expect(identities[0]).toMatchObject({ name: 'National CERT', identity_class: 'organization' });
    expect(identities[0]).not.toHaveProperty('sectors');
    const named = incidentBundle(input());
    const entityId = ofType(named, 'identity').find((o) => o.name === 'Karachi Telecom Ltd')!.id as string;
    const json = JSON.stringify(b);
    expect(json).not.toContain('Karachi Telecom');
    expect(json).not.toContain(entityId);
    expect(json).not.toContain(ENTITY_ID);
    expect(json).not.toContain('telecommunications');
    expect(ofType(b, 'relationship')).toHaveLength(17);
  });

  it('marks every object of a RED export with TLP:RED', () => {
    const b = incidentBundle(input({ tlp: 'RED', status: 'new', severity: 'critical' }));
    expectValid(b, PATCHED_BUNDLE);
    expect(one(b, 'marking-definition')).toMatchObject({
      id: MARKINGS.RED,
      name: 'TLP:RED',
      extensions: { [TLP_EXT]: { tlp_2_0: 'red' } },
    });
    const rest = b.objects.filter((o) => o.type !== 'marking-definition');
    expect(rest).toHaveLength(38);
    for (const o of rest) expect(o.object_marking_refs).toEqual([MARKINGS.RED]);
    expect(JSON.stringify(b)).not.toMatch(/marking-definition--(?!e828b379-4e03-4974-9ac4-e53a884c97c1)/);
    expect((one(b, 'incident').extensions as Record<string, unknown>)[INCIDENT_EXT]).toMatchObject({
      determination: 'suspected',
      investigation_status: 'new',
      criticality: 100,
    });
  });

  it('escapes quotes and backslashes in pattern literals', () => {
    const url = "http://evil.example/a'b.php";
    const b = incidentBundle(input({ observables: [{ type: 'url', value: url }] }));
    expectValid(b, PATCHED_BUNDLE);
    const pattern = one(b, 'indicator').pattern as string;
    expect(pattern).toBe("[url:value = 'http://evil.example/a\\'b.php']");
    expect(patternValue(pattern)).toBe(url);
    expect(one(b, 'url').value).toBe(url);

    const odd = "http://x.example/a\\b'c\\";
    const p2 = one(incidentBundle(input({ observables: [{ type: 'url', value: odd }] })), 'indicator')
      .pattern as string;
    expect(p2).toBe("[url:value = 'http://x.example/a\\\\b\\'c\\\\']");
    expect(patternValue(p2)).toBe(odd);
  });

  it('writes no observed-data or indicators when there are no observables', () => {
    const b = incidentBundle(input({ observables: [], detectedAt: null, status: 'closed' }));
    expectValid(b, PATCHED_BUNDLE);
    expect(b.objects.map((o) => o.type)).toEqual([
      'marking-definition',
      'identity',
      'identity',
      'incident',
      'relationship',
    ]);
    expect((one(b, 'incident').extensions as Record<string, unknown>)[INCIDENT_EXT]).toMatchObject({
      investigation_status: 'closed',
    });
  });
});

describe('indicatorBundle', () => {
  const advisory = {
    id: '0196b000-0000-7000-8000-000000000001',
    title: 'Phishing wave against banks',
    body: 'Block the indicators below.',
    tlp: 'GREEN' as const,
    publishedAt: '2026-03-06T08:00:00Z',
    producer: { id: '0190aaaa-bbbb-7ccc-9ddd-eeeeffff0000', name: 'National CERT' },
    sectors: ['finance', 'finance.insurance', 'other.other'],
    indicators: [
      { type: 'domain' as const, value: 'login-bank.example' },
      { type: 'url' as const, value: 'https://login-bank.example/verify' },
      { type: 'sha256' as const, value: SHA256 },
    ],
  };

  it('validates against the unmodified bundle schema and every object schema', () => {
    const b = indicatorBundle(advisory);
    expectValid(b);
    expect(b.objects).toHaveLength(15);
    expect(one(b, 'marking-definition')).toMatchObject({ id: MARKINGS.GREEN, name: 'TLP:GREEN' });
    for (const o of b.objects.filter((x) => x.type !== 'marking-definition')) {
      expect(o.object_marking_refs).toEqual([MARKINGS.GREEN]);
      expect(o.spec_version).toBe('2.1');
    }

    const report = one(b, 'report');
    expect(report).toMatchObject({
      name: 'Phishing wave against banks',
      description: 'Block the indicators below.',
      report_types: ['threat-report', 'indicator'],
      published: '2026-03-06T08:00:00.000Z',
    });
    const producer = ofType(b, 'identity').find((o) => o.identity_class === 'organization')!;
    expect(report.object_refs).toEqual(
      b.objects
        .filter((o) => !['marking-definition', 'report'].includes(o.type as string) && o !== producer)
        .map((o) => o.id),
    );

    // No organisation but the producer; the sectors are identities of class "class".
    const identities = ofType(b, 'identity');
    expect(identities.map((o) => o.identity_class)).toEqual(['organization', 'class', 'class']);
    expect(identities.slice(1).map((o) => o.sectors)).toEqual([['financial-services'], ['insurance']]);

    expect(ofType(b, 'indicator').map((o) => [o.pattern, o.valid_from])).toEqual([
      ["[domain-name:value = 'login-bank.example']", '2026-03-06T08:00:00.000Z'],
      ["[url:value = 'https://login-bank.example/verify']", '2026-03-06T08:00:00.000Z'],
      [`[file:hashes.'SHA-256' = '${SHA256}']`, '2026-03-06T08:00:00.000Z'],
    ]);
    expect(one(b, 'file').id).toBe('file--20432b06-75d2-54b6-80ef-6d923b5d925d');
    expect(ofType(b, 'relationship').map((r) => r.relationship_type)).toEqual([
      'based-on',
      'based-on',
      'based-on',
    ]);
  });

  it('still yields a valid report without indicators', () => {
    const b = indicatorBundle({ ...advisory, tlp: 'CLEAR', sectors: [], indicators: [] });
    expectValid(b);
    expect(b.objects.map((o) => o.type)).toEqual(['marking-definition', 'identity', 'report']);
    expect(one(b, 'report').object_refs).toEqual([ofType(b, 'identity')[0]!.id]);
    expect(one(b, 'marking-definition').id).toBe(MARKINGS.CLEAR);
  });
});

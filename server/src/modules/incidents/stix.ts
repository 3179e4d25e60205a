import { createHash } from 'node:crypto';
import type { ObservableType } from './incidents.schemas.ts';

/**
 * STIX 2.1 export of an incident (for CSIRT-to-CSIRT sharing) and of a public advisory's indicators.
 *
 * Ids: STIX identifiers must carry an RFC 4122 UUID of version 1-5 (the official schemas check this),
 * so our UUIDv7 ids are not used as they are. Each of our objects gets a UUIDv5 derived from our id
 * under a Qila namespace, which keeps re-exports of the same incident stable. Observables use the
 * deterministic ids the standard defines for SCOs.
 */

export type TlpLabel = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

export interface StixIncidentInput {
  id: string;
  reference: string;
  title: string;
  summary: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  status: string;
  rsitClass: string;
  rsitType: string;
  tlp: TlpLabel;
  awareAt: string;
  detectedAt: string | null;
  reportedAt: string;
  updatedAt: string;
  /** null when the export is anonymised: no identity, name or sector of the entity is written. */
  entity: { id: string; name: string; sector: string } | null;
  producer: { id: string; name: string };
  details: Record<string, unknown>;
  observables: { type: ObservableType; value: string }[];
  events: { at: string; text: string }[];
  tasks: { title: string; status: string }[];
}

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: Record<string, unknown>[];
}

type StixObject = Record<string, unknown>;

// --- identifiers -------------------------------------------------------------------------------

/** Namespace of the ids Qila derives for its own objects (a fixed random UUIDv4). */
const QILA_NAMESPACE = 'bc5f6406-d613-40ea-9922-2e477ff81cf1';
/** The namespace STIX 2.1 fixes for deterministic SCO ids. */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

function uuidv5(name: string, namespace: string): string {
  const digest = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const qilaId = (type: string, key: string) => `${type}--${uuidv5(`${type}:${key}`, QILA_NAMESPACE)}`;

/** JSON with sorted keys and no whitespace (RFC 8785 for the strings and objects used here). */
function canonicalJson(v: unknown): string {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

// --- timestamps --------------------------------------------------------------------------------

/** An ISO instant as a STIX timestamp: UTC with millisecond precision. */
function ts(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`STIX export: "${iso}" is not a timestamp.`);
  return d.toISOString();
}

const latest = (...xs: string[]) => xs.reduce((a, b) => (a >= b ? a : b));
const earliest = (...xs: string[]) => xs.reduce((a, b) => (a <= b ? a : b));

/** The creation time a UUIDv7 carries, capped at `notAfter`; `notAfter` for other ids. */
function createdFromId(id: string, notAfter: string): string {
  const hex = id.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hex) && hex[12] === '7') {
    const ms = parseInt(hex.slice(0, 12), 16);
    if (ms > 0 && ms < 8.64e15) return earliest(new Date(ms).toISOString(), notAfter);
  }
  return notAfter;
}

// --- markings ----------------------------------------------------------------------------------

const TLP_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP_MARKING_IDS: Record<TlpLabel, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The TLP 2.0 marking-definition exactly as OASIS publishes it. */
function tlpMarking(tlp: TlpLabel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp}`,
    extensions: {
      [TLP_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() },
    },
  };
}

// --- vocabularies ------------------------------------------------------------------------------

/** Our sector codes (and a few subsectors) onto STIX industry-sector-ov. */
const SECTORS: Record<string, string> = {
  telecom: 'telecommunications',
  finance: 'financial-services',
  'finance.insurance': 'insurance',
  energy: 'energy',
  'energy.nuclear': 'nuclear',
  health: 'healthcare',
  'health.pharmaceuticals': 'pharmaceuticals',
  it: 'technology',
  government: 'government',
  transport: 'transportation',
  water: 'water',
  'water.irrigation-and-dams': 'dams',
  media: 'communications',
  education: 'education',
  manufacturing: 'manufacturing',
  'manufacturing.chemicals': 'chemical',
  defence: 'defense',
  'other.agriculture-and-food': 'agriculture',
  'other.retail-and-wholesale': 'retail',
};

/** The industry sector for a sector or subsector code; undefined when STIX has no fitting term. */
function stixSector(code: string): string | undefined {
  return SECTORS[code] ?? SECTORS[code.split('.')[0]!];
}

/** RSIT types onto the Incident Core Extension's event-type vocabulary, where one fits. */
const INCIDENT_TYPES: Record<string, string> = {
  spam: 'spam',
  'infected-system': 'infected-by-known-malware',
  'c2-server': 'c&c-server-hosting',
  'malware-distribution': 'hosting-malware-webpage',
  scanner: 'network-scanning',
  sniffing: 'wiretapping',
  'brute-force': 'brute-force-attempt',
  exploit: 'exploit-attempt',
  'privileged-account-compromise': 'unauthorized-access-system',
  'unprivileged-account-compromise': 'unauthorized-access-system',
  'application-compromise': 'compromised-system',
  'system-compromise': 'compromised-system',
  burglary: 'equipment-theft',
  dos: 'denial-of-service',
  ddos: 'denial-of-service',
  'unauthorised-information-access': 'unauthorized-access-information',
  'unauthorised-information-modification': 'modification-information',
  'data-loss': 'deletion-information',
  'data-leak': 'unauthorized-release',
  'unauthorised-use-of-resources': 'illegitimate-use-resources',
  copyright: 'copyrighted-content',
  masquerade: 'illegitimate-use-name',
  phishing: 'hosting-phishing-sites',
  undetermined: 'undetermined',
  other: 'unspecified',
};

const CRITICALITY = { critical: 100, high: 75, medium: 50, low: 25 } as const;

/** Our workflow status onto the extension's investigation-status vocabulary (new, open, closed). */
function investigationStatus(status: string): string {
  if (status === 'new' || status === 'triage') return 'new';
  if (status === 'resolved' || status === 'closed') return 'closed';
  return 'open';
}

/** Past triage the authority treats the report as an incident; before that it is suspected. */
const determination = (status: string) =>
  status === 'new' || status === 'triage' ? 'suspected' : 'confirmed';

// --- observables -------------------------------------------------------------------------------

const HASH_NAMES = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' } as const;
const SCO_TYPES = {
  ipv4: 'ipv4-addr',
  ipv6: 'ipv6-addr',
  domain: 'domain-name',
  url: 'url',
  email: 'email-addr',
} as const;
const LABELS: Record<ObservableType, string> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  domain: 'Domain',
  url: 'URL',
  email: 'E-mail address',
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
};

/** A string literal in a STIX pattern: single quotes, with quote and backslash escaped. */
const literal = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function stixPattern(o: { type: ObservableType; value: string }): string {
  if (o.type === 'md5' || o.type === 'sha1' || o.type === 'sha256') {
    const name = HASH_NAMES[o.type];
    // Path components with a hyphen have to be quoted.
    const path = /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name}'`;
    return `[file:hashes.${path} = ${literal(o.value)}]`;
  }
  return `[${SCO_TYPES[o.type]}:value = ${literal(o.value)}]`;
}

/** The SCO for an observable, with the id STIX derives from its contributing properties. */
function sco(o: { type: ObservableType; value: string }, marking: string): StixObject {
  if (o.type === 'md5' || o.type === 'sha1' || o.type === 'sha256') {
    const hashes = { [HASH_NAMES[o.type]]: o.value };
    return {
      type: 'file',
      spec_version: '2.1',
      id: `file--${uuidv5(canonicalJson({ hashes }), SCO_NAMESPACE)}`,
      hashes,
      object_marking_refs: [marking],
    };
  }
  const type = SCO_TYPES[o.type];
  return {
    type,
    spec_version: '2.1',
    id: `${type}--${uuidv5(canonicalJson({ value: o.value }), SCO_NAMESPACE)}`,
    value: o.value,
    object_marking_refs: [marking],
  };
}

interface Common {
  created_by_ref: string;
  created: string;
  modified: string;
  object_marking_refs: string[];
}

function sdo(type: string, id: string, common: Common, props: StixObject): StixObject {
  return { type, spec_version: '2.1', id, ...common, ...props };
}

function relationship(common: Common, source: string, kind: string, target: string): StixObject {
  return sdo('relationship', qilaId('relationship', `${source}|${kind}|${target}`), common, {
    relationship_type: kind,
    source_ref: source,
    target_ref: target,
  });
}

/**
 * SCOs, one observed-data over them and one indicator per observable (based on the observed-data).
 * Nothing when there are no observables, as observed-data needs at least one reference.
 */
function observablePart(
  scope: string,
  observables: { type: ObservableType; value: string }[],
  common: Common,
  window: { first: string; last: string },
): {
  scos: StixObject[];
  observed: StixObject | null;
  indicators: StixObject[];
  relationships: StixObject[];
} {
  const seen = new Set<string>();
  const unique = observables.filter((o) => {
    const key = `${o.type}\u0000${o.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length === 0) return { scos: [], observed: null, indicators: [], relationships: [] };
  const marking = common.object_marking_refs[0]!;
  const scos = unique.map((o) => sco(o, marking));
  const observed = sdo('observed-data', qilaId('observed-data', scope), common, {
    first_observed: window.first,
    last_observed: window.last,
    number_observed: 1,
    object_refs: scos.map((s) => s.id),
  });
  const indicators = unique.map((o) =>
    sdo('indicator', qilaId('indicator', `${scope}|${o.type}|${o.value}`), common, {
      name: `${LABELS[o.type]}: ${o.value}`,
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(o),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: window.first,
    }),
  );
  const relationships = indicators.map((ind) =>
    relationship(common, ind.id as string, 'based-on', observed.id as string),
  );
  return { scos, observed, indicators, relationships };
}

function producerIdentity(p: { id: string; name: string }, at: string, marking: string): StixObject {
  const id = qilaId('identity', p.id);
  return {
    type: 'identity',
    spec_version: '2.1',
    id,
    created_by_ref: id,
    created: createdFromId(p.id, at),
    modified: at,
    name: p.name,
    identity_class: 'organization',
    object_marking_refs: [marking],
  };
}

// --- incident ----------------------------------------------------------------------------------

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : undefined);

/** The description: the summary, then impact, timeline and tasks as short plain-text sections. */
function incidentDescription(i: StixIncidentInput): string {
  const d = i.details;
  const impact: [string, string | number | undefined][] = [
    ['Users affected', num(d.usersAffected)],
    ['Downtime (hours)', num(d.downtimeHours)],
    ['Financial loss', num(d.financialLoss)],
    ['Personal data involved', yesNo(d.personalData)],
    ['Personal data records', num(d.personalDataRecords)],
    ['Cross-border', yesNo(d.crossBorder)],
    [
      'Countries affected',
      Array.isArray(d.crossBorderCountries) && d.crossBorderCountries.length
        ? d.crossBorderCountries.join(', ')
        : undefined,
    ],
    ['Suspected malicious', yesNo(d.suspectedMalicious)],
    [
      'Affected services',
      Array.isArray(d.affectedServices) && d.affectedServices.length
        ? d.affectedServices.join('; ')
        : undefined,
    ],
    ['Detected', i.detectedAt ? ts(i.detectedAt) : undefined],
    ['Aware', ts(i.awareAt)],
    ['Reported', ts(i.reportedAt)],
  ];
  const parts = [i.summary.trim()];
  const lines = impact.filter(([, v]) => v !== undefined).map(([k, v]) => `- ${k}: ${v}`);
  if (lines.length) parts.push(`Impact and times:\n${lines.join('\n')}`);
  if (i.events.length)
    parts.push(
      `Timeline:\n${[...i.events]
        .sort((a, b) => ts(a.at).localeCompare(ts(b.at)))
        .map((e) => `- ${ts(e.at)} ${e.text}`)
        .join('\n')}`,
    );
  if (i.tasks.length) parts.push(`Tasks:\n${i.tasks.map((t) => `- [${t.status}] ${t.title}`).join('\n')}`);
  return parts.join('\n\n');
}

const INCIDENT_EXTENSION = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

export function incidentBundle(i: StixIncidentInput): StixBundle {
  const created = ts(i.reportedAt);
  const modified = latest(created, ts(i.updatedAt));
  const marking = TLP_MARKING_IDS[i.tlp];
  const producer = producerIdentity(i.producer, modified, marking);
  const common: Common = {
    created_by_ref: producer.id as string,
    created,
    modified,
    object_marking_refs: [marking],
  };

  let entity: StixObject | null = null;
  if (i.entity) {
    const sector = stixSector(i.entity.sector);
    entity = sdo('identity', qilaId('identity', i.entity.id), common, {
      created: createdFromId(i.entity.id, modified),
      name: i.entity.name,
      identity_class: 'organization',
      ...(sector ? { sectors: [sector] } : {}),
    });
  }

  const usersAffected = num(i.details.usersAffected);
  const incidentType = INCIDENT_TYPES[i.rsitType];
  const incident = sdo('incident', qilaId('incident', i.id), common, {
    name: i.title,
    description: incidentDescription(i),
    external_references: [
      { source_name: 'qila', external_id: i.reference },
      {
        source_name: 'enisa-rsit',
        external_id: `${i.rsitClass}/${i.rsitType}`,
        description: `ENISA Reference Security Incident Taxonomy: class ${i.rsitClass}, type ${i.rsitType}`,
        url: 'https://github.com/enisaeu/Reference-Security-Incident-Taxonomy-Task-Force',
      },
    ],
    extensions: {
      [INCIDENT_EXTENSION]: {
        extension_type: 'property-extension',
        determination: determination(i.status),
        investigation_status: investigationStatus(i.status),
        criticality: CRITICALITY[i.severity],
        ...(incidentType ? { incident_types: [incidentType] } : {}),
        ...(usersAffected && usersAffected > 0
          ? { impacted_entity_counts: { customer: Math.round(usersAffected) } }
          : {}),
      },
    },
  });

  const first = earliest(ts(i.awareAt), ...(i.detectedAt ? [ts(i.detectedAt)] : []));
  const obs = observablePart(`incident:${i.id}`, i.observables, common, {
    first,
    last: latest(first, modified),
  });

  const incidentId = incident.id as string;
  const links = [
    ...(entity ? [relationship(common, incidentId, 'related-to', entity.id as string)] : []),
    ...(obs.observed ? [relationship(common, incidentId, 'related-to', obs.observed.id as string)] : []),
    ...obs.indicators.map((ind) => relationship(common, incidentId, 'related-to', ind.id as string)),
  ];

  return {
    type: 'bundle',
    id: qilaId('bundle', `incident:${i.id}|${modified}|${i.tlp}|${i.entity ? 'named' : 'anonymised'}`),
    objects: [
      tlpMarking(i.tlp),
      producer,
      ...(entity ? [entity] : []),
      incident,
      ...obs.scos,
      ...(obs.observed ? [obs.observed] : []),
      ...obs.indicators,
      ...obs.relationships,
      ...links,
    ],
  };
}

// --- advisory ----------------------------------------------------------------------------------

/** When the sector class identities were defined; they are the same in every advisory. */
const SECTOR_IDENTITY_TIME = '2026-01-01T00:00:00.000Z';

/**
 * A public advisory: a threat report with its indicators, marked CLEAR or GREEN. It names no
 * entity; the sectors it addresses are written as identities of class `class`.
 */
export function indicatorBundle(a: {
  id: string;
  title: string;
  body: string;
  tlp: 'CLEAR' | 'GREEN';
  publishedAt: string;
  producer: { id: string; name: string };
  sectors: string[];
  indicators: { type: ObservableType; value: string }[];
}): StixBundle {
  const published = ts(a.publishedAt);
  const marking = TLP_MARKING_IDS[a.tlp];
  const producer = producerIdentity(a.producer, published, marking);
  const common: Common = {
    created_by_ref: producer.id as string,
    created: published,
    modified: published,
    object_marking_refs: [marking],
  };

  const sectorCodes = [...new Set(a.sectors.map(stixSector).filter((s): s is string => !!s))];
  const sectors = sectorCodes.map((s) =>
    sdo(
      'identity',
      qilaId('identity', `sector:${s}`),
      { ...common, created: SECTOR_IDENTITY_TIME, modified: latest(SECTOR_IDENTITY_TIME, published) },
      { name: `Sector: ${s}`, identity_class: 'class', sectors: [s] },
    ),
  );

  const obs = observablePart(`advisory:${a.id}`, a.indicators, common, { first: published, last: published });
  const content = [
    ...sectors,
    ...obs.scos,
    ...(obs.observed ? [obs.observed] : []),
    ...obs.indicators,
    ...obs.relationships,
  ];
  const report = sdo('report', qilaId('report', a.id), common, {
    name: a.title,
    description: a.body,
    report_types: obs.indicators.length ? ['threat-report', 'indicator'] : ['threat-report'],
    published,
    // A report must reference something; an advisory without indicators points at its author.
    object_refs: content.length ? content.map((o) => o.id) : [producer.id],
  });

  return {
    type: 'bundle',
    id: qilaId('bundle', `advisory:${a.id}|${published}|${a.tlp}`),
    objects: [tlpMarking(a.tlp), producer, report, ...content],
  };
}

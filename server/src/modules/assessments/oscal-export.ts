import { createHash } from 'node:crypto';
import { DEFAULT_SCALE, levelScore, type LevelScale } from './scoring.ts';

/** A deterministic UUID (version 5 layout) so the same finding keeps its identity across exports. */
function uuidFor(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('|')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export interface ExportInput {
  assignmentId: string;
  entityName: string;
  campaignName: string;
  status: string;
  updatedAt: string;
  startedAt: string;
  requirements: {
    frameworkId: string;
    itemId: string;
    statement: string | null;
    answer: {
      level: number | null;
      notApplicable: boolean;
      justification: string | null;
      comment: string | null;
    } | null;
  }[];
  overall: number | null;
  /** Each framework's level scale. */
  scales: ReadonlyMap<string, LevelScale>;
  /** From the scoring catalog: the score on its own scale from which a requirement is satisfied. */
  satisfiedFromScore: number;
}

/**
 * An entity's results as an OSCAL 1.0.6 assessment-results document: one finding per answered
 * requirement, satisfied from the scoring catalog's score on the framework's own scale (60: level 3
 * of 0-5, Advanced of ZTMM's four stages); not-applicable answers are reported as satisfied with the
 * justification, as OSCAL has no third state.
 */
export function toAssessmentResults(x: ExportInput): Record<string, unknown> {
  const findings = x.requirements
    .filter((r) => r.answer && (r.answer.notApplicable || r.answer.level !== null))
    .map((r) => {
      const a = r.answer!;
      const scale = x.scales.get(r.frameworkId) ?? DEFAULT_SCALE;
      const satisfied = a.notApplicable || levelScore(scale, a.level ?? scale[0]!) >= x.satisfiedFromScore;
      return {
        uuid: uuidFor(x.assignmentId, r.frameworkId, r.itemId),
        title: `${r.itemId}`,
        description: a.notApplicable
          ? `Not applicable: ${a.justification ?? ''}`.trim()
          : `Level ${a.level} on a scale of ${scale[0]} to ${scale.at(-1)}.${a.comment ? ` ${a.comment}` : ''}`,
        props: [
          {
            name: 'framework',
            ns: 'https://qila.invalid/ns/oscal',
            value: r.frameworkId.replace(/[^\w.-]/g, '_'),
          },
          {
            name: 'maturity-level',
            ns: 'https://qila.invalid/ns/oscal',
            value: a.notApplicable ? 'not-applicable' : String(a.level),
          },
        ],
        target: {
          type: 'objective-id',
          'target-id': r.itemId.replace(/[^\w.-]/g, '_'),
          description: r.statement ?? r.itemId,
          status: { state: satisfied ? 'satisfied' : 'not-satisfied' },
        },
      };
    });
  return {
    'assessment-results': {
      uuid: uuidFor('ar', x.assignmentId, x.updatedAt),
      metadata: {
        title: `${x.campaignName}: ${x.entityName}`,
        'last-modified': x.updatedAt,
        version: x.updatedAt.slice(0, 10),
        'oscal-version': '1.0.6',
        props: [{ name: 'assessment-status', ns: 'https://qila.invalid/ns/oscal', value: x.status }],
      },
      'import-ap': {
        href: `#${x.assignmentId}`,
        remarks: 'The assessment plan is the Qila campaign named in the title.',
      },
      results: [
        {
          uuid: uuidFor('result', x.assignmentId, x.updatedAt),
          title: `${x.campaignName} results`,
          description: `Self-assessment by ${x.entityName}${x.overall !== null ? `; overall score ${x.overall} of 100` : ''}.`,
          start: x.startedAt,
          end: x.updatedAt,
          'reviewed-controls': { 'control-selections': [{ 'include-all': {} }] },
          ...(findings.length ? { findings } : {}),
        },
      ],
    },
  };
}

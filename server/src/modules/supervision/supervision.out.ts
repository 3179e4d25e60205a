import { z } from 'zod';
import { LegalStatusOut } from '../../platform/legal-status.ts';

/** Response shapes of the supervision API (also the web app's generated types). */
const Reason = z.object({ label: z.string(), points: z.number() });
export const PlanOut = z.object({
  id: z.string(),
  name: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  capacity: z.number(),
  status: z.string(),
  version: z.number(),
  rulesVersion: z.string(),
  legalStatus: LegalStatusOut.describe('How binding the supervision rules that scored the plan are'),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  included: z.number(),
  items: z.array(
    z.object({
      entityId: z.string(),
      entityName: z.string(),
      sector: z.string(),
      ciiTier: z.number().nullable(),
      riskScore: z.number(),
      reasons: z.array(Reason),
      proposed: z.boolean(),
      included: z.boolean(),
    }),
  ),
});
export const PlanSummaryOut = z.object({
  id: z.string(),
  name: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  capacity: z.number(),
  status: z.string(),
  createdAt: z.string(),
});

export const ActionOut = z.object({
  id: z.string(),
  findingId: z.string(),
  title: z.string(),
  owner: z.string(),
  dueOn: z.string(),
  milestones: z.array(z.object({ title: z.string(), dueOn: z.string(), done: z.boolean() })),
  status: z.string(),
  progressNote: z.string().nullable(),
  overdue: z.boolean(),
  reviewComment: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  version: z.number(),
  updatedAt: z.string(),
  evidence: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      sizeBytes: z.number(),
      sha256: z.string(),
      mediaType: z.string(),
      uploadedBy: z.string(),
      uploadedAt: z.string(),
    }),
  ),
});
export const ActionListOut = z.array(
  ActionOut.extend({
    auditId: z.string(),
    auditReference: z.string(),
    findingTitle: z.string(),
    severity: z.string(),
    entityId: z.string(),
    entityName: z.string(),
  }),
);

export const AuditSummaryOut = z.object({
  id: z.string(),
  reference: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  sector: z.string(),
  status: z.string(),
  auditor: z.string().nullable(),
  responseDueAt: z.string().nullable(),
  finalIssuedAt: z.string().nullable(),
  openFindings: z.number(),
});
export const AuditOut = z.object({
  id: z.string(),
  reference: z.string(),
  planId: z.string().nullable(),
  entityId: z.string(),
  entityName: z.string(),
  ciiTier: z.number().nullable(),
  sector: z.string(),
  frameworkId: z.string(),
  scope: z.object({
    requirements: z.array(z.string()),
    sites: z.array(z.string()),
    systems: z.array(z.string()),
  }),
  status: z.string(),
  version: z.number(),
  leadAuditor: z.object({ id: z.string(), name: z.string(), firm: z.string() }).nullable(),
  responseDays: z.number(),
  preliminaryIssuedAt: z.string().nullable(),
  responseDueAt: z.string().nullable(),
  respondedAt: z.string().nullable(),
  finalIssuedAt: z.string().nullable(),
  finalSummary: z.string().nullable(),
  closedAt: z.string().nullable(),
  checklist: z.array(
    z.object({
      itemId: z.string(),
      statement: z.string().nullable(),
      result: z.string(),
      note: z.string().nullable(),
    }),
  ),
  findings: z.array(
    z.object({
      id: z.string(),
      itemId: z.string().nullable(),
      title: z.string(),
      description: z.string(),
      severity: z.string(),
      status: z.string(),
      entityResponse: z.string().nullable(),
      respondedAt: z.string().nullable(),
      createdAt: z.string(),
      actions: z.array(ActionOut),
    }),
  ),
  allowedActions: z.array(z.string()),
});

export const AuditorsOut = z.object({
  firms: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      licenceNo: z.string(),
      licenceValidUntil: z.string(),
      licenceValid: z.boolean(),
    }),
  ),
  auditors: z.array(
    z.object({
      id: z.string(),
      firmId: z.string(),
      name: z.string(),
      email: z.string(),
      licenceNo: z.string(),
      licenceValidUntil: z.string(),
      licenceValid: z.boolean(),
      conflicts: z.array(
        z.object({
          entityId: z.string(),
          entityName: z.string(),
          statement: z.string(),
          declaredAt: z.string(),
        }),
      ),
    }),
  ),
});

const Fact = z.object({
  code: z.string(),
  level: z.enum(['non_compliant', 'at_risk', 'ok']),
  text: z.string(),
});
export const EntityComplianceOut = z.object({
  entityId: z.string(),
  entityName: z.string(),
  sector: z.string(),
  ciiTier: z.number().nullable(),
  status: z.string(),
  computedAt: z.string(),
  rulesVersion: z.string(),
  legalStatus: LegalStatusOut.describe(
    'How binding the supervision rules behind the status and obligations are: a proposed Act is not law',
  ),
  facts: z.array(Fact),
  obligations: z.object({
    assessmentEveryMonths: z.number().nullable(),
    auditEveryMonths: z.number().nullable(),
    incidentReporting: z.string(),
    correctiveActions: z.string(),
  }),
  openFindings: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      severity: z.string(),
      auditId: z.string(),
      auditReference: z.string(),
    }),
  ),
  actions: z.array(ActionOut),
  audits: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      status: z.string(),
      finalIssuedAt: z.string().nullable(),
      responseDueAt: z.string().nullable(),
    }),
  ),
  cases: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      stage: z.string(),
      violation: z.string(),
      nextDeadline: z.string().nullable(),
    }),
  ),
});

export const BoardOut = z.object({
  sectors: z.union([z.literal('all'), z.array(z.string())]),
  byStatus: z.record(z.string(), z.number()),
  auditsByStatus: z.record(z.string(), z.number()),
  overdueActions: z.number(),
  openCases: z.number(),
  attention: z.array(
    z.object({
      entityId: z.string(),
      entityName: z.string(),
      ciiTier: z.number().nullable(),
      sector: z.string(),
      status: z.string(),
      topFact: z.string(),
    }),
  ),
});

const StatusCounts = z.object({
  compliant: z.number(),
  at_risk: z.number(),
  non_compliant: z.number(),
});
/** One unit's or sector's row: its breakdown is shown whole, or withheld whole. */
const Counts = z.object({
  key: z.string(),
  compliant: z.number().nullable(),
  at_risk: z.number().nullable(),
  non_compliant: z.number().nullable(),
  suppressed: z.boolean(),
  reason: z
    .enum(['whole_row'])
    .nullable()
    .describe('A withheld row: too small, all in one status, or hidden so that another cannot be worked out'),
});
export const NationalComplianceOut = z.object({
  disclosure: z.object({
    applied: z.boolean().describe('False for readers who may see every record anyway'),
    minCohort: z.number(),
    minPercentileCohort: z.number(),
    effectiveFrom: z.string(),
  }),
  totals: StatusCounts.nullable().describe(
    'Entities in scope by status; withheld when they would give a row away',
  ),
  byAdminUnit: z.array(Counts),
  bySector: z.array(Counts),
});

const Penalty = z.object({
  rulesVersion: z.string(),
  currency: z.string(),
  violation: z.string(),
  base: z.number(),
  adjustmentPct: z.number(),
  beforeCap: z.number(),
  cap: z.number().nullable(),
  amount: z.number(),
  explanation: z.array(z.string()),
});
export const CaseOut = z.object({
  id: z.string(),
  reference: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  sector: z.string(),
  violation: z.string(),
  violationDate: z.string(),
  facts: z.array(z.string()),
  stage: z.string(),
  nextDeadline: z.string().nullable(),
  outcome: z.string().nullable(),
  penalty: Penalty.nullable(),
  legalStatus: LegalStatusOut.describe('How binding the penalty schedule for this violation is'),
  /** The entity's annual turnover on the registry, if known: some caps are a share of it. */
  annualTurnover: z.number().nullable(),
  version: z.number(),
  events: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      step: z.string(),
      text: z.string(),
      hearingAt: z.string().nullable(),
      outcome: z.string().nullable(),
      factors: z.array(z.object({ code: z.string(), months: z.number().optional() })),
      amount: z.number().nullable().describe('The penalty decided, or the amount an appeal reduced it to'),
      overrideReason: z
        .string()
        .nullable()
        .describe('Why a decision was issued as final under a schedule that is not law in force'),
    }),
  ),
  allowedSteps: z.array(z.string()),
});
export const CaseSummaryOut = z.object({
  id: z.string(),
  reference: z.string(),
  entityId: z.string(),
  entityName: z.string(),
  sector: z.string(),
  violation: z.string(),
  stage: z.string(),
  nextDeadline: z.string().nullable(),
  outcome: z.string().nullable(),
  penaltyAmount: z.number().nullable(),
  createdAt: z.string(),
});
export const ViolationsOut = z
  .object({
    version: z.string(),
    effectiveFrom: z.string(),
    legalStatus: LegalStatusOut,
    currency: z.string(),
    violations: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        capKind: z.string().describe('fixed, pct_of_turnover, greater_of or lesser_of'),
      }),
    ),
    factors: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        effect: z.string(),
        pct: z.number().optional(),
        pctPerMonth: z.number().optional(),
        maxPct: z.number().optional(),
        group: z.string().optional().describe('Factors of one group weigh the same circumstance: choose one'),
        source: z.string().optional().describe('The article the factor follows'),
      }),
    ),
  })
  .nullable();

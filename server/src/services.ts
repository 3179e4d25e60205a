import type { Platform } from './platform/platform.ts';
import { registerAssessmentJobs } from './modules/assessments/assessments.jobs.ts';
import { createAssignmentService } from './modules/assessments/assignments.service.ts';
import { createCampaignService } from './modules/assessments/campaigns.service.ts';
import { createNationalService } from './modules/assessments/national.service.ts';
import { createAuditService as createAuditTrailService } from './modules/audit/audit.service.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { createMfaService } from './modules/auth/mfa.service.ts';
import { createOidcService } from './modules/auth/oidc.service.ts';
import { createPasswordService } from './modules/auth/password.service.ts';
import { createFrameworkService } from './modules/frameworks/frameworks.service.ts';
import { createAdvisoryService } from './modules/incidents/advisories.service.ts';
import { createDutyListService } from './modules/incidents/duty-list.service.ts';
import { registerIncidentJobs } from './modules/incidents/incidents.jobs.ts';
import { createIncidentService } from './modules/incidents/incidents.service.ts';
import { createIncidentNationalService } from './modules/incidents/national.service.ts';
import { createReportService } from './modules/incidents/report.service.ts';
import { createWorkspaceService } from './modules/incidents/workspace.service.ts';
import { createEntityCareService } from './modules/registry/entity-care.service.ts';
import { createImportService } from './modules/registry/import/import.service.ts';
import { createRegistryService } from './modules/registry/registry.service.ts';
import { createActionService } from './modules/supervision/actions.service.ts';
import { createAuditorService } from './modules/supervision/auditors.service.ts';
import { createAuditService } from './modules/supervision/audits.service.ts';
import { createComplianceEngine, registerComplianceJobs } from './modules/supervision/compliance.ts';
import { createEnforcementService } from './modules/supervision/enforcement.service.ts';
import { createPlanService } from './modules/supervision/plans.service.ts';
import { createSupervisionViews } from './modules/supervision/views.service.ts';
import { createTokenService } from './modules/tokens/tokens.service.ts';
import { createInvitationService } from './modules/users/invitations.service.ts';
import { createUserService } from './modules/users/users.service.ts';

/**
 * The composition root: every module's services, built once per process from the platform and
 * handed to the route files (HTTP) and the job handlers (background work) alike.
 */
export function createServices(p: Platform) {
  const auth = createAuthService(p);
  const registry = createRegistryService(p);
  const reports = createReportService(p);
  const engine = createComplianceEngine(p);
  const auditors = createAuditorService(p);
  const audits = createAuditService(p, engine, auditors);
  return {
    auth: {
      auth,
      mfa: createMfaService(p),
      passwords: createPasswordService(p),
      oidc: createOidcService(p, auth),
    },
    users: { users: createUserService(p), invitations: createInvitationService(p) },
    tokens: { tokens: createTokenService(p) },
    audit: { audit: createAuditTrailService(p) },
    registry: {
      registry,
      care: createEntityCareService(p, registry),
      imports: createImportService(p),
    },
    frameworks: { frameworks: createFrameworkService(p) },
    assessments: {
      campaigns: createCampaignService(p),
      assignments: createAssignmentService(p),
      national: createNationalService(p),
    },
    incidents: {
      reports,
      incidents: createIncidentService(p, reports),
      workspace: createWorkspaceService(p),
      national: createIncidentNationalService(p),
      advisories: createAdvisoryService(p),
      dutyList: createDutyListService(p, reports.engine.sets),
    },
    supervision: {
      engine,
      auditors,
      plans: createPlanService(p, engine),
      audits,
      actions: createActionService(p, engine, audits),
      cases: createEnforcementService(p, engine),
      views: createSupervisionViews(p, engine),
    },
  };
}
export type Services = ReturnType<typeof createServices>;

/**
 * The background work (deadlines, reminders, escalations, compliance sweeps), registered from the
 * services alone: a worker process runs it without building the HTTP app.
 */
export function registerJobs(p: Platform, s: Services): void {
  registerAssessmentJobs(p);
  registerIncidentJobs(p, s.incidents.reports.engine);
  registerComplianceJobs(p, s.supervision.engine);
}

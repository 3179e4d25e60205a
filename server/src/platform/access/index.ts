// The one place that answers "who may see or do this" (docs/security.md, "How access works").
export { holds, grantsOf, rolesWith, scopeKindOf, type ScopeKind } from './roles.ts';
export { reachOf, reaches, reachWhere, isEmptyReach, NO_REACH, type Reach } from './reach.ts';
export {
  peopleReaching,
  namedPeopleReaching,
  entityPeopleInSectors,
  isHolder,
  holdersOf,
  type Place,
} from './audience.ts';
export { entityPolicy, type EntityAction } from './policies/entity.ts';
export { incidentPolicy, type IncidentAction, type IncidentRef } from './policies/incident.ts';
export {
  hasNationalScope,
  NEVER_FOR_TOKENS,
  permissionsOf,
  requirePermission,
  requireSignedIn,
} from './permissions.ts';
export { supervisionPolicy, type AuditAction, type AuditRef } from './policies/supervision.ts';
export { noticeWhere, restrictedNotices, type NoticeSubject } from './policies/notification.ts';
export { assessmentPolicy, type AssessmentAction, type AssignmentRef } from './policies/assessment.ts';
export { advisoryPolicy } from './policies/advisory.ts';

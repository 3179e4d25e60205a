import {
  IconAlertTriangle,
  IconAtom,
  IconBuildingCommunity,
  IconCalendarEvent,
  IconChecklist,
  IconEye,
  IconHome,
  IconMessages,
  IconReportAnalytics,
  IconSettings,
  IconTargetArrow,
  IconTopologyStar3,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';

export type ModuleKey =
  | 'home'
  | 'registry'
  | 'calendar'
  | 'assessments'
  | 'incidents'
  | 'supervision'
  | 'strategy'
  | 'workforce'
  | 'exercises'
  | 'engagement'
  | 'postQuantum'
  | 'reports'
  | 'administration';

export type SubModuleKey =
  | 'incidentsList'
  | 'incidentsNew'
  | 'incidentsLate'
  | 'incidentsNational'
  | 'advisories'
  | 'supervisionBoard'
  | 'supervisionCompliance'
  | 'supervisionAudits'
  | 'supervisionPlans'
  | 'supervisionActions'
  | 'supervisionCases'
  | 'supervisionAuditors'
  | 'supervisionNational'
  | 'adminUsers'
  | 'adminInvitations'
  | 'adminAudit';

export interface NavChild {
  key: SubModuleKey;
  path: string;
  permission: string;
  /** Hidden from people with any of these (they have a page of their own for the same thing). */
  unless?: readonly string[];
}

export interface NavModule {
  key: ModuleKey;
  icon: Icon;
  /** Where the module lives; absent for modules still to come. */
  path?: string;
  /** Hidden from people without this permission. */
  permission?: string;
  /** Hidden from people with none of these permissions. */
  anyPermission?: readonly string[];
  /** Pages within the module, each shown to those with its permission. */
  children?: readonly NavChild[];
}

/** The platform's modules, in navigation order. */
export const MODULES: readonly NavModule[] = [
  { key: 'home', icon: IconHome, path: '/' },
  { key: 'registry', icon: IconBuildingCommunity, path: '/registry', permission: 'entities.read' },
  { key: 'calendar', icon: IconCalendarEvent, path: '/calendar', permission: 'jurisdiction.read' },
  {
    key: 'assessments',
    icon: IconChecklist,
    path: '/assessments',
    anyPermission: ['assessments.read', 'national.aggregates.read'],
  },
  {
    key: 'incidents',
    icon: IconAlertTriangle,
    path: '/incidents',
    anyPermission: ['incidents.read', 'national.aggregates.read'],
    children: [
      { key: 'incidentsList', path: '/incidents', permission: 'incidents.read' },
      { key: 'incidentsNew', path: '/incidents/new', permission: 'incidents.report' },
      { key: 'incidentsLate', path: '/incidents/late', permission: 'incidents.read' },
      { key: 'incidentsNational', path: '/incidents/national', permission: 'national.aggregates.read' },
      { key: 'advisories', path: '/advisories', permission: 'incidents.read' },
    ],
  },
  {
    key: 'supervision',
    icon: IconEye,
    path: '/supervision',
    anyPermission: ['supervision.read', 'national.aggregates.read'],
    children: [
      // Regulators and the Authority see the board; entity people, analysts and officers their view.
      { key: 'supervisionBoard', path: '/supervision/board', permission: 'supervision.manage' },
      {
        key: 'supervisionCompliance',
        path: '/supervision/compliance',
        permission: 'supervision.read',
        unless: ['supervision.manage', 'supervision.audit'],
      },
      { key: 'supervisionAudits', path: '/supervision/audits', permission: 'supervision.read' },
      { key: 'supervisionPlans', path: '/supervision/plans', permission: 'supervision.plan' },
      { key: 'supervisionActions', path: '/supervision/actions', permission: 'supervision.read' },
      // Auditors never see enforcement.
      {
        key: 'supervisionCases',
        path: '/supervision/cases',
        permission: 'supervision.read',
        unless: ['supervision.audit'],
      },
      { key: 'supervisionAuditors', path: '/supervision/auditors', permission: 'supervision.manage' },
      { key: 'supervisionNational', path: '/supervision/national', permission: 'national.aggregates.read' },
    ],
  },
  { key: 'strategy', icon: IconTargetArrow },
  { key: 'workforce', icon: IconUsersGroup },
  { key: 'exercises', icon: IconTopologyStar3 },
  { key: 'engagement', icon: IconMessages },
  { key: 'postQuantum', icon: IconAtom },
  { key: 'reports', icon: IconReportAnalytics },
  {
    key: 'administration',
    icon: IconSettings,
    path: '/admin',
    anyPermission: ['users.read', 'audit.read'],
    children: [
      { key: 'adminUsers', path: '/admin/users', permission: 'users.read' },
      { key: 'adminInvitations', path: '/admin/invitations', permission: 'users.read' },
      { key: 'adminAudit', path: '/admin/audit', permission: 'audit.read' },
    ],
  },
];

/**
 * The page of a module a path belongs to: the child with the longest matching path, so
 * "/incidents/new" is "Report an incident" and "/incidents/<id>" is the incidents list.
 */
export function activeChild(children: readonly NavChild[], pathname: string): NavChild | undefined {
  const matches = children.filter((c) => pathname === c.path || pathname.startsWith(`${c.path}/`));
  return matches.sort((a, b) => b.path.length - a.path.length)[0];
}

/** Whether a page of a module is shown to someone with these permissions. */
export function childVisible(c: NavChild, can: (permission: string) => boolean): boolean {
  return can(c.permission) && !(c.unless ?? []).some(can);
}

/** Whether a module (or one of its pages) is open to someone with these permissions. */
export function moduleVisible(m: NavModule, can: (permission: string) => boolean): boolean {
  if (m.permission && !can(m.permission)) return false;
  if (m.anyPermission && !m.anyPermission.some(can)) return false;
  return true;
}

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

export interface NavModule {
  key: ModuleKey;
  icon: Icon;
  /** Where the module lives; absent for modules still to come. */
  path?: string;
  /** Hidden from people without this permission. */
  permission?: string;
}

/** The platform's modules, in navigation order. */
export const MODULES: readonly NavModule[] = [
  { key: 'home', icon: IconHome, path: '/' },
  { key: 'registry', icon: IconBuildingCommunity, path: '/registry', permission: 'entities.identity.read' },
  { key: 'calendar', icon: IconCalendarEvent, path: '/calendar', permission: 'jurisdiction.read' },
  { key: 'assessments', icon: IconChecklist },
  { key: 'incidents', icon: IconAlertTriangle },
  { key: 'supervision', icon: IconEye },
  { key: 'strategy', icon: IconTargetArrow },
  { key: 'workforce', icon: IconUsersGroup },
  { key: 'exercises', icon: IconTopologyStar3 },
  { key: 'engagement', icon: IconMessages },
  { key: 'postQuantum', icon: IconAtom },
  { key: 'reports', icon: IconReportAnalytics },
  { key: 'administration', icon: IconSettings, permission: 'users.manage' },
];

import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from './auth';
import { useNames } from './jurisdiction';

type Assignment = Me['roles'][number];

/** "Sector regulator · Telecommunications": the role and the records it reaches. */
export function useDescribeRole(): (assignment: Assignment) => string {
  const { t } = useTranslation();
  const names = useNames();
  return useCallback(
    (a: Assignment) => {
      const role = t(`roles.${a.role}`);
      let scope: string;
      switch (a.scopeKind) {
        case 'national':
          scope = t('scope.national');
          break;
        case 'sector':
          scope = a.scopeValue ? names.sector(a.scopeValue) : t('scope.sector');
          break;
        case 'admin_unit':
          scope = a.scopeValue ? names.adminUnit(a.scopeValue) : t('scope.adminUnit');
          break;
        case 'entity':
          scope = t('scope.entity');
          break;
        default:
          scope = a.scopeValue ?? a.scopeKind;
      }
      return t('scope.roleInScope', { role, scope });
    },
    [t, names],
  );
}

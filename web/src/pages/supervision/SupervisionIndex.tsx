import { Navigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { MODULES, childVisible } from '../../app/nav';

/** "/supervision": the first page of the module this person may open. */
export function SupervisionIndex() {
  const { can } = useAuth();
  const first = MODULES.find((m) => m.key === 'supervision')?.children?.find((c) => childVisible(c, can));
  return <Navigate to={first?.path ?? '/'} replace />;
}

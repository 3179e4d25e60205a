import { useSearchParams } from 'react-router';

export type ParamPatch = Record<string, string | null | undefined>;

/**
 * A list page's filters, kept in the address (replacing the history entry, so Back leaves the
 * page rather than undoing a filter). `patch` starts from the address as it is at the moment of
 * the change, not as it was at the last render: router navigations render in a transition, so
 * two filters chosen in quick succession would otherwise lose the first.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const reset = (next: Record<string, string> = {}) => setParams(next, { replace: true });
  const patch = (changes: ParamPatch) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return { params, patch, reset };
}

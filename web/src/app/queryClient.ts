import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

export const ME_KEY = ['me'] as const;

// A 401 on any call means the session ended (expired, signed out elsewhere): forget the user,
// and the route guard sends them to the sign-in page with a way back.
// A 403 mfa_enrollment_required means the account must set up two-factor authentication first:
// reload the profile, whose mfaEnrollmentRequired flag sends them to the set-up page.
function onError(error: unknown): void {
  if (!(error instanceof ApiError)) return;
  if (error.status === 401 && queryClient.getQueryData(ME_KEY)) {
    queryClient.setQueryData(ME_KEY, null);
  } else if (error.status === 403 && error.code === 'mfa_enrollment_required') {
    void queryClient.invalidateQueries({ queryKey: ME_KEY });
  }
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Client errors will not heal by retrying; network and server errors might.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

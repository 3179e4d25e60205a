import { Center, Container, Loader } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, api, problemToError, setCsrfToken, unwrap, type Me } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { hasChosenLanguage, LANGUAGES, setLanguage } from '../i18n';
import { ME_KEY } from './queryClient';

export type { Me };
export type Role = Me['roles'][number]['role'];

interface AuthValue {
  me: Me | null;
  can: (permission: string) => boolean;
  signIn: (me: Me) => void;
  /** Ends this session on the server, then goes to `to` (the sign-in page by default). */
  signOut: (to?: string) => void;
  signingOut: boolean;
  /** Forgets the session in this browser only (after the server ended it), then goes to `to`. */
  forget: (to?: string) => void;
}

const AuthContext = createContext<AuthValue | null>(null);

/** The signed-in user, or null when nobody is. */
async function fetchMe(): Promise<Me | null> {
  let result;
  try {
    result = await api.GET('/api/auth/me');
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', detail: null });
  }
  const { data, error, response } = result;
  if (response.status === 401) {
    setCsrfToken(null);
    return null;
  }
  if (!response.ok || !data) throw problemToError(response, error);
  setCsrfToken(data.csrfToken);
  return data;
}

export function useMeQuery() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: 1 });
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const meQuery = useMeQuery();
  const me = meQuery.data ?? null;

  // A person who never picked a language on this device gets the one in their profile.
  const locale = me?.locale;
  useEffect(() => {
    if (locale && !hasChosenLanguage() && LANGUAGES.some((l) => l.code === locale))
      setLanguage(locale, false);
  }, [locale]);

  const signIn = useCallback(
    (signedIn: Me) => {
      setCsrfToken(signedIn.csrfToken);
      // Nothing cached for an earlier session (an expired one, another person) may show through.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, signedIn);
    },
    [queryClient],
  );

  const forget = useCallback(
    (to = '/sign-in') => {
      setCsrfToken(null);
      // Leave first, so the route guard does not offer a way back to the page being left.
      void navigate(to, { replace: true });
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, null);
    },
    [navigate, queryClient],
  );

  const signOutMutation = useMutation({
    mutationFn: (_to: string | undefined) => unwrap(api.POST('/api/auth/sign-out')),
    // Whatever the server said, this browser forgets the session and its data.
    onSettled: (_data, _error, to) => forget(to),
  });
  const { mutate: signOutMutate, isPending: signingOut } = signOutMutation;

  const value = useMemo<AuthValue>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      me,
      can: (permission) => permissions.has(permission),
      signIn,
      signOut: (to) => signOutMutate(to),
      signingOut,
      forget,
    };
  }, [me, signIn, signOutMutate, signingOut, forget]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components rendered under <RequireAuth>. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe must be used under <RequireAuth>');
  return me;
}

/** Only a local path may be a `next` target, never another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** Renders its children for a signed-in user; sends anybody else to the sign-in page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const meQuery = useMeQuery();

  if (meQuery.isPending) {
    return (
      <Center h="100vh" aria-busy="true">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (meQuery.isError) {
    return (
      <Container size="sm" py="xl">
        <ErrorAlert
          error={meQuery.error}
          title={t('errors.unreachable')}
          onRetry={() => void meQuery.refetch()}
          retrying={meQuery.isFetching}
        />
      </Container>
    );
  }
  if (!meQuery.data) {
    const next = `${location.pathname}${location.search}`;
    const to = next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  return children;
}

export const TWO_FACTOR_PATH = '/account/two-factor';

/**
 * An account that must set up two-factor authentication (the policy requires it for its role) may do
 * nothing else: every page leads to the set-up page, shown in `restricted` (no navigation).
 */
export function RequireMfaEnrolment({
  children,
  restricted,
}: {
  children: ReactNode;
  restricted: ReactNode;
}) {
  const me = useMe();
  const { pathname } = useLocation();
  if (!me.mfaEnrollmentRequired) return children;
  if (pathname !== TWO_FACTOR_PATH) return <Navigate to={TWO_FACTOR_PATH} replace />;
  return restricted;
}

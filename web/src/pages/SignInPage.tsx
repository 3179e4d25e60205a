import { Alert, Anchor, Button, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconAlertCircle, IconInfoCircle, IconLogin2 } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, unwrap, type ApiResponse, type Me } from '../api/client';
import { safeNext, useAuth, useMeQuery } from '../app/auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormCard, PublicFrame } from '../components/PublicFrame';
import { describeError } from '../components/errors';

type SignInAnswer = ApiResponse<'/api/auth/sign-in', 'post'>;
const isChallenge = (a: SignInAnswer): a is Extract<SignInAnswer, { mfaRequired: true }> =>
  'mfaRequired' in a && a.mfaRequired === true;

/** Why single sign-on sent the person back here (the server's /sign-in?error=). */
const SSO_ERRORS = ['sso_no_account', 'sso_email_unverified', 'sso_failed'] as const;
type SsoError = (typeof SSO_ERRORS)[number];
const isSsoError = (e: string | null): e is SsoError =>
  (SSO_ERRORS as readonly (string | null)[]).includes(e);

export function SignInPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { signIn } = useAuth();
  const meQuery = useMeQuery();
  // Step two holds the challenge the password step earned (or single sign-on, for people with
  // two-factor authentication: /sign-in?challenge=...); the email is kept to start again.
  const [challenge, setChallenge] = useState<string | null>(() => params.get('challenge') || null);
  const [expired, setExpired] = useState(false);
  const [email, setEmail] = useState('');
  const [ssoError, setSsoError] = useState<SsoError | 'unknown' | null>(() => {
    const e = params.get('error');
    return e ? (isSsoError(e) ? e : 'unknown') : null;
  });

  // The challenge and error are read once; a reload or a bookmark must not replay them.
  const hasOneOff = params.has('challenge') || params.has('error');
  useEffect(() => {
    if (!hasOneOff) return;
    setParams(
      (prev) => {
        const q = new URLSearchParams(prev);
        q.delete('challenge');
        q.delete('error');
        return q;
      },
      { replace: true },
    );
  }, [hasOneOff, setParams]);

  const finish = (me: Me) => {
    signIn(me);
    void navigate(next, { replace: true });
  };

  // Already signed in (for example, a bookmarked sign-in page): go straight on.
  if (meQuery.data) return <Navigate to={next} replace />;

  return (
    <PublicFrame
      title={challenge ? t('signIn.mfaTitle') : t('signIn.title')}
      description={challenge ? t('signIn.mfaDescription') : t('app.tagline')}
      loading={meQuery.isPending}
    >
      {challenge ? (
        <MfaStep
          challenge={challenge}
          onSignedIn={finish}
          onRestart={(why) => {
            setChallenge(null);
            setExpired(why === 'expired');
          }}
        />
      ) : (
        <PasswordStep
          initialEmail={email}
          expired={expired}
          ssoError={ssoError}
          onSignedIn={finish}
          onChallenge={(c, mail) => {
            setEmail(mail);
            setExpired(false);
            setSsoError(null);
            setChallenge(c);
          }}
        />
      )}
    </PublicFrame>
  );
}

/** Single sign-on, when the deployment has an identity provider: a full-page visit, not a fetch. */
function SingleSignOn() {
  const { t } = useTranslation();
  const oidc = useQuery({
    queryKey: ['auth', 'oidc'],
    queryFn: ({ signal }) => unwrap(api.GET('/api/auth/oidc', { signal })),
    staleTime: 10 * 60_000,
    retry: false,
  });
  if (!oidc.data?.enabled) return null;
  return (
    <>
      <Divider label={t('signIn.or')} labelPosition="center" />
      <Button
        component="a"
        href="/api/auth/oidc/start"
        variant="default"
        size="md"
        fullWidth
        leftSection={<IconLogin2 size={18} aria-hidden />}
      >
        {oidc.data.label || t('signIn.sso')}
      </Button>
    </>
  );
}

function PasswordStep(props: {
  initialEmail: string;
  expired: boolean;
  ssoError: SsoError | 'unknown' | null;
  onSignedIn: (me: Me) => void;
  onChallenge: (challenge: string, email: string) => void;
}) {
  const { initialEmail, expired, ssoError, onSignedIn, onChallenge } = props;
  const { t } = useTranslation();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: initialEmail, password: '' },
    validate: {
      email: (v) => (v.trim() ? null : t('signIn.emailRequired')),
      password: (v) => (v ? null : t('signIn.passwordRequired')),
    },
  });

  const mutation = useMutation({
    mutationFn: (values: { email: string; password: string }) =>
      unwrap(
        api.POST('/api/auth/sign-in', { body: { email: values.email.trim(), password: values.password } }),
      ),
    onSuccess: (answer, values) => {
      if (isChallenge(answer)) onChallenge(answer.challenge, values.email.trim());
      else onSignedIn(answer);
    },
  });

  return (
    <>
      <FormCard>
        <form noValidate onSubmit={form.onSubmit((values) => mutation.mutate(values))}>
          <Stack gap="md">
            {expired && !mutation.isError && (
              <Alert color="yellow" variant="light" icon={<IconInfoCircle aria-hidden />} role="alert">
                {t('signIn.challengeExpired')}
              </Alert>
            )}
            {ssoError && !mutation.isError && !mutation.isPending && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertCircle aria-hidden />}
                title={t('signIn.ssoFailedTitle')}
                role="alert"
              >
                {t(`signIn.ssoErrors.${ssoError}`)}
              </Alert>
            )}
            {mutation.isError && <ErrorAlert error={mutation.error} title={t('signIn.failed')} />}
            <TextInput
              label={t('signIn.email')}
              type="email"
              autoComplete="username"
              inputMode="email"
              dir="ltr"
              required
              autoFocus={!initialEmail}
              size="md"
              key={form.key('email')}
              {...form.getInputProps('email')}
            />
            <Stack gap={4}>
              <PasswordInput
                label={t('signIn.password')}
                autoComplete="current-password"
                dir="ltr"
                required
                autoFocus={Boolean(initialEmail)}
                size="md"
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword'), tabIndex: 0 }}
                key={form.key('password')}
                {...form.getInputProps('password')}
              />
              <Group justify="flex-end">
                <Anchor component={Link} to="/forgot-password" size="sm">
                  {t('signIn.forgot')}
                </Anchor>
              </Group>
            </Stack>
            <Button type="submit" size="md" loading={mutation.isPending} fullWidth>
              {t('signIn.submit')}
            </Button>
            <SingleSignOn />
          </Stack>
        </form>
      </FormCard>
      <Text size="sm" c="dimmed">
        {t('signIn.help')}
      </Text>
    </>
  );
}

function MfaStep(props: {
  challenge: string;
  onSignedIn: (me: Me) => void;
  onRestart: (why: 'expired' | 'asked') => void;
}) {
  const { challenge, onSignedIn, onRestart } = props;
  const { t, i18n } = useTranslation();
  const [useRecovery, setUseRecovery] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '', recoveryCode: '' },
    validate: {
      code: (v) => (useRecovery || /^\d{6}$/.test(v.trim()) ? null : t('signIn.codeInvalid')),
      recoveryCode: (v) => (!useRecovery || v.trim() ? null : t('signIn.recoveryRequired')),
    },
  });

  const mutation = useMutation({
    mutationFn: (v: { code: string; recoveryCode: string }) =>
      unwrap(
        api.POST('/api/auth/sign-in/mfa', {
          body: useRecovery
            ? { challenge, recoveryCode: v.recoveryCode.trim() }
            : { challenge, code: v.code.trim() },
        }),
      ),
    onSuccess: onSignedIn,
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'mfa_challenge_expired') {
        onRestart('expired');
        return;
      }
      if (error instanceof ApiError && error.code === 'invalid_mfa_code') {
        const field = useRecovery ? 'recoveryCode' : 'code';
        form.setFieldError(field, describeError(error, t, i18n.language).message);
        form.setFieldValue(field, '');
      }
    },
  });
  const fieldError = mutation.error instanceof ApiError && mutation.error.code === 'invalid_mfa_code';

  const toggle = () => {
    mutation.reset();
    form.clearErrors();
    setUseRecovery((r) => !r);
  };

  return (
    <FormCard>
      <form noValidate onSubmit={form.onSubmit((v) => mutation.mutate(v))}>
        <Stack gap="md">
          {mutation.isError && !fieldError && (
            <ErrorAlert error={mutation.error} title={t('signIn.failed')} />
          )}
          {useRecovery ? (
            <TextInput
              key="recovery"
              label={t('signIn.recoveryCode')}
              description={t('signIn.recoveryHint')}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              dir="ltr"
              required
              autoFocus
              size="md"
              maxLength={40}
              className="qila-code-input"
              {...form.getInputProps('recoveryCode')}
            />
          ) : (
            <TextInput
              key="code"
              label={t('signIn.code')}
              description={t('signIn.codeHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              maxLength={6}
              dir="ltr"
              required
              autoFocus
              size="md"
              className="qila-code-input"
              {...form.getInputProps('code')}
            />
          )}
          <Button type="submit" size="md" loading={mutation.isPending} fullWidth>
            {t('signIn.verify')}
          </Button>
          <Group justify="space-between" gap="xs">
            <Anchor component="button" type="button" size="sm" onClick={toggle}>
              {useRecovery ? t('signIn.useApp') : t('signIn.useRecovery')}
            </Anchor>
            <Anchor component="button" type="button" size="sm" onClick={() => onRestart('asked')}>
              {t('signIn.startAgain')}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </FormCard>
  );
}

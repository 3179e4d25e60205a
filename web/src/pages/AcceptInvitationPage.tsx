import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconCircleCheck, IconMailOpened, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api, unwrap, type ApiResponse, type Me } from '../api/client';
import { TWO_FACTOR_PATH, useAuth, useMeQuery } from '../app/auth';
import { useDescribeRole, type Assignment } from '../app/roles';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormCard, PublicFrame } from '../components/PublicFrame';
import { confirmProblem, newPasswordProblem, passwordComplaint } from '../components/passwords';
import { useFormat } from '../i18n/format';

type Preview = ApiResponse<'/api/invitations/preview'>;

export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const meQuery = useMeQuery();
  const { signOut, signingOut } = useAuth();
  // Set once this page has created the account (and so signed the new user in).
  const [accepted, setAccepted] = useState<Me | null>(null);

  const preview = useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => unwrap(api.GET('/api/invitations/preview', { params: { query: { token } } })),
    enabled: token.length >= 20 && !accepted,
    retry: false,
    staleTime: Infinity,
  });

  const signedInElsewhere = meQuery.data && !accepted;
  const invalid =
    token.length < 20 || (preview.error instanceof ApiError && preview.error.code === 'invitation_invalid');

  return (
    <PublicFrame
      title={accepted ? t('invitation.welcome', { name: accepted.displayName }) : t('invitation.title')}
      description={accepted ? undefined : t('invitation.description')}
      loading={meQuery.isPending || (preview.isPending && preview.fetchStatus !== 'idle')}
      width={560}
    >
      {accepted ? (
        <Accepted me={accepted} />
      ) : invalid ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('invitation.invalidTitle')}
          role="alert"
        >
          <Stack gap="sm">
            <Text size="sm">{t('invitation.invalid')}</Text>
            <Anchor component={Link} to="/sign-in" size="sm">
              {t('invitation.haveAccount')}
            </Anchor>
          </Stack>
        </Alert>
      ) : preview.isError ? (
        <ErrorAlert
          error={preview.error}
          title={t('invitation.loadFailed')}
          onRetry={() => void preview.refetch()}
          retrying={preview.isFetching}
        />
      ) : signedInElsewhere ? (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('invitation.signedInTitle')}
        >
          <Stack gap="sm">
            <Text size="sm">{t('invitation.signedIn', { email: meQuery.data?.email ?? '' })}</Text>
            <Group>
              <Button
                color="dark"
                variant="white"
                loading={signingOut}
                onClick={() => signOut(`/accept-invitation?token=${encodeURIComponent(token)}`)}
              >
                {t('invitation.signOutFirst')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : preview.data ? (
        <AcceptForm token={token} preview={preview.data} onAccepted={setAccepted} />
      ) : null}
    </PublicFrame>
  );
}

function InvitationSummary({ preview }: { preview: Preview }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const describeRole = useDescribeRole();
  // Before sign-in the entity cannot be looked up: it is the invitee's own organisation.
  const describe = (r: Assignment) =>
    r.scopeKind === 'entity'
      ? t('scope.roleInScope', { role: t(`roles.${r.role}`), scope: t('invitation.yourOrganisation') })
      : describeRole(r);
  return (
    <Alert
      color="qila"
      variant="light"
      icon={<IconMailOpened aria-hidden />}
      title={t('invitation.forEmail', { email: preview.email })}
    >
      <Stack gap="xs">
        <Text size="sm">{t('invitation.roles', { count: preview.roles.length })}</Text>
        <List size="sm" spacing={4}>
          {preview.roles.map((r, i) => (
            <List.Item key={`${r.role}-${i}`} fw={600}>
              {describe(r)}
            </List.Item>
          ))}
        </List>
        <Text size="xs" c="dimmed">
          {t('invitation.expires', { date: fmt.dateTime(preview.expiresAt) })}
        </Text>
      </Stack>
    </Alert>
  );
}

function AcceptForm({
  token,
  preview,
  onAccepted,
}: {
  token: string;
  preview: Preview;
  onAccepted: (me: Me) => void;
}) {
  const { t, i18n } = useTranslation();
  const { signIn } = useAuth();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { displayName: preview.displayName ?? '', password: '', confirm: '' },
    validate: {
      displayName: (v) =>
        v.trim()
          ? v.trim().length > 120
            ? t('invitation.nameTooLong')
            : null
          : t('invitation.nameRequired'),
      password: (v) => newPasswordProblem(v, t),
      confirm: (v, values) => confirmProblem(v, values.password, t),
    },
  });
  const accept = useMutation({
    mutationFn: (v: { displayName: string; password: string }) =>
      unwrap(
        api.POST('/api/invitations/accept', {
          body: { token, displayName: v.displayName.trim(), password: v.password },
        }),
      ),
    onSuccess: (me) => {
      onAccepted(me);
      signIn(me);
    },
    onError: (error) => {
      const complaint = passwordComplaint(error, t, i18n.language);
      if (complaint) form.setFieldError('password', complaint);
    },
  });
  const fieldError = passwordComplaint(accept.error, t, i18n.language) !== null;
  const toggle = { 'aria-label': t('signIn.showPassword'), tabIndex: 0 };

  return (
    <>
      <InvitationSummary preview={preview} />
      <FormCard>
        <form noValidate onSubmit={form.onSubmit((v) => accept.mutate(v))}>
          <Stack gap="md">
            {accept.isError && !fieldError && (
              <ErrorAlert error={accept.error} title={t('invitation.failed')} />
            )}
            <TextInput
              label={t('signIn.email')}
              value={preview.email}
              readOnly
              dir="ltr"
              size="md"
              autoComplete="username"
              variant="filled"
            />
            <TextInput
              label={t('invitation.name')}
              description={t('invitation.nameHint')}
              autoComplete="name"
              required
              autoFocus
              size="md"
              maxLength={120}
              key={form.key('displayName')}
              {...form.getInputProps('displayName')}
            />
            <PasswordInput
              label={t('invitation.password')}
              description={t('password.policy')}
              autoComplete="new-password"
              dir="ltr"
              required
              size="md"
              visibilityToggleButtonProps={toggle}
              key={form.key('password')}
              {...form.getInputProps('password')}
            />
            <PasswordInput
              label={t('password.confirm')}
              autoComplete="new-password"
              dir="ltr"
              required
              size="md"
              visibilityToggleButtonProps={toggle}
              key={form.key('confirm')}
              {...form.getInputProps('confirm')}
            />
            <Button type="submit" size="md" loading={accept.isPending} fullWidth>
              {t('invitation.submit')}
            </Button>
          </Stack>
        </form>
      </FormCard>
    </>
  );
}

function Accepted({ me }: { me: Me }) {
  const { t } = useTranslation();
  const describeRole = useDescribeRole();
  return (
    <Stack gap="md">
      <Alert
        color="qila"
        variant="light"
        icon={<IconCircleCheck aria-hidden />}
        title={t('invitation.readyTitle')}
        role="status"
      >
        <Stack gap="xs">
          <Text size="sm">{t('invitation.ready')}</Text>
          <List size="sm" spacing={4}>
            {me.roles.map((r, i) => (
              <List.Item key={`${r.role}-${i}`} fw={600}>
                {describeRole(r)}
              </List.Item>
            ))}
          </List>
        </Stack>
      </Alert>
      <FormCard>
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ThemeIcon size={40} radius="xl" variant="light" aria-hidden>
              <IconShieldCheck size={24} />
            </ThemeIcon>
            <Stack gap={4}>
              <Group gap="xs">
                <Text fw={700}>{t('invitation.twoFactorTitle')}</Text>
                <Badge color="qila" variant="light" size="sm">
                  {me.mfaEnrollmentRequired ? t('invitation.requiredBadge') : t('invitation.recommended')}
                </Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {me.mfaEnrollmentRequired ? t('invitation.twoFactorRequired') : t('invitation.twoFactorBody')}
              </Text>
            </Stack>
          </Group>
          <Stack gap="sm">
            <Button component={Link} to={TWO_FACTOR_PATH} size="md" fullWidth>
              {t('invitation.setUpNow')}
            </Button>
            {!me.mfaEnrollmentRequired && (
              <Button component={Link} to="/" size="md" variant="default" fullWidth>
                {t('invitation.later')}
              </Button>
            )}
          </Stack>
        </Stack>
      </FormCard>
    </Stack>
  );
}

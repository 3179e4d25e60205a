import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDeviceDesktop, IconKey, IconLogout, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, unwrap, type ApiResponse } from '../../api/client';
import { TWO_FACTOR_PATH, useAuth, useMe } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { ME_KEY } from '../../app/queryClient';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RoleBadges } from '../../components/RoleBadges';
import { describeError } from '../../components/errors';
import { confirmProblem, newPasswordProblem, passwordComplaint } from '../../components/passwords';
import { useFormat } from '../../i18n/format';

type Session = ApiResponse<'/api/auth/sessions'>['items'][number];
const SESSIONS_KEY = ['auth', 'sessions'] as const;

/** "Chrome on Windows": enough to recognise a device, from its user-agent string. */
export function describeAgent(ua: string | null): { browser: string; os: string } | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : '';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return browser || os ? { browser, os } : null;
}

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <Paper p="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('account.title')} description={t('account.description')} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            <ProfileSection />
            <TwoFactorSection />
            {can('tokens.create') && (
              <Section title={t('tokens.title')} description={t('account.tokensHint')}>
                <div>
                  <Button
                    component={Link}
                    to="/account/tokens"
                    variant="light"
                    leftSection={<IconKey size={16} aria-hidden />}
                  >
                    {t('account.manageTokens')}
                  </Button>
                </div>
              </Section>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PasswordSection />
        </Grid.Col>
        <Grid.Col span={12}>
          <SessionsSection />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ProfileSection() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <Section title={t('account.profile')}>
      <Table variant="vertical" withTableBorder={false} layout="fixed" fz="sm">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>{t('account.name')}</Table.Th>
            <Table.Td>{me.displayName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('account.email')}</Table.Th>
            <Table.Td>
              <span className="qila-code" style={{ fontFamily: 'inherit' }}>
                {me.email}
              </span>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('user.roles', { count: me.roles.length })}</Table.Th>
            <Table.Td>
              <RoleBadges roles={me.roles} own />
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('account.profileHint')}
      </Text>
    </Section>
  );
}

function TwoFactorSection() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [turningOff, setTurningOff] = useState(false);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '' },
    validate: { password: (v) => (v ? null : t('signIn.passwordRequired')) },
  });
  const disable = useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/api/auth/mfa/disable', { body: { password } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      close();
      notifications.show({
        color: 'qila',
        title: t('twoFactor.offTitle'),
        message: t('twoFactor.turnedOff'),
      });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'invalid_password')
        form.setFieldError('password', describeError(error, t, i18n.language).message);
    },
  });
  const close = () => {
    setTurningOff(false);
    form.reset();
    disable.reset();
  };
  const fieldError = disable.error instanceof ApiError && disable.error.code === 'invalid_password';

  return (
    <Section title={t('twoFactor.sectionTitle')} description={t('twoFactor.sectionHint')}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        {me.totpEnabled ? (
          <Badge
            color="qila"
            size="lg"
            variant="light"
            leftSection={<IconShieldCheck size={16} aria-hidden />}
          >
            {t('twoFactor.statusOn')}
          </Badge>
        ) : (
          <Badge
            color="orange"
            size="lg"
            variant="light"
            leftSection={<IconShieldOff size={16} aria-hidden />}
          >
            {t('twoFactor.statusOff')}
          </Badge>
        )}
        {me.totpEnabled ? (
          <Button variant="default" color="red" onClick={() => setTurningOff(true)}>
            {t('twoFactor.turnOff')}
          </Button>
        ) : (
          <Button
            component={Link}
            to={TWO_FACTOR_PATH}
            leftSection={<IconShieldCheck size={16} aria-hidden />}
          >
            {t('twoFactor.setUp')}
          </Button>
        )}
      </Group>
      {!me.totpEnabled && (
        <Text size="sm" c="dimmed">
          {t('twoFactor.recommend')}
        </Text>
      )}
      <Modal opened={turningOff} onClose={close} title={t('twoFactor.turnOffTitle')} centered>
        <form noValidate onSubmit={form.onSubmit((v) => disable.mutate(v.password))}>
          <Stack gap="md">
            <Text size="sm">{t('twoFactor.turnOffBody')}</Text>
            {disable.isError && !fieldError && <ErrorAlert error={disable.error} />}
            <PasswordInput
              label={t('account.currentPassword')}
              autoComplete="current-password"
              dir="ltr"
              required
              data-autofocus
              visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword'), tabIndex: 0 }}
              key={form.key('password')}
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t('actions.cancel')}
              </Button>
              <Button type="submit" color="red" loading={disable.isPending}>
                {t('twoFactor.turnOff')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Section>
  );
}

function PasswordSection() {
  const { t, i18n } = useTranslation();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('signIn.passwordRequired')),
      newPassword: (v) => newPasswordProblem(v, t),
      confirm: (v, values) => confirmProblem(v, values.newPassword, t),
    },
  });
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) =>
      unwrap(api.POST('/api/auth/password', { body: v })),
    onSuccess: () => {
      form.reset();
      notifications.show({
        color: 'qila',
        title: t('account.passwordChangedTitle'),
        message: t('account.passwordChanged'),
      });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'invalid_password')
        form.setFieldError('currentPassword', describeError(error, t, i18n.language).message);
      const complaint = passwordComplaint(error, t, i18n.language);
      if (complaint) form.setFieldError('newPassword', complaint);
    },
  });
  const fieldError =
    (change.error instanceof ApiError && change.error.code === 'invalid_password') ||
    passwordComplaint(change.error, t, i18n.language) !== null;
  const toggle = { 'aria-label': t('signIn.showPassword'), tabIndex: 0 };

  return (
    <Section title={t('account.passwordTitle')} description={t('account.passwordHint')}>
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
        )}
      >
        <Stack gap="sm">
          {change.isError && !fieldError && (
            <ErrorAlert error={change.error} title={t('account.passwordFailed')} />
          )}
          <PasswordInput
            label={t('account.currentPassword')}
            autoComplete="current-password"
            dir="ltr"
            required
            visibilityToggleButtonProps={toggle}
            key={form.key('currentPassword')}
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('password.new')}
            description={t('password.policy')}
            autoComplete="new-password"
            dir="ltr"
            required
            visibilityToggleButtonProps={toggle}
            key={form.key('newPassword')}
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('password.confirm')}
            autoComplete="new-password"
            dir="ltr"
            required
            visibilityToggleButtonProps={toggle}
            key={form.key('confirm')}
            {...form.getInputProps('confirm')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('account.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function SessionsSection() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const tz = jurisdiction?.timeZone;
  const queryClient = useQueryClient();
  const { signOut, signingOut, forget } = useAuth();
  const [confirmAll, setConfirmAll] = useState(false);

  const sessions = useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: () => unwrap(api.GET('/api/auth/sessions')),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/auth/sessions/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      notifications.show({ color: 'qila', title: t('sessions.endedTitle'), message: t('sessions.ended') });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: t('sessions.endFailed'),
        message: describeError(error, t, i18n.language).message,
      }),
  });
  const everywhere = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/sign-out-everywhere')),
    onSuccess: () => forget('/sign-in'),
  });

  const items = sessions.data?.items ?? [];
  const device = (s: Session) => {
    const a = describeAgent(s.userAgent);
    if (!a) return t('sessions.unknownDevice');
    if (a.browser && a.os) return t('sessions.browserOn', { browser: a.browser, os: a.os });
    return a.browser || a.os;
  };

  return (
    <Section title={t('sessions.title')} description={t('sessions.description')}>
      {sessions.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')}>
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={32} />
          ))}
        </Stack>
      ) : sessions.isError ? (
        <ErrorAlert
          error={sessions.error}
          title={t('sessions.loadFailed')}
          onRetry={() => void sessions.refetch()}
          retrying={sessions.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState icon={<IconDeviceDesktop size={26} />} title={t('sessions.empty')} />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table fz="sm" striped>
            <VisuallyHidden component="caption">{t('sessions.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('sessions.device')}</Table.Th>
                <Table.Th scope="col">{t('sessions.ip')}</Table.Th>
                <Table.Th scope="col">{t('sessions.started')}</Table.Th>
                <Table.Th scope="col">{t('sessions.lastSeen')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Th scope="row" fw={500}>
                    <Group gap="xs" wrap="nowrap">
                      <span title={s.userAgent ?? undefined}>{device(s)}</span>
                      {s.current && (
                        <Badge size="sm" color="qila" variant="filled">
                          {t('sessions.thisDevice')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Th>
                  <Table.Td>
                    <span className="qila-code">{s.ip ?? '—'}</span>
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(s.createdAt, tz)}</Table.Td>
                  <Table.Td>{fmt.dateTime(s.lastSeenAt, tz)}</Table.Td>
                  <Table.Td ta="end">
                    {s.current ? (
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => signOut()}
                        loading={signingOut}
                      >
                        {t('user.signOut')}
                      </Button>
                    ) : (
                      <Button
                        size="compact-sm"
                        variant="default"
                        color="red"
                        onClick={() => revoke.mutate(s.id)}
                        loading={revoke.isPending && revoke.variables === s.id}
                        aria-label={t('sessions.endOne', { device: device(s) })}
                      >
                        {t('user.signOut')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Alert variant="light" color="gray" p="sm">
        <Group justify="space-between" gap="sm">
          <Text size="sm" style={{ flex: 1, minWidth: 220 }}>
            {t('sessions.everywhereHint')}
          </Text>
          <Button
            color="red"
            variant="light"
            leftSection={<IconLogout size={16} aria-hidden />}
            onClick={() => setConfirmAll(true)}
          >
            {t('sessions.everywhere')}
          </Button>
        </Group>
      </Alert>
      <ConfirmModal
        opened={confirmAll}
        title={t('sessions.everywhereTitle')}
        confirmLabel={t('sessions.everywhere')}
        danger
        loading={everywhere.isPending}
        error={everywhere.error}
        onConfirm={() => everywhere.mutate()}
        onClose={() => {
          everywhere.reset();
          setConfirmAll(false);
        }}
      >
        <Text size="sm">{t('sessions.everywhereBody')}</Text>
      </ConfirmModal>
    </Section>
  );
}

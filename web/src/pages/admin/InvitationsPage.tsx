import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconMailPlus, IconMailX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api, fieldOf, unwrap, type ApiResponse } from '../../api/client';
import { useAuth, useMe } from '../../app/auth';
import { useNames } from '../../app/jurisdiction';
import { grantableBy } from '../../app/roles';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RoleBadges } from '../../components/RoleBadges';
import {
  newRow,
  RoleRowsEditor,
  rowErrorsFrom,
  rowsToBody,
  validateRows,
  type RoleRow,
  type RowErrors,
} from '../../components/RoleRowsEditor';
import { describeError } from '../../components/errors';
import { useFormat } from '../../i18n/format';

type Invitation = ApiResponse<'/api/invitations'>['items'][number];
type Status = Invitation['status'];
const INVITATIONS_KEY = ['invitations'] as const;
const STATUSES: readonly Status[] = ['pending', 'accepted', 'expired', 'revoked'];
const STATUS_COLOR: Record<Status, string> = {
  pending: 'blue',
  accepted: 'qila',
  expired: 'gray',
  revoked: 'red',
};
const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s);

export function InvitationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const tz = jurisdiction?.timeZone;
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status') ?? '';
  const status: Status | 'all' = isStatus(statusParam) ? statusParam : 'all';
  const [inviting, setInviting] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Invitation | null>(null);

  const invitations = useQuery({
    queryKey: INVITATIONS_KEY,
    queryFn: () => unwrap(api.GET('/api/invitations')),
  });
  const all = invitations.data?.items ?? [];
  const items = status === 'all' ? all : all.filter((i) => i.status === status);
  const canInvite = can('invitations.create');

  return (
    <Stack gap="md">
      <PageHeader
        title={t('admin.invitations.title')}
        description={t('admin.invitations.description')}
        actions={
          canInvite && (
            <Button leftSection={<IconMailPlus size={16} aria-hidden />} onClick={() => setInviting(true)}>
              {t('admin.invitations.invite')}
            </Button>
          )
        }
      />
      <Group gap="sm" align="center">
        <Text size="sm" fw={600} id="invitation-status-label">
          {t('admin.invitations.show')}
        </Text>
        <SegmentedControl
          role="radiogroup"
          aria-labelledby="invitation-status-label"
          value={status}
          onChange={(v) => setParams(v === 'all' ? {} : { status: v }, { replace: true })}
          data={[
            { value: 'all', label: t('admin.invitations.all') },
            ...STATUSES.map((s) => ({ value: s, label: t(`admin.invitations.statuses.${s}`) })),
          ]}
        />
      </Group>

      {invitations.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap="xs">
            {Array.from({ length: 5 }, (_, i) => (
              <Skeleton key={i} h={36} />
            ))}
          </Stack>
        </Paper>
      ) : invitations.isError ? (
        <ErrorAlert
          error={invitations.error}
          title={t('admin.invitations.loadFailed')}
          onRetry={() => void invitations.refetch()}
          retrying={invitations.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconMailX size={26} />}
          title={all.length === 0 ? t('admin.invitations.emptyTitle') : t('admin.invitations.noMatchTitle')}
          description={all.length === 0 ? t('admin.invitations.emptyBody') : undefined}
          action={
            all.length === 0 && canInvite ? (
              <Button variant="light" onClick={() => setInviting(true)}>
                {t('admin.invitations.invite')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={960}>
            <Table striped highlightOnHover fz="sm" verticalSpacing={8}>
              <VisuallyHidden component="caption">{t('admin.invitations.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.invitations.invitee')}</Table.Th>
                  <Table.Th scope="col">{t('user.roles_other')}</Table.Th>
                  <Table.Th scope="col">{t('admin.invitations.status')}</Table.Th>
                  <Table.Th scope="col">{t('admin.invitations.sent')}</Table.Th>
                  <Table.Th scope="col">{t('admin.invitations.expires')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((inv) => (
                  <Table.Tr key={inv.id}>
                    <Table.Th scope="row" fw={500}>
                      <Stack gap={0}>
                        <Text size="sm" fw={700} className="qila-code" style={{ fontFamily: 'inherit' }}>
                          {inv.email}
                        </Text>
                        {inv.displayName && (
                          <Text size="xs" c="dimmed">
                            {inv.displayName}
                          </Text>
                        )}
                      </Stack>
                    </Table.Th>
                    <Table.Td maw={420}>
                      <RoleBadges roles={inv.roles} />
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[inv.status]} variant="light" className="qila-badge-fit">
                        {t(`admin.invitations.statuses.${inv.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(inv.createdAt, tz)}</Table.Td>
                    <Table.Td>{fmt.dateTime(inv.expiresAt, tz)}</Table.Td>
                    <Table.Td ta="end">
                      {inv.allowedActions.includes('revoke') && (
                        <Button
                          size="compact-sm"
                          variant="default"
                          color="red"
                          onClick={() => setWithdrawing(inv)}
                          aria-label={t('admin.invitations.withdrawOne', { email: inv.email })}
                        >
                          {t('admin.invitations.withdraw')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <Modal
        opened={inviting}
        onClose={() => setInviting(false)}
        title={t('admin.invitations.inviteTitle')}
        size="xl"
      >
        {inviting && <InviteForm onClose={() => setInviting(false)} />}
      </Modal>
      <WithdrawModal invitation={withdrawing} onClose={() => setWithdrawing(null)} />
    </Stack>
  );
}

function InviteForm({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const grantable = grantableBy(me);
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<RoleRow[]>(() => [newRow(grantable)]);
  const [rowErrors, setRowErrors] = useState<RowErrors>({});
  const [rolesError, setRolesError] = useState<string | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', displayName: '' },
    validate: {
      email: (v) =>
        /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v.trim()) ? null : t('admin.invitations.emailInvalid'),
      displayName: (v) => (v.trim().length > 120 ? t('invitation.nameTooLong') : null),
    },
  });
  const invite = useMutation({
    mutationFn: (v: { email: string; displayName: string }) =>
      unwrap(
        api.POST('/api/invitations', {
          body: {
            email: v.email.trim(),
            displayName: v.displayName.trim() || undefined,
            roles: rowsToBody(rows),
          },
        }),
      ),
    onSuccess: async (inv) => {
      await queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
      notifications.show({
        color: 'qila',
        title: t('admin.invitations.sentTitle'),
        message: t('admin.invitations.sentBody', { email: inv.email }),
      });
      onClose();
    },
    onError: (error) => {
      setRowErrors(rowErrorsFrom(error) ?? {});
      if (error instanceof ApiError) {
        if (error.code === 'email_taken')
          form.setFieldError('email', describeError(error, t, i18n.language).message);
        for (const e of error.errors) {
          const f = fieldOf(e.path);
          if (f === 'email' || f === 'displayName') form.setFieldError(f, e.message);
        }
      }
    },
  });
  const fieldError = invite.error instanceof ApiError && invite.error.code === 'email_taken';

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        const problem = validateRows(rows, t, true);
        if (typeof problem === 'string') {
          setRolesError(problem);
          return;
        }
        setRolesError(null);
        if (problem) {
          setRowErrors(problem);
          return;
        }
        setRowErrors({});
        invite.mutate(v);
      })}
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('admin.invitations.inviteHint')}
        </Text>
        {invite.isError && !fieldError && (
          <ErrorAlert error={invite.error} title={t('admin.invitations.failed')} />
        )}
        <Group grow align="flex-start" wrap="wrap">
          <TextInput
            label={t('signIn.email')}
            description={t('admin.invitations.emailHint')}
            type="email"
            inputMode="email"
            autoComplete="off"
            dir="ltr"
            required
            data-autofocus
            miw={240}
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <TextInput
            label={t('admin.invitations.name')}
            description={t('admin.invitations.nameHint')}
            maxLength={120}
            miw={240}
            key={form.key('displayName')}
            {...form.getInputProps('displayName')}
          />
        </Group>
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            {t('user.roles_other')}
          </Text>
          {rolesError && (
            <Text size="sm" c="red.8" role="alert">
              {rolesError}
            </Text>
          )}
          <RoleRowsEditor rows={rows} onChange={setRows} grantable={grantable} errors={rowErrors} />
        </Stack>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button
            type="submit"
            loading={invite.isPending}
            leftSection={<IconMailPlus size={16} aria-hidden />}
          >
            {t('admin.invitations.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function WithdrawModal({ invitation, onClose }: { invitation: Invitation | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/invitations/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
      notifications.show({
        color: 'qila',
        title: t('admin.invitations.withdrawnTitle'),
        message: t('admin.invitations.withdrawn', { email: invitation?.email ?? '' }),
      });
      close();
    },
  });
  const close = () => {
    mutation.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={invitation !== null}
      title={t('admin.invitations.withdrawTitle')}
      confirmLabel={t('admin.invitations.withdraw')}
      danger
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={() => invitation && mutation.mutate(invitation.id)}
      onClose={close}
    >
      <Text size="sm">{t('admin.invitations.withdrawBody', { email: invitation?.email ?? '' })}</Text>
    </ConfirmModal>
  );
}

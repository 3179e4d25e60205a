import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Menu,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  IconDots,
  IconFilterOff,
  IconLogout,
  IconPencil,
  IconSearch,
  IconShieldCheck,
  IconShieldOff,
  IconUserCheck,
  IconUserOff,
  IconUsers,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUrlFilters } from '../../app/urlFilters';
import { api, unwrap, type ApiResponse } from '../../api/client';
import { useAuth, useMe } from '../../app/auth';
import { grantableBy, isRole, ROLES, type Role } from '../../app/roles';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { RoleBadges } from '../../components/RoleBadges';
import {
  RoleRowsEditor,
  rowErrorsFrom,
  rowsFrom,
  rowsToBody,
  validateRows,
  type RoleRow,
  type RowErrors,
} from '../../components/RoleRowsEditor';
import { useFormat } from '../../i18n/format';
import { LoadMoreFooter } from '../../components/LoadMoreFooter';

export type UserOut = ApiResponse<'/api/users'>['items'][number];
const PAGE_SIZE = 50;
export const USERS_KEY = ['users'] as const;

type Pending = { kind: 'roles' | 'disable' | 'enable' | 'revokeSessions'; user: UserOut } | null;

export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { params, patch, reset } = useUrlFilters();
  const q = params.get('q') ?? '';
  const roleParam = params.get('role') ?? '';
  const role: Role | '' = isRole(roleParam) ? roleParam : '';
  const filtered = Boolean(q || role);
  const [pending, setPending] = useState<Pending>(null);

  const [search, setSearch] = useState(q);
  const [urlQ, setUrlQ] = useState(q);
  if (q !== urlQ) {
    setUrlQ(q);
    setSearch(q);
  }
  const setParam = (name: string, value: string) => patch({ [name]: value });
  const pushSearch = useDebouncedCallback((value: string) => setParam('q', value.trim()), 350);
  const clearFilters = () => {
    pushSearch.cancel();
    setSearch('');
    reset();
  };

  const users = useInfiniteQuery({
    queryKey: [...USERS_KEY, { q, role }],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/users', {
          params: {
            query: { q: q || undefined, role: role || undefined, cursor: pageParam, limit: PAGE_SIZE },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  const updating = users.isFetching && !users.isFetchingNextPage;

  return (
    <Stack gap="md">
      <PageHeader title={t('admin.users.title')} description={t('admin.users.description')} />
      <Paper p="md" component="section" aria-label={t('registry.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('registry.search')}
            description={t('admin.users.searchHint')}
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') pushSearch.flush();
            }}
            leftSection={<IconSearch size={16} aria-hidden />}
            rightSection={updating ? <Loader size={14} aria-hidden /> : null}
            maxLength={100}
          />
          <Select
            label={t('admin.users.role')}
            description={t('admin.users.roleHint')}
            placeholder={t('admin.users.allRoles')}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role || null}
            onChange={(v) => setParam('role', v ?? '')}
            clearable
            clearButtonProps={{ 'aria-label': t('admin.users.clearRole') }}
          />
          <Group align="flex-end">
            <Button
              variant="default"
              leftSection={<IconFilterOff size={16} aria-hidden />}
              onClick={clearFilters}
              disabled={!filtered && !search}
            >
              {t('registry.clearFilters')}
            </Button>
          </Group>
        </SimpleGrid>
      </Paper>

      {users.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap="xs">
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} h={36} />
            ))}
          </Stack>
        </Paper>
      ) : users.isError && items.length === 0 ? (
        <ErrorAlert
          error={users.error}
          title={t('admin.users.loadFailed')}
          onRetry={() => void users.refetch()}
          retrying={users.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconUsers size={26} />}
          title={filtered ? t('admin.users.noMatchTitle') : t('admin.users.emptyTitle')}
          description={filtered ? t('admin.users.noMatchBody') : t('admin.users.emptyBody')}
          action={
            filtered ? (
              <Button variant="light" onClick={clearFilters}>
                {t('registry.clearFilters')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Text size="sm" c="dimmed" px="md" py="sm" aria-live="polite">
            {users.hasNextPage
              ? t('admin.users.showingMore', { count: items.length, formatted: fmt.number(items.length) })
              : t('admin.users.showingAll', { count: items.length, formatted: fmt.number(items.length) })}
          </Text>
          <Table.ScrollContainer minWidth={960}>
            <Table
              striped
              highlightOnHover
              fz="sm"
              verticalSpacing={8}
              style={{ opacity: updating ? 0.6 : 1, transition: 'opacity 120ms' }}
              aria-busy={updating}
            >
              <VisuallyHidden component="caption">{t('admin.users.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('admin.users.person')}</Table.Th>
                  <Table.Th scope="col">{t('user.roles_other')}</Table.Th>
                  <Table.Th scope="col">{t('admin.users.twoFactor')}</Table.Th>
                  <Table.Th scope="col">{t('admin.users.status')}</Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('admin.users.sessions')}
                  </Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((u) => (
                  <UserRow key={u.id} user={u} onAction={(kind) => setPending({ kind, user: u })} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMoreFooter query={users} />
        </Paper>
      )}

      <EditRolesModal
        user={pending?.kind === 'roles' ? pending.user : null}
        onClose={() => setPending(null)}
      />
      <StatusModal
        user={pending?.kind === 'disable' || pending?.kind === 'enable' ? pending.user : null}
        onClose={() => setPending(null)}
      />
      <RevokeSessionsModal
        user={pending?.kind === 'revokeSessions' ? pending.user : null}
        onClose={() => setPending(null)}
      />
    </Stack>
  );
}

function UserRow({
  user: u,
  onAction,
}: {
  user: UserOut;
  onAction: (kind: NonNullable<Pending>['kind']) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const can = (a: UserOut['allowedActions'][number]) => u.allowedActions.includes(a);
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        <Stack gap={0}>
          <Group gap={6}>
            <Text size="sm" fw={700}>
              {u.displayName}
            </Text>
            {u.id === me.id && (
              <Badge size="xs" variant="outline" color="gray.7">
                {t('admin.users.you')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" className="qila-code" style={{ fontFamily: 'inherit' }}>
            {u.email}
          </Text>
        </Stack>
      </Table.Th>
      <Table.Td maw={420}>
        <RoleBadges roles={u.roles} />
      </Table.Td>
      <Table.Td>
        {u.totpEnabled ? (
          <Badge
            color="qila"
            variant="light"
            className="qila-badge-fit"
            leftSection={<IconShieldCheck size={12} aria-hidden />}
          >
            {t('admin.users.twoFactorOn')}
          </Badge>
        ) : (
          <Badge
            color="orange"
            variant="light"
            className="qila-badge-fit"
            leftSection={<IconShieldOff size={12} aria-hidden />}
          >
            {t('admin.users.twoFactorOff')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Badge
          className="qila-badge-fit"
          color={u.status === 'active' ? 'qila' : 'red'}
          variant={u.status === 'active' ? 'light' : 'filled'}
        >
          {t(`admin.users.statuses.${u.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td ta="end">{fmt.number(u.activeSessions)}</Table.Td>
      <Table.Td ta="end">
        {u.allowedActions.length > 0 && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label={t('admin.users.actionsFor', { name: u.displayName })}
              >
                <IconDots size={18} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {can('editRoles') && (
                <Menu.Item
                  leftSection={<IconPencil size={16} aria-hidden />}
                  onClick={() => onAction('roles')}
                >
                  {t('admin.users.editRoles')}
                </Menu.Item>
              )}
              {can('revokeSessions') && (
                <Menu.Item
                  leftSection={<IconLogout size={16} aria-hidden />}
                  onClick={() => onAction('revokeSessions')}
                >
                  {t('admin.users.revokeSessions')}
                </Menu.Item>
              )}
              {can('disable') && (
                <Menu.Item
                  color="red"
                  leftSection={<IconUserOff size={16} aria-hidden />}
                  onClick={() => onAction('disable')}
                >
                  {t('admin.users.disable')}
                </Menu.Item>
              )}
              {can('enable') && (
                <Menu.Item
                  leftSection={<IconUserCheck size={16} aria-hidden />}
                  onClick={() => onAction('enable')}
                >
                  {t('admin.users.enable')}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function EditRolesModal({ user, onClose }: { user: UserOut | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      title={user ? t('admin.users.editRolesTitle', { name: user.displayName }) : ''}
      size="xl"
    >
      {user && <EditRolesForm user={user} onClose={onClose} />}
    </Modal>
  );
}

function EditRolesForm({ user, onClose }: { user: UserOut; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const grantable = grantableBy(me);
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<RoleRow[]>(() => rowsFrom(user.roles, grantable));
  const [errors, setErrors] = useState<RowErrors>({});
  const save = useMutation({
    mutationFn: (body: ReturnType<typeof rowsToBody>) =>
      unwrap(api.PUT('/api/users/{id}/roles', { params: { path: { id: user.id } }, body: { roles: body } })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      notifications.show({
        color: 'qila',
        title: t('admin.users.rolesSavedTitle'),
        message: t('admin.users.rolesSaved', { name: saved.displayName }),
      });
      onClose();
    },
    onError: (error) => setErrors(rowErrorsFrom(error) ?? {}),
  });
  const submit = () => {
    const problem = validateRows(rows, t, false);
    if (problem && typeof problem === 'object') {
      setErrors(problem);
      return;
    }
    setErrors({});
    save.mutate(rowsToBody(rows));
  };
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('admin.users.editRolesHint')}
        </Text>
        {save.isError && <ErrorAlert error={save.error} title={t('admin.users.rolesFailed')} />}
        <RoleRowsEditor rows={rows} onChange={setRows} grantable={grantable} errors={errors} />
        {rows.length === 0 && (
          <Text size="sm" c="orange.9">
            {t('admin.users.noRolesWarning')}
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('admin.users.saveRoles')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function StatusModal({ user, onClose }: { user: UserOut | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const disabling = user?.status === 'active';
  const mutation = useMutation({
    mutationFn: (u: UserOut) =>
      unwrap(
        api.PUT('/api/users/{id}/status', {
          params: { path: { id: u.id } },
          body: { status: u.status === 'active' ? 'disabled' : 'active' },
        }),
      ),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      notifications.show({
        color: 'qila',
        title: saved.status === 'active' ? t('admin.users.enabledTitle') : t('admin.users.disabledTitle'),
        message: t(saved.status === 'active' ? 'admin.users.enabled' : 'admin.users.disabled', {
          name: saved.displayName,
        }),
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
      opened={user !== null}
      title={disabling ? t('admin.users.disableTitle') : t('admin.users.enableTitle')}
      confirmLabel={disabling ? t('admin.users.disable') : t('admin.users.enable')}
      danger={disabling}
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={() => user && mutation.mutate(user)}
      onClose={close}
    >
      <Text size="sm">
        {disabling
          ? t('admin.users.disableBody', { name: user?.displayName ?? '', email: user?.email ?? '' })
          : t('admin.users.enableBody', { name: user?.displayName ?? '', email: user?.email ?? '' })}
      </Text>
    </ConfirmModal>
  );
}

function RevokeSessionsModal({ user, onClose }: { user: UserOut | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const { forget } = useAuth();
  const queryClient = useQueryClient();
  const self = user?.id === me.id;
  const mutation = useMutation({
    mutationFn: (u: UserOut) =>
      unwrap(api.DELETE('/api/users/{id}/sessions', { params: { path: { id: u.id } } })),
    onSuccess: async (_d, u) => {
      // Ending one's own sessions ends this one too.
      if (u.id === me.id) {
        forget('/sign-in');
        return;
      }
      await queryClient.invalidateQueries({ queryKey: USERS_KEY });
      notifications.show({
        color: 'qila',
        title: t('admin.users.revokedTitle'),
        message: t('admin.users.revoked', { name: u.displayName }),
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
      opened={user !== null}
      title={t('admin.users.revokeTitle')}
      confirmLabel={t('admin.users.revokeSessions')}
      danger
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={() => user && mutation.mutate(user)}
      onClose={close}
    >
      <Text size="sm">
        {self
          ? t('admin.users.revokeSelfBody')
          : t('admin.users.revokeBody', { name: user?.displayName ?? '', count: user?.activeSessions ?? 0 })}
      </Text>
    </ConfirmModal>
  );
}

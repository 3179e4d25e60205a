import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
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
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCheck,
  IconCopy,
  IconKey,
  IconPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, fieldOf, unwrap, type ApiResponse } from '../../api/client';
import { useMe } from '../../app/auth';
import { useEntityName } from '../../app/entities';
import { useNames } from '../../app/jurisdiction';
import { ConfirmModal } from '../../components/ConfirmModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';

type Token = ApiResponse<'/api/tokens'>['items'][number];
type Created = ApiResponse<'/api/tokens', 'post'>;
const TOKENS_KEY = ['tokens'] as const;

/** Permissions a machine client may sensibly hold, offered when the creator holds them too. */
const TOKEN_PERMISSIONS = ['incidents.report', 'entities.read', 'jurisdiction.read'] as const;
type TokenPermission = (typeof TOKEN_PERMISSIONS)[number];
const permissionKey = (p: TokenPermission) =>
  p.replace(/\./g, '_') as 'incidents_report' | 'entities_read' | 'jurisdiction_read';
const isTokenPermission = (p: string): p is TokenPermission =>
  (TOKEN_PERMISSIONS as readonly string[]).includes(p);

const STATUS_COLOR: Record<Token['status'], string> = { active: 'qila', expired: 'gray', revoked: 'red' };

export function TokensPage() {
  const { t } = useTranslation();
  const me = useMe();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const tz = jurisdiction?.timeZone;
  const entityName = useEntityName();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const queryClient = useQueryClient();
  const entities = [
    ...new Set(me.roles.filter((r) => r.scopeKind === 'entity' && r.scopeValue).map((r) => r.scopeValue!)),
  ];

  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => unwrap(api.GET('/api/tokens')) });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
      notifications.show({
        color: 'qila',
        title: t('tokens.revokedTitle'),
        message: t('tokens.revoked', { name: revoking?.name ?? '' }),
      });
      setRevoking(null);
    },
  });
  const items = tokens.data?.items ?? [];
  const permissionLabel = (p: string) =>
    isTokenPermission(p) ? t(`tokens.permissions.${permissionKey(p)}`) : p;

  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/account" size="sm">
        <IconArrowLeft size={14} aria-hidden style={{ verticalAlign: 'middle' }} className="qila-flip-rtl" />{' '}
        {t('account.title')}
      </Anchor>
      <PageHeader
        title={t('tokens.title')}
        description={t('tokens.description')}
        actions={
          entities.length > 0 && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
              {t('tokens.create')}
            </Button>
          )
        }
      />
      {entities.length === 0 && (
        <Alert color="blue" variant="light">
          {t('tokens.noEntity')}
        </Alert>
      )}
      {tokens.isPending ? (
        <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
          <Stack gap="xs">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h={28} />
            ))}
          </Stack>
        </Paper>
      ) : tokens.isError ? (
        <ErrorAlert
          error={tokens.error}
          title={t('tokens.loadFailed')}
          onRetry={() => void tokens.refetch()}
          retrying={tokens.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<IconKey size={26} />}
          title={t('tokens.emptyTitle')}
          description={t('tokens.emptyBody')}
          action={
            entities.length > 0 ? (
              <Button variant="light" onClick={() => setCreating(true)}>
                {t('tokens.create')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Paper p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={960}>
            <Table fz="sm" striped verticalSpacing={8}>
              <VisuallyHidden component="caption">{t('tokens.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('tokens.name')}</Table.Th>
                  <Table.Th scope="col">{t('tokens.entity')}</Table.Th>
                  <Table.Th scope="col">{t('tokens.permissionsLabel')}</Table.Th>
                  <Table.Th scope="col">{t('tokens.created')}</Table.Th>
                  <Table.Th scope="col">{t('tokens.expires')}</Table.Th>
                  <Table.Th scope="col">{t('tokens.lastUsed')}</Table.Th>
                  <Table.Th scope="col">{t('tokens.status')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((tok) => (
                  <Table.Tr key={tok.id}>
                    <Table.Th scope="row" fw={600}>
                      <Stack gap={0}>
                        <span>{tok.name}</span>
                        <Text size="xs" c="dimmed" className="qila-code">
                          {tok.prefix}…
                        </Text>
                      </Stack>
                    </Table.Th>
                    <Table.Td>
                      {tok.entityId ? (entityName(tok.entityId) ?? t('scope.entity')) : '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {tok.permissions.map((p) => (
                          <Badge
                            key={p}
                            variant="outline"
                            color="gray.7"
                            tt="none"
                            size="sm"
                            className="qila-badge-fit"
                          >
                            {permissionLabel(p)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(tok.createdAt, tz)}</Table.Td>
                    <Table.Td>{fmt.dateTime(tok.expiresAt, tz)}</Table.Td>
                    <Table.Td>
                      {tok.lastUsedAt ? fmt.dateTime(tok.lastUsedAt, tz) : t('tokens.neverUsed')}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[tok.status]} variant="light" className="qila-badge-fit">
                        {t(`tokens.statuses.${tok.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="end">
                      {tok.status === 'active' && (
                        <Button
                          size="compact-sm"
                          variant="default"
                          color="red"
                          onClick={() => setRevoking(tok)}
                          aria-label={t('tokens.revokeOne', { name: tok.name })}
                        >
                          {t('tokens.revoke')}
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

      <CreateTokenModal opened={creating} entities={entities} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={revoking !== null}
        title={t('tokens.revokeTitle')}
        confirmLabel={t('tokens.revoke')}
        danger
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => {
          revoke.reset();
          setRevoking(null);
        }}
      >
        <Text size="sm">{t('tokens.revokeBody', { name: revoking?.name ?? '' })}</Text>
      </ConfirmModal>
    </Stack>
  );
}

function CreateTokenModal({
  opened,
  entities,
  onClose,
}: {
  opened: boolean;
  entities: string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const entityName = useEntityName();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<Created | null>(null);
  const offered = TOKEN_PERMISSIONS.filter((p) => me.permissions.includes(p));
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: '',
      permissions: offered.includes('incidents.report') ? ['incidents.report'] : [],
      expiresInDays: 90 as number | string,
      entityId: entities.length === 1 ? entities[0]! : (null as string | null),
    },
    validate: {
      name: (v) => (v.trim() ? null : t('tokens.nameRequired')),
      permissions: (v) => (v.length ? null : t('tokens.permissionsRequired')),
      expiresInDays: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= 365 ? null : t('tokens.expiryRange');
      },
      entityId: (v) => (v ? null : t('tokens.entityRequired')),
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      unwrap(
        api.POST('/api/tokens', {
          body: {
            name: v.name.trim(),
            permissions: v.permissions as TokenPermission[],
            expiresInDays: Number(v.expiresInDays),
            entityId: v.entityId ?? undefined,
          },
        }),
      ),
    onSuccess: async (res) => {
      setCreated(res);
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const f = fieldOf(e.path);
        if (f === 'name' || f === 'permissions' || f === 'entityId' || f === 'expiresInDays')
          form.setFieldError(f, e.message);
      }
    },
  });
  const close = () => {
    setCreated(null);
    create.reset();
    form.reset();
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('tokens.createdTitle') : t('tokens.create')}
      size="lg"
    >
      {created ? (
        <Stack gap="md">
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('tokens.onceTitle')}
          >
            {t('tokens.once')}
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={600} id="new-token-label">
              {t('tokens.tokenLabel', { name: created.item.name })}
            </Text>
            <Code
              block
              aria-labelledby="new-token-label"
              data-testid="new-token"
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            >
              {created.token}
            </Code>
          </Stack>
          <Group justify="space-between">
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button
                  onClick={copy}
                  variant={copied ? 'light' : 'filled'}
                  leftSection={
                    copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />
                  }
                  data-autofocus
                >
                  {copied ? t('common.copied') : t('tokens.copy')}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={close}>
              {t('tokens.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
          <Stack gap="sm">
            {create.isError && <ErrorAlert error={create.error} title={t('tokens.createFailed')} />}
            <TextInput
              label={t('tokens.name')}
              description={t('tokens.nameHint')}
              required
              maxLength={100}
              data-autofocus
              {...form.getInputProps('name')}
            />
            {entities.length > 1 && (
              <Select
                label={t('tokens.entity')}
                data={entities.map((id) => ({ value: id, label: entityName(id) ?? id }))}
                required
                allowDeselect={false}
                {...form.getInputProps('entityId')}
              />
            )}
            <Checkbox.Group
              label={t('tokens.permissionsLabel')}
              description={t('tokens.permissionsHint')}
              required
              {...form.getInputProps('permissions')}
            >
              <Stack gap={6} mt={6}>
                {offered.map((p) => (
                  <Checkbox key={p} value={p} label={t(`tokens.permissions.${permissionKey(p)}`)} />
                ))}
              </Stack>
            </Checkbox.Group>
            <NumberInput
              label={t('tokens.expiresIn')}
              description={t('tokens.expiresInHint')}
              min={1}
              max={365}
              clampBehavior="strict"
              allowDecimal={false}
              required
              maw={200}
              {...form.getInputProps('expiresInDays')}
            />
            <Group justify="flex-end" gap="sm" mt="xs">
              <Button variant="default" onClick={close}>
                {t('actions.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('tokens.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

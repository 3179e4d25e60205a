import { Button, Grid, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldOf } from '../api/client';
import { useNames } from '../app/jurisdiction';
import { ROLE_SCOPE, type Assignment, type Grantable, type Role } from '../app/roles';
import { EntityPicker } from './EntityPicker';

export interface RoleRow {
  key: string;
  role: Role | null;
  scopeValue: string | null;
}
export type RowErrors = Record<number, { role?: string; scope?: string }>;

let nextKey = 0;
export const newRow = (grantable: Grantable, from?: Partial<RoleRow>): RoleRow => {
  const onlyEntity = grantable.entities?.length === 1 ? grantable.entities[0]! : null;
  const role = from?.role ?? (grantable.roles.length === 2 ? 'entity_member' : null);
  return {
    key: `row-${nextKey++}`,
    role,
    scopeValue: from?.scopeValue ?? (role && ROLE_SCOPE[role] === 'entity' ? onlyEntity : null),
  };
};

export const rowsFrom = (roles: Assignment[], grantable: Grantable): RoleRow[] =>
  roles.map((r) => newRow(grantable, { role: r.role, scopeValue: r.scopeValue }));

/** The rows as the API takes them: national roles carry no scope. */
export const rowsToBody = (rows: RoleRow[]) =>
  rows
    .filter((r): r is RoleRow & { role: Role } => r.role !== null)
    .map((r) => ({ role: r.role, scopeValue: ROLE_SCOPE[r.role] === 'national' ? null : r.scopeValue }));

export function validateRows(rows: RoleRow[], t: TFunction, requireOne: boolean): RowErrors | string | null {
  if (requireOne && rows.length === 0) return t('roleEditor.atLeastOne');
  const errors: RowErrors = {};
  rows.forEach((r, i) => {
    if (!r.role) errors[i] = { role: t('roleEditor.roleRequired') };
    else if (ROLE_SCOPE[r.role] !== 'national' && !r.scopeValue?.trim())
      errors[i] = { scope: t(`roleEditor.scopeRequired.${ROLE_SCOPE[r.role]}`) };
  });
  return Object.keys(errors).length ? errors : null;
}

/** Field complaints of a problem response ("body.roles.1.scopeValue") placed on their rows. */
export function rowErrorsFrom(error: unknown): RowErrors | null {
  if (!(error instanceof ApiError)) return null;
  const out: RowErrors = {};
  for (const e of error.errors) {
    const m = /^roles\.(\d+)\.(role|scopeValue)$/.exec(fieldOf(e.path));
    if (!m) continue;
    const i = Number(m[1]);
    out[i] = { ...out[i], [m[2] === 'role' ? 'role' : 'scope']: e.message || error.detail || '' };
  }
  return Object.keys(out).length ? out : null;
}

interface Props {
  rows: RoleRow[];
  onChange: (rows: RoleRow[]) => void;
  grantable: Grantable;
  errors: RowErrors;
}

/** Role assignments as rows of role + scope; the scope picker follows the role. */
export function RoleRowsEditor({ rows, onChange, grantable, errors }: Props) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<RoleRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="sm">
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('roleEditor.none')}
        </Text>
      )}
      {rows.map((row, i) => (
        <RoleRowFields
          key={row.key}
          index={i}
          row={row}
          grantable={grantable}
          error={errors[i]}
          onChange={(patch) => update(i, patch)}
          onRemove={() => onChange(rows.filter((_, j) => j !== i))}
        />
      ))}
      <Group>
        <Button
          variant="light"
          size="sm"
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => onChange([...rows, newRow(grantable)])}
        >
          {t('roleEditor.add')}
        </Button>
      </Group>
    </Stack>
  );
}

function RoleRowFields(props: {
  index: number;
  row: RoleRow;
  grantable: Grantable;
  error: RowErrors[number] | undefined;
  onChange: (patch: Partial<RoleRow>) => void;
  onRemove: () => void;
}) {
  const { index, row, grantable, error, onChange, onRemove } = props;
  const { t } = useTranslation();
  const names = useNames();
  const groupId = useId();
  const kind = row.role ? ROLE_SCOPE[row.role] : null;
  const roleLabel = row.role ? t(`roles.${row.role}`) : t('roleEditor.newRole');

  const setRole = (role: Role | null) => {
    const same = role && row.role && ROLE_SCOPE[role] === ROLE_SCOPE[row.role];
    const onlyEntity = grantable.entities?.length === 1 ? grantable.entities[0]! : null;
    onChange({
      role,
      scopeValue: same ? row.scopeValue : role && ROLE_SCOPE[role] === 'entity' ? onlyEntity : null,
    });
  };

  let scope: ReactNode;
  switch (kind) {
    case 'sector':
      scope = (
        <Select
          label={t('roleEditor.sector')}
          description={t('roleEditor.scopeHint')}
          data={names.sectorOptions}
          value={row.scopeValue}
          onChange={(v) => onChange({ scopeValue: v })}
          searchable
          required
          nothingFoundMessage={t('common.nothingFound')}
          error={error?.scope}
          placeholder={t('roleEditor.chooseSector')}
        />
      );
      break;
    case 'admin_unit':
      scope = (
        <Select
          label={t('roleEditor.adminUnit')}
          description={t('roleEditor.scopeHint')}
          data={names.adminUnitOptions}
          value={row.scopeValue}
          onChange={(v) => onChange({ scopeValue: v })}
          searchable
          required
          nothingFoundMessage={t('common.nothingFound')}
          error={error?.scope}
          placeholder={t('roleEditor.chooseAdminUnit')}
        />
      );
      break;
    case 'entity':
      scope = (
        <EntityPicker
          label={t('roleEditor.entity')}
          value={row.scopeValue}
          onChange={(v) => onChange({ scopeValue: v })}
          restrictTo={grantable.entities}
          error={error?.scope}
          required
        />
      );
      break;
    case 'audit':
      scope = (
        <TextInput
          label={t('roleEditor.audit')}
          description={t('roleEditor.auditHint')}
          value={row.scopeValue ?? ''}
          onChange={(e) => onChange({ scopeValue: e.currentTarget.value })}
          maxLength={100}
          required
          error={error?.scope}
          dir="ltr"
        />
      );
      break;
    case 'national':
      scope = (
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {t('roleEditor.scope')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('roleEditor.scopeHint')}
          </Text>
          <Text size="sm" fw={600} py={8}>
            {t('roleEditor.nationalScope')}
          </Text>
        </Stack>
      );
      break;
    default:
      scope = null;
  }

  return (
    <Paper p="sm" bg="gray.0" role="group" aria-labelledby={groupId}>
      <Group justify="space-between" gap="xs" mb={6} wrap="nowrap">
        <Text id={groupId} size="xs" fw={700} c="dimmed">
          {t('roleEditor.rowLabel', { n: index + 1, role: roleLabel })}
        </Text>
        <Button
          variant="subtle"
          color="red"
          size="compact-sm"
          leftSection={<IconTrash size={14} aria-hidden />}
          onClick={onRemove}
          aria-label={t('roleEditor.remove', { role: roleLabel })}
        >
          {t('roleEditor.removeShort')}
        </Button>
      </Group>
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <Select
            label={t('roleEditor.role')}
            description={t('roleEditor.roleHint')}
            data={grantable.roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={row.role}
            onChange={(v) => setRole(v as Role | null)}
            allowDeselect={false}
            required
            error={error?.role}
            placeholder={t('roleEditor.chooseRole')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 7 }}>{scope}</Grid.Col>
      </Grid>
    </Paper>
  );
}

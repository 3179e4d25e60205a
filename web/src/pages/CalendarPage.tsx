import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCalendarOff, IconInfoCircle, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api, unwrap, type ApiResponse } from '../api/client';
import { useAuth } from '../app/auth';
import { useJurisdiction } from '../app/jurisdiction';
import { EmptyState } from '../components/EmptyState';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useFormat } from '../i18n/format';

type Holiday = ApiResponse<'/api/jurisdiction/holidays'>['items'][number];
interface HolidayForm {
  date: string;
  nameEn: string;
  nameUr: string;
  provisional: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// The years the holiday calendar can be listed for (GET /api/jurisdiction/holidays accepts 2000–2100).
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const holidaysKey = (year: number) => ['holidays', year] as const;

/** The current year where the jurisdiction is (a browser elsewhere may already be in the next one). */
function currentYear(timeZone: string | undefined): number {
  try {
    return Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(new Date()));
  } catch {
    return new Date().getFullYear();
  }
}

export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const canEdit = can('jurisdiction.holidays.edit');
  const jurisdiction = useJurisdiction();
  const thisYear = currentYear(jurisdiction.data?.timeZone);
  const years = [thisYear - 1, thisYear, thisYear + 1];
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year'));
  const year = years.includes(asked) ? asked : thisYear;
  const setYear = (y: number) => setParams(y === thisYear ? {} : { year: String(y) }, { replace: true });

  const holidays = useQuery({
    queryKey: holidaysKey(year),
    queryFn: () => unwrap(api.GET('/api/jurisdiction/holidays', { params: { query: { year } } })),
  });

  // The editor is closed (null), adding ('new') or correcting an existing holiday.
  const [editing, setEditing] = useState<Holiday | 'new' | null>(null);
  const [removing, setRemoving] = useState<Holiday | null>(null);
  const localName = (h: Holiday) => (i18n.language === 'ur' && h.nameUr ? h.nameUr : h.nameEn);

  return (
    <Stack gap="md">
      <PageHeader
        title={t('calendar.title')}
        description={t('calendar.description')}
        actions={
          <Group align="flex-end" gap="md">
            <Stack gap={4}>
              <Text size="sm" fw={600} id="calendar-year-label">
                {t('calendar.year')}
              </Text>
              <SegmentedControl
                role="radiogroup"
                aria-labelledby="calendar-year-label"
                data={years.map((y) => ({ value: String(y), label: fmt.year(y) }))}
                value={String(year)}
                onChange={(v) => setYear(Number(v))}
              />
            </Stack>
            {canEdit && (
              <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
                {t('calendar.form.add')}
              </Button>
            )}
          </Group>
        }
      />

      <div>
        {holidays.isPending ? (
          <Paper p="md" aria-busy="true" aria-label={t('common.loading')}>
            <Stack gap="xs">
              {Array.from({ length: 8 }, (_, i) => (
                <Skeleton key={i} h={28} />
              ))}
            </Stack>
          </Paper>
        ) : holidays.isError ? (
          <ErrorAlert
            error={holidays.error}
            title={t('calendar.loadFailed')}
            onRetry={() => void holidays.refetch()}
            retrying={holidays.isFetching}
          />
        ) : holidays.data.items.length === 0 ? (
          <EmptyState
            icon={<IconCalendarOff size={26} />}
            title={t('calendar.emptyTitle', { year: fmt.year(year) })}
            description={canEdit ? t('calendar.emptyBodyEditor') : t('calendar.emptyBody')}
          />
        ) : (
          <Paper p={0} style={{ overflow: 'hidden' }}>
            <Table.ScrollContainer minWidth={canEdit ? 720 : 600}>
              <Table striped highlightOnHover fz="sm" verticalSpacing={8}>
                <Table.Caption
                  style={{ captionSide: 'top', textAlign: 'start', padding: '12px 16px', margin: 0 }}
                >
                  {t('calendar.caption', {
                    year: fmt.year(year),
                    count: holidays.data.items.length,
                    formatted: fmt.number(holidays.data.items.length),
                  })}
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('calendar.date')}</Table.Th>
                    <Table.Th scope="col">{t('calendar.name')}</Table.Th>
                    <Table.Th scope="col">{t('calendar.status')}</Table.Th>
                    <Table.Th scope="col">{t('calendar.source')}</Table.Th>
                    {canEdit && <Table.Th scope="col">{t('calendar.actions')}</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {holidays.data.items.map((h) => (
                    <Table.Tr key={h.date}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <time dateTime={h.date}>{fmt.date(h.date, 'full')}</time>
                      </Table.Td>
                      <Table.Th scope="row" fw={600}>
                        {localName(h)}
                      </Table.Th>
                      <Table.Td>
                        {h.provisional ? (
                          <Badge
                            color="orange.2"
                            autoContrast
                            size="sm"
                            styles={{ label: { overflow: 'visible' } }}
                          >
                            {t('calendar.provisional')}
                          </Badge>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('calendar.confirmed')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {t(`calendar.sources.${h.source}`)}
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <ActionIcon
                              variant="subtle"
                              aria-label={t('calendar.edit', { name: localName(h) })}
                              onClick={() => setEditing(h)}
                            >
                              <IconPencil size={18} aria-hidden />
                            </ActionIcon>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('calendar.remove', { name: localName(h) })}
                              onClick={() => setRemoving(h)}
                            >
                              <IconTrash size={18} aria-hidden />
                            </ActionIcon>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}
        <Alert variant="light" color="gray" icon={<IconInfoCircle aria-hidden />} mt="md">
          <Text size="sm">{t('calendar.provisionalHint')}</Text>
        </Alert>
      </div>

      {canEdit && (
        <Modal
          opened={editing !== null}
          onClose={() => setEditing(null)}
          title={editing && editing !== 'new' ? t('calendar.form.editTitle') : t('calendar.form.addTitle')}
          size="md"
        >
          {editing !== null && (
            <HolidayEditor
              initial={editing === 'new' ? null : editing}
              onDone={(saved) => {
                setEditing(null);
                const savedYear = Number(saved.date.slice(0, 4));
                if (savedYear !== year && years.includes(savedYear)) setYear(savedYear);
              }}
              onCancel={() => setEditing(null)}
            />
          )}
        </Modal>
      )}

      <RemoveHolidayModal
        holiday={removing}
        name={removing ? localName(removing) : ''}
        onClose={() => setRemoving(null)}
      />
    </Stack>
  );
}

function HolidayEditor(props: {
  initial: Holiday | null;
  onDone: (saved: Holiday) => void;
  onCancel: () => void;
}) {
  const { initial, onDone, onCancel } = props;
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<HolidayForm>({
    mode: 'controlled',
    initialValues: {
      date: initial?.date ?? '',
      nameEn: initial?.nameEn ?? '',
      nameUr: initial?.nameUr ?? '',
      provisional: initial?.provisional ?? false,
    },
    validate: {
      date: (v) => {
        if (!ISO_DATE.test(v)) return t('calendar.form.dateRequired');
        const y = Number(v.slice(0, 4));
        return y >= MIN_YEAR && y <= MAX_YEAR ? null : t('calendar.form.dateRange');
      },
      nameEn: (v) =>
        v.trim()
          ? v.trim().length > 200
            ? t('calendar.form.tooLong')
            : null
          : t('calendar.form.nameRequired'),
      nameUr: (v) => (v.trim().length > 200 ? t('calendar.form.tooLong') : null),
    },
  });

  const save = useMutation({
    mutationFn: (v: HolidayForm) =>
      unwrap(
        api.PUT('/api/jurisdiction/holidays/{date}', {
          params: { path: { date: v.date } },
          body: { nameEn: v.nameEn.trim(), nameUr: v.nameUr.trim() || null, provisional: v.provisional },
        }),
      ),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['holidays'] });
      notifications.show({
        color: 'qila',
        title: t('calendar.savedTitle'),
        message: t('calendar.saved', {
          name: i18n.language === 'ur' && saved.nameUr ? saved.nameUr : saved.nameEn,
        }),
      });
      form.reset();
      onDone(saved);
    },
    onError: (error) => {
      // Point at the fields the server complained about (paths look like "body.nameEn").
      if (error instanceof ApiError) {
        for (const e of error.errors) {
          const field = e.path.split('.').pop();
          if (field === 'nameEn' || field === 'nameUr' || field === 'provisional' || field === 'date') {
            form.setFieldError(field, e.message);
          }
        }
      }
    },
  });

  return (
    <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('calendar.form.hint')}
        </Text>
        {save.isError && <ErrorAlert error={save.error} title={t('calendar.form.failed')} />}
        <TextInput
          data-autofocus
          label={t('calendar.form.date')}
          type="date"
          required
          min={`${MIN_YEAR}-01-01`}
          max={`${MAX_YEAR}-12-31`}
          {...form.getInputProps('date')}
        />
        <TextInput
          label={t('calendar.form.nameEn')}
          lang="en"
          dir="ltr"
          required
          maxLength={200}
          {...form.getInputProps('nameEn')}
        />
        <TextInput
          label={t('calendar.form.nameUr')}
          description={t('calendar.form.optional')}
          lang="ur"
          dir="rtl"
          maxLength={200}
          {...form.getInputProps('nameUr')}
        />
        <Checkbox
          label={t('calendar.form.provisional')}
          description={t('calendar.form.provisionalHint')}
          {...form.getInputProps('provisional', { type: 'checkbox' })}
        />
        <Group gap="sm" justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {initial ? t('calendar.form.saveChanges') : t('calendar.form.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemoveHolidayModal({
  holiday,
  name,
  onClose,
}: {
  holiday: Holiday | null;
  name: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (date: string) =>
      unwrap(api.DELETE('/api/jurisdiction/holidays/{date}', { params: { path: { date } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['holidays'] });
      notifications.show({
        color: 'qila',
        title: t('calendar.removedTitle'),
        message: t('calendar.removed', { name }),
      });
      onClose();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };

  return (
    <Modal opened={holiday !== null} onClose={close} title={t('calendar.removeTitle')} centered>
      {holiday && (
        <Stack gap="md">
          <Text>{t('calendar.removeConfirm', { name, date: fmt.date(holiday.date, 'full') })}</Text>
          <Text size="sm" c="dimmed">
            {t('calendar.removeHint')}
          </Text>
          {remove.isError && <ErrorAlert error={remove.error} title={t('calendar.removeFailed')} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} data-autofocus>
              {t('actions.cancel')}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(holiday.date)}>
              {t('calendar.removeAction')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

import {
  Loader,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import {
  CHECK_RESULTS,
  auditKey,
  isCheckResult,
  type Audit,
  type CheckResult,
  type ChecklistItem,
} from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { CheckResultBadge } from '../../components/SupervisionBadges';
import { useFormat } from '../../i18n/format';

type Show = 'all' | 'open' | 'gaps';
const NOWRAP_LABELS = { label: { whiteSpace: 'nowrap' } } as const;

/** The checklist from the framework: the lead auditor records a result and a note per requirement. */
export function ChecklistCard({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [show, setShow] = useState<Show>('all');
  const editable = audit.allowedActions.includes('checklist');
  if (!audit.checklist.length) return null;
  const tested = audit.checklist.filter((c) => c.result !== 'not_tested').length;
  const gaps = audit.checklist.filter((c) => c.result === 'minor_gap' || c.result === 'major_gap').length;
  const rows = audit.checklist.filter((c) =>
    show === 'open'
      ? c.result === 'not_tested'
      : show === 'gaps'
        ? c.result === 'minor_gap' || c.result === 'major_gap'
        : true,
  );
  return (
    <Section
      id="checklist"
      title={t('supervision.checklist.title')}
      description={t('supervision.checklist.summary', {
        tested: fmt.number(tested),
        total: fmt.number(audit.checklist.length),
        gaps: fmt.number(gaps),
      })}
      actions={
        <SegmentedControl
          size="xs"
          styles={NOWRAP_LABELS}
          aria-label={t('supervision.checklist.show')}
          value={show}
          onChange={(v) => setShow(v as Show)}
          data={[
            { value: 'all', label: t('supervision.checklist.all') },
            { value: 'open', label: t('supervision.checklist.open') },
            { value: 'gaps', label: t('supervision.checklist.gaps') },
          ]}
        />
      }
    >
      <Progress value={(tested / audit.checklist.length) * 100} size="sm" aria-hidden />
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('supervision.checklist.noneShown')}
        </Text>
      ) : (
        // Read-only, the table has nothing to tab to: the scrolling box takes the focus instead.
        <Table.ScrollContainer
          minWidth={760}
          type="native"
          mah={640}
          tabIndex={editable ? undefined : 0}
          role="region"
          aria-label={t('supervision.checklist.title')}
        >
          <Table fz="sm" verticalSpacing={6} stickyHeader data-testid="checklist">
            <VisuallyHidden component="caption">{t('supervision.checklist.title')}</VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('supervision.checklist.requirement')}</Table.Th>
                <Table.Th scope="col" w={190}>
                  {t('supervision.checklist.result')}
                </Table.Th>
                <Table.Th scope="col" w={editable ? 260 : 220}>
                  {t('supervision.checklist.note')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) =>
                editable ? (
                  <EditableRow key={c.itemId} audit={audit} item={c} />
                ) : (
                  <Table.Tr key={c.itemId} data-testid="check" data-item={c.itemId}>
                    <Requirement item={c} />
                    <Table.Td>
                      <CheckResultBadge result={c.result} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" dir="auto">
                        {c.note ?? ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ),
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}

function Requirement({ item }: { item: ChecklistItem }) {
  return (
    <Table.Th scope="row" fw={400} style={{ minWidth: 280 }}>
      <Text span size="sm" fw={700} className="qila-code">
        {item.itemId}
      </Text>
      {item.statement && (
        <Text size="sm" lang="en" dir="auto" lineClamp={3}>
          {item.statement}
        </Text>
      )}
    </Table.Th>
  );
}

/** A result is saved as soon as it is chosen; a note when the field is left. */
function EditableRow({ audit, item }: { audit: Audit; item: ChecklistItem }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState(item.note ?? '');
  const save = useMutation({
    mutationFn: (v: { result: CheckResult; note: string }) =>
      unwrap(
        api.PUT('/api/supervision/audits/{id}/checklist/{itemId}', {
          params: { path: { id: audit.id, itemId: item.itemId } },
          body: { result: v.result, note: v.note.trim() || null },
        }),
      ),
    // Patch the one row in place: the rest of the workspace (and what is being typed) stays as it is.
    onSuccess: (_ok, v) =>
      queryClient.setQueryData<Audit>(
        auditKey(audit.id),
        (prev) =>
          prev && {
            ...prev,
            checklist: prev.checklist.map((c) =>
              c.itemId === item.itemId ? { ...c, result: v.result, note: v.note.trim() || null } : c,
            ),
          },
      ),
  });
  const result = isCheckResult(item.result) ? item.result : 'not_tested';
  return (
    <Table.Tr data-testid="check" data-item={item.itemId} data-result={item.result}>
      <Requirement item={item} />
      <Table.Td>
        <Select
          aria-label={t('supervision.checklist.resultFor', { item: item.itemId })}
          data={CHECK_RESULTS.map((r) => ({ value: r, label: t(`supervision.results.${r}`) }))}
          value={result}
          onChange={(v) => isCheckResult(v) && save.mutate({ result: v, note })}
          allowDeselect={false}
          size="xs"
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <TextInput
            aria-label={t('supervision.checklist.noteFor', { item: item.itemId })}
            size="xs"
            maxLength={3000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            onBlur={() => note.trim() !== (item.note ?? '') && save.mutate({ result, note })}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
            rightSection={
              save.isPending ? (
                <Loader size={12} aria-label={t('supervision.checklist.saving')} />
              ) : save.isSuccess ? (
                <IconCheck
                  size={14}
                  color="var(--mantine-color-qila-7)"
                  aria-label={t('supervision.checklist.saved')}
                />
              ) : undefined
            }
          />
          {save.isError && <ErrorAlert error={save.error} />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

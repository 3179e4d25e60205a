import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconGavel, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import {
  FACT_VIOLATION,
  dayAfter,
  isLate,
  supervisionKey,
  today,
  useCompliance,
  usePenaltySchedule,
  type EntityCompliance,
} from '../../app/supervision';
import { EntityPicker } from '../../components/EntityPicker';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { BackLink } from './LoadState';
import { useSupervisionNames } from './names';

const UUID = /^[0-9a-f-]{36}$/i;

/** The Authority opens an enforcement case; from an entity's compliance page it starts from its facts. */
export function OpenCasePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const entityId = UUID.test(params.get('entity') ?? '') ? params.get('entity')! : null;
  const fact = params.get('fact');
  return (
    <Stack gap="md">
      <BackLink to="/supervision/cases" label={t('supervision.cases.back')} />
      <PageHeader
        title={t('supervision.cases.openTitle')}
        description={t('supervision.cases.openDescription')}
      />
      <Paper p="md" maw={900}>
        <Stack gap="md">
          <EntityPicker
            label={t('supervision.entity')}
            value={entityId}
            // Another entity starts from its own facts.
            onChange={(id) => setParams(id ? { entity: id } : {}, { replace: true })}
            required
          />
          {entityId ? (
            <FromCompliance key={entityId} entityId={entityId} fact={fact} />
          ) : (
            <Text size="sm" c="dimmed">
              {t('supervision.cases.chooseEntity')}
            </Text>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}

function FromCompliance({ entityId, fact }: { entityId: string; fact: string | null }) {
  const { t } = useTranslation();
  const compliance = useCompliance(entityId);
  if (compliance.isPending) return <Skeleton h={260} aria-label={t('common.loading')} />;
  if (compliance.isError)
    return (
      <ErrorAlert
        error={compliance.error}
        onRetry={() => void compliance.refetch()}
        retrying={compliance.isFetching}
      />
    );
  return <CaseForm compliance={compliance.data} fact={fact} />;
}

interface Values {
  violation: string | null;
  violationDate: string;
  facts: string;
}

/**
 * The violation a non-compliance fact points to (the one chosen on the compliance page, or the
 * first), the day it began where that is known, and the facts to state.
 */
function initialValues(c: EntityCompliance, code: string | null): Values {
  const bad = c.facts.filter((f) => f.level === 'non_compliant');
  const chosen = bad.filter((f) => f.code === code);
  const stated = chosen.length ? chosen : bad;
  const violation = stated.map((f) => FACT_VIOLATION[f.code]).find(Boolean) ?? null;
  // An overdue action is a violation from the day after it fell due.
  const firstLate = c.actions.filter(isLate).sort((a, b) => a.dueOn.localeCompare(b.dueOn))[0];
  const violationDate =
    violation === 'overdue_corrective_action' && firstLate && dayAfter(firstLate.dueOn) <= today()
      ? dayAfter(firstLate.dueOn)
      : today();
  return { violation, violationDate, facts: stated.map((f) => f.text).join('\n') };
}

function CaseForm({ compliance: c, fact }: { compliance: EntityCompliance; fact: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const names = useSupervisionNames();
  const [initial] = useState(() => initialValues(c, fact));
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initial,
    validate: {
      violation: (v) => (v ? null : t('supervision.cases.violationRequired')),
      violationDate: (v) =>
        !v ? t('supervision.dateRequired') : v > today() ? t('supervision.cases.dateInFuture') : null,
      facts: (v) => (v.trim() ? null : t('supervision.cases.factsRequired')),
    },
  });
  const values = form.getValues();
  const schedule = usePenaltySchedule(values.violationDate);
  const open = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/supervision/cases', {
          body: {
            entityId: c.entityId,
            violation: v.violation!,
            violationDate: v.violationDate,
            facts: v.facts
              .split('\n')
              .map((f) => f.trim())
              .filter(Boolean),
          },
        }),
      ),
    onSuccess: async (k) => {
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      void navigate(`/supervision/cases/${k.id}`);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const [head = ''] = fieldOf(e.path).split('.');
        if (head in values) form.setFieldError(head, e.message);
      }
    },
  });
  const nonCompliant = c.facts.some((f) => f.level === 'non_compliant');
  return (
    <form noValidate onSubmit={form.onSubmit((v) => open.mutate(v))} data-testid="case-form">
      <Stack gap="md">
        {open.isError && <ErrorAlert error={open.error} title={t('supervision.cases.openFailed')} />}
        <Alert
          color={nonCompliant ? 'red' : 'gray'}
          variant="light"
          icon={<IconInfoCircle aria-hidden />}
          title={t('supervision.cases.fromFacts', { name: c.entityName })}
        >
          {nonCompliant ? t('supervision.cases.prefilled') : t('supervision.cases.noFacts')}
        </Alert>
        <Group grow align="flex-start">
          <TextInput
            type="date"
            label={t('supervision.cases.violationDate')}
            description={t('supervision.cases.violationDateHint')}
            required
            max={today()}
            {...form.getInputProps('violationDate')}
          />
          <Select
            label={t('supervision.cases.violation')}
            required
            data={(schedule.data?.violations ?? []).map((v) => ({
              value: v.code,
              label: names.violation(v.code, v.name),
            }))}
            disabled={schedule.isPending}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('violation')}
            error={
              form.errors.violation ??
              (schedule.isSuccess && schedule.data === null ? t('supervision.cases.noSchedule') : undefined)
            }
          />
        </Group>
        <Textarea
          label={t('supervision.cases.facts')}
          description={t('supervision.cases.factsHint')}
          required
          autosize
          minRows={4}
          maxLength={20000}
          {...form.getInputProps('facts')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" component={Link} to={`/supervision/entities/${c.entityId}`}>
            {t('actions.cancel')}
          </Button>
          <Button
            type="submit"
            color="red.8"
            loading={open.isPending}
            leftSection={<IconGavel size={16} aria-hidden />}
          >
            {t('supervision.cases.openSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import {
  Alert,
  Anchor,
  Button,
  CloseButton,
  Group,
  MultiSelect,
  Paper,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconSpeakerphone } from '@tabler/icons-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { useIncidentNames } from '../../app/incidentNames';
import { ADVISORY_TLPS, isObservableType, useIncident, type Incident } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IndicatorRows, type IndicatorRow } from '../../components/IndicatorRows';
import { PageHeader } from '../../components/PageHeader';
import { advisoriesKey } from './AdvisoriesPage';
import { TlpChoice } from './FactInput';
import { focusFirstError } from './ReportIncidentPage';

interface Values {
  title: string;
  body: string;
  tlp: 'CLEAR' | 'GREEN';
  sectors: string[];
  indicators: IndicatorRow[];
  sourceIncidentId: string | null;
}

const UUID = /^[0-9a-f-]{36}$/i;

/** Publishing an anonymised advisory to sectors; opened from an incident, it starts from that incident. */
export function PublishAdvisoryPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const from = params.get('incident');
  const source = UUID.test(from ?? '') ? from! : null;
  return (
    <Stack gap="md">
      <PageHeader title={t('advisoryForm.title')} description={t('advisoryForm.description')} />
      {source ? <FromIncident id={source} /> : <AdvisoryForm source={null} />}
    </Stack>
  );
}

function FromIncident({ id }: { id: string }) {
  const { t } = useTranslation();
  const incident = useIncident(id);
  if (incident.isPending) return <Skeleton h={400} radius="md" aria-label={t('common.loading')} />;
  if (incident.isError)
    return (
      <ErrorAlert
        error={incident.error}
        onRetry={() => void incident.refetch()}
        retrying={incident.isFetching}
      />
    );
  return <AdvisoryForm source={incident.data} />;
}

function AdvisoryForm({ source }: { source: Incident | null }) {
  const { t } = useTranslation();
  const names = useNames();
  const incidentNames = useIncidentNames();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      // From an incident: its kind as a starting title, its sector and its indicators; never its reporter.
      title: source
        ? `${incidentNames.rsitClass(source.rsitClass)}: ${incidentNames.rsitType(source.rsitType)}`
        : '',
      body: '',
      tlp: 'GREEN',
      sectors: source ? [source.sector] : [],
      indicators: (source?.observables ?? []).flatMap((o) =>
        isObservableType(o.type) ? [{ type: o.type, value: o.value }] : [],
      ),
      sourceIncidentId: source?.id ?? null,
    },
    validate: {
      title: (v) => (v.trim().length >= 3 ? null : t('advisoryForm.titleRequired')),
      body: (v) => (v.trim() ? null : t('advisoryForm.bodyRequired')),
      sectors: (v) => (v.length ? null : t('advisoryForm.sectorsRequired')),
      indicators: {
        value: (v) => (v.trim() ? null : t('indicators.valueRequired')),
      },
    },
  });
  const values = form.getValues();

  const publish = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/advisories', {
          body: {
            title: v.title.trim(),
            body: v.body.trim(),
            tlp: v.tlp,
            sectors: v.sectors,
            indicators: v.indicators.map((r) => ({ type: r.type, value: r.value.trim() })),
            sourceIncidentId: v.sourceIncidentId,
          },
        }),
      ),
    onSuccess: async (a) => {
      await queryClient.invalidateQueries({ queryKey: advisoriesKey });
      void navigate(`/advisories/${a.id}`);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      for (const e of error.errors) {
        const path = fieldOf(e.path);
        const [head = ''] = path.split('.');
        form.setFieldError(head === 'indicators' ? path : head, e.message);
      }
      focusFirstError(formRef.current);
    },
  });

  return (
    <Paper p="md" maw={900}>
      <form
        ref={formRef}
        noValidate
        onSubmit={form.onSubmit(
          (v) => publish.mutate(v),
          () => focusFirstError(formRef.current),
        )}
      >
        <Stack gap="md">
          {publish.isError && <ErrorAlert error={publish.error} title={t('advisoryForm.failed')} />}
          {values.sourceIncidentId && source && (
            <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm">
                  {t('advisoryForm.fromIncident')}{' '}
                  <Anchor component={Link} to={`/incidents/${source.id}`} className="qila-code">
                    {source.reference}
                  </Anchor>
                  . {t('advisoryForm.anonymous')}
                </Text>
                <CloseButton
                  aria-label={t('advisoryForm.unlink')}
                  onClick={() => form.setFieldValue('sourceIncidentId', null)}
                />
              </Group>
            </Alert>
          )}
          <TextInput
            label={t('advisoryForm.titleLabel')}
            required
            maxLength={200}
            {...form.getInputProps('title')}
          />
          <Textarea
            label={t('advisoryForm.body')}
            description={t('advisoryForm.bodyHint')}
            required
            autosize
            minRows={5}
            maxLength={10000}
            {...form.getInputProps('body')}
          />
          <TlpChoice
            label={t('advisoryForm.tlp')}
            value={values.tlp}
            options={ADVISORY_TLPS}
            onChange={(v) => (v === 'CLEAR' || v === 'GREEN') && form.setFieldValue('tlp', v)}
            error={form.errors.tlp}
          />
          <MultiSelect
            label={t('advisoryForm.sectors')}
            description={t('advisoryForm.sectorsHint')}
            required
            searchable
            data={names.sectorOptions}
            nothingFoundMessage={t('common.nothingFound')}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('sectors')}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('advisoryForm.indicators')}
            </Text>
            <IndicatorRows
              rows={values.indicators}
              onChange={(rows) => form.setFieldValue('indicators', rows)}
              errorOf={(i) => form.errors[`indicators.${i}.value`]}
              hint={t('advisoryForm.indicatorsHint')}
            />
          </Stack>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" component={Link} to="/advisories">
              {t('actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={publish.isPending}
              leftSection={<IconSpeakerphone size={16} aria-hidden />}
            >
              {t('advisoryForm.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

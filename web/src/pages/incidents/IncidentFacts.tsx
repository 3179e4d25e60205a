import { Box, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useIncidentNames } from '../../app/incidentNames';
import type { FactField, Incident } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

// In reading order; the title, severity and TLP are in the page header already.
const SHOWN: readonly FactField[] = [
  'rsitClass',
  'rsitType',
  'awareAt',
  'detectedAt',
  'classifiedAt',
  'detectionSource',
  'ongoing',
  'affectedServices',
  'affectedSectors',
  'usersAffected',
  'downtimeHours',
  'financialLoss',
  'suspectedMalicious',
  'personalData',
  'personalDataRecords',
  'crossBorder',
  'crossBorderCountries',
  'healthImpact',
];
const LONG: readonly FactField[] = ['mitigation', 'rootCause', 'lessonsLearned'];
const DATES = new Set<string>(['awareAt', 'detectedAt', 'classifiedAt']);

/** What the entity has said about the incident, as of its latest report. */
export function IncidentFacts({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const incidentNames = useIncidentNames();
  const d = incident.details ?? {};

  const show = (f: FactField, v: unknown): string | null => {
    if (v === null || v === undefined || v === '') return null;
    if (Array.isArray(v)) {
      if (!v.length) return null;
      const items = v.map(String);
      return f === 'affectedSectors' ? fmt.list(items.map(names.sector)) : items.join(', ');
    }
    if (typeof v === 'boolean') return v ? t('facts.tri.yes') : t('facts.tri.no');
    if (typeof v === 'number')
      return f === 'financialLoss'
        ? fmt.money(v, names.jurisdiction?.currency)
        : f === 'downtimeHours'
          ? t('time.hours', { h: fmt.number(v) })
          : fmt.number(v);
    if (typeof v !== 'string') return null;
    const s = v;
    if (DATES.has(f)) return fmt.dateTime(s);
    if (f === 'rsitClass') return incidentNames.rsitClass(s);
    if (f === 'rsitType') return incidentNames.rsitType(s);
    return s;
  };

  const rows = SHOWN.map((f) => ({ f, text: show(f, d[f]) })).filter((r) => r.text !== null);
  const summary = typeof d.summary === 'string' ? d.summary : '';

  return (
    <Section id="facts" title={t('incident.factsTitle')} description={t('incident.factsHint')}>
      <Stack gap="md">
        {summary && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
            {summary}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm" verticalSpacing="xs" component="dl" m={0}>
          {rows.map((r) => (
            <Box key={r.f}>
              <Text component="dt" size="xs" c="dimmed" fw={700}>
                {incidentNames.field(r.f)}
              </Text>
              <Text component="dd" size="sm" m={0} dir="auto">
                {r.text}
              </Text>
            </Box>
          ))}
        </SimpleGrid>
        {LONG.map((f) => {
          const v = show(f, d[f]);
          return v ? (
            <Box key={f}>
              <Text size="xs" c="dimmed" fw={700}>
                {incidentNames.field(f)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} dir="auto">
                {v}
              </Text>
            </Box>
          ) : null;
        })}
      </Stack>
    </Section>
  );
}

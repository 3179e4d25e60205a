import { Box, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useIncidentNames } from '../../app/incidentNames';
import type { Incident } from '../../app/incidents';
import { useNames } from '../../app/jurisdiction';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Text component="dt" size="xs" c="dimmed" fw={700}>
        {label}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </Box>
  );
}

/** Who reported, where, when, who it went to, and the reports sent so far. */
export function AboutCard({ incident: i }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const incidentNames = useIncidentNames();
  return (
    <Section id="about" title={t('incident.aboutTitle')}>
      <Stack gap="xs" component="dl" m={0}>
        <Item label={t('incidents.entity')}>
          <span lang="en" dir="auto">
            {i.entityName}
          </span>
        </Item>
        <Item label={t('registry.sector')}>
          {names.sector(i.sector)} · {names.adminUnit(i.adminUnit)}
        </Item>
        <Item label={t('incident.classification')}>
          {incidentNames.rsitClass(i.rsitClass)} · {incidentNames.rsitType(i.rsitType)}
        </Item>
        <Item label={t('facts.labels.awareAt')}>{fmt.dateTime(i.awareAt)}</Item>
        <Item label={t('handling.assignee')}>{i.assignee?.name ?? t('handling.unassigned')}</Item>
        {i.recipients.length > 0 && (
          <Item label={t('incident.sentTo')}>{fmt.list(i.recipients.map((r) => r.name))}</Item>
        )}
        <Item label={t('incident.reports')}>
          {i.reports.length === 0 ? (
            t('incident.noReports')
          ) : (
            <Stack gap={4} component="span">
              {i.reports.map((r) => (
                <Stack key={r.id} gap={0} component="span">
                  <Text span size="sm" fw={600}>
                    {incidentNames.stageKind(r.kind)}
                  </Text>
                  <Text span size="xs" c="dimmed">
                    {fmt.dateTime(r.submittedAt)} · {r.submittedBy}
                  </Text>
                </Stack>
              ))}
            </Stack>
          )}
        </Item>
      </Stack>
    </Section>
  );
}

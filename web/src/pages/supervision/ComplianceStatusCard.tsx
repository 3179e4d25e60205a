import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconGavel, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  COMPLIANCE_COLOR,
  FACT_LEVEL_STATUS,
  isComplianceStatus,
  type ComplianceFact,
  type ComplianceStatus,
  type EntityCompliance,
} from '../../app/supervision';
import { LegalStatusBadge } from '../../components/LegalStatusBadge';
import { useFormat } from '../../i18n/format';
import { useSupervisionNames } from './names';

const ICON: Record<ComplianceStatus, Icon> = {
  compliant: IconCircleCheck,
  at_risk: IconAlertTriangle,
  non_compliant: IconCircleX,
};

/** The entity's status, large, with every fact behind it (the worst first): the "why". */
export function ComplianceStatusCard({
  compliance: c,
  caseFor,
}: {
  compliance: EntityCompliance;
  /** Where to open an enforcement case from a fact, for those who may. */
  caseFor?: (code: string) => string | null;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const status: ComplianceStatus = isComplianceStatus(c.status) ? c.status : 'at_risk';
  const StatusIcon = ICON[status];
  const color = COMPLIANCE_COLOR[status];
  return (
    <Paper
      p="lg"
      component="section"
      aria-labelledby="compliance-status"
      data-testid="compliance-status"
      data-status={c.status}
      style={{ borderInlineStart: `8px solid var(--mantine-color-${color.replace('.', '-')})` }}
    >
      <Stack gap="md">
        <Group gap="md" wrap="nowrap" align="center">
          <ThemeIcon size={64} radius="xl" color={color} aria-hidden>
            <StatusIcon size={38} />
          </ThemeIcon>
          <Stack gap={0}>
            <Text size="sm" c="dimmed" fw={600}>
              {t('supervision.compliance.statusLabel')}
            </Text>
            <Title order={2} fz={32} c={color} id="compliance-status">
              {isComplianceStatus(c.status) ? t(`supervision.statuses.${c.status}`) : c.status}
            </Title>
            <Text size="xs" c="dimmed">
              {t('supervision.compliance.computed', {
                at: fmt.dateTime(c.computedAt),
                version: c.rulesVersion,
              })}
            </Text>
            <LegalStatusBadge legalStatus={c.legalStatus} size="xs" withBasis={false} />
          </Stack>
        </Group>
        <Stack gap={4}>
          <Text fw={700} size="sm">
            {t('supervision.compliance.why')}
          </Text>
          <FactsList facts={c.facts} caseFor={caseFor} />
        </Stack>
      </Stack>
    </Paper>
  );
}

/**
 * The facts as the rules stated them. The server writes them in English; other languages show
 * the fact's name in their own words with the English statement (dates, counts) beneath it.
 */
export function FactsList({
  facts,
  caseFor,
}: {
  facts: ComplianceFact[];
  caseFor?: (code: string) => string | null;
}) {
  const { t, i18n } = useTranslation();
  const names = useSupervisionNames();
  if (!facts.length)
    return (
      <Text size="sm" c="dimmed">
        {t('supervision.compliance.noFacts')}
      </Text>
    );
  return (
    <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }} data-testid="facts">
      {facts.map((f, i) => {
        const status = FACT_LEVEL_STATUS[f.level];
        const FactIcon = ICON[status];
        const name = i18n.language === 'en' ? null : names.fact(f.code);
        return (
          <Group
            key={`${f.code}-${i}`}
            component="li"
            gap="xs"
            wrap="nowrap"
            align="flex-start"
            data-testid="fact"
            data-level={f.level}
            data-code={f.code}
          >
            <ThemeIcon size={22} radius="xl" variant="light" color={COMPLIANCE_COLOR[status]} aria-hidden>
              <FactIcon size={15} />
            </ThemeIcon>
            <Stack gap={0} style={{ minWidth: 0 }}>
              {name && (
                <Text size="sm" fw={600}>
                  {name}
                </Text>
              )}
              <Text
                size={name ? 'xs' : 'sm'}
                c={name ? 'dimmed' : undefined}
                fw={!name && f.level === 'non_compliant' ? 700 : undefined}
                lang="en"
                dir="auto"
              >
                {f.text}
              </Text>
            </Stack>
            <Group gap="xs" wrap="nowrap" style={{ flex: 'none', marginInlineStart: 'auto' }}>
              {f.level === 'non_compliant' && caseFor?.(f.code) && (
                <Button
                  component={Link}
                  to={caseFor(f.code)!}
                  size="compact-xs"
                  variant="light"
                  color="red.8"
                  leftSection={<IconGavel size={12} aria-hidden />}
                  aria-label={t('supervision.cases.openForFact', { fact: names.fact(f.code) ?? f.text })}
                >
                  {t('supervision.cases.openCase')}
                </Button>
              )}
              <Text span size="xs" c="dimmed">
                {t(`supervision.levels.${f.level}`)}
              </Text>
            </Group>
          </Group>
        );
      })}
    </Stack>
  );
}

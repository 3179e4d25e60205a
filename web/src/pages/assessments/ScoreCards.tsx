import { Badge, Box, Group, Paper, Progress, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { DIMENSIONS, type Assessment } from '../../app/assessments';
import { useNames } from '../../app/jurisdiction';
import { useBand } from '../../components/AssessmentBadges';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat } from '../../i18n/format';

export function ScoreSummary({ a }: { a: Assessment }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const band = useBand();
  const s = a.score;
  const pct = s.applicable ? s.answered / s.applicable : 0;
  return (
    <Paper p="md" h="100%" component="section" aria-labelledby="score-title" data-testid="score-summary">
      <Stack gap="sm">
        <Title order={2} size="h4" id="score-title">
          {t('assessment.score')}
        </Title>
        <Group gap="xl" align="flex-start" wrap="wrap">
          <Stack gap={0}>
            <Text size="xs" c="dimmed" fw={700}>
              {t('assessment.overall')}
            </Text>
            <Text fz={36} fw={700} lh={1.2} data-testid="overall-score">
              {s.overall === null ? '–' : fmt.number(s.overall)}
            </Text>
            <Text size="xs" c="dimmed">
              {s.overall === null
                ? t('assessment.noAnswersYet')
                : `${t('assessment.outOf100')} · ${band(s.overall).label}`}
            </Text>
          </Stack>
          <Stack gap={2} style={{ flex: '1 1 200px' }}>
            <Text size="xs" c="dimmed" fw={700}>
              {t('assessment.completeness')}
            </Text>
            <Text size="sm" fw={700} data-testid="completeness">
              {t('assessment.answeredOf', {
                answered: fmt.number(s.answered),
                applicable: fmt.number(s.applicable),
              })}
            </Text>
            <Progress value={pct * 100} size="md" aria-hidden color={pct >= 1 ? 'qila.7' : 'blue.7'} />
            <Text size="xs" c="dimmed">
              {t('assessment.naCount', { count: s.notApplicable, formatted: fmt.number(s.notApplicable) })}
            </Text>
          </Stack>
          <Stack gap={2}>
            <Text size="xs" c="dimmed" fw={700}>
              {t('assessment.confidence')}
            </Text>
            <Badge
              color={
                s.confidence.label === 'high'
                  ? 'qila.7'
                  : s.confidence.label === 'medium'
                    ? 'yellow.4'
                    : 'gray.6'
              }
              autoContrast
              size="lg"
              className="qila-badge-fit"
            >
              {t(`assessment.confidenceLevels.${s.confidence.label}`)}
            </Badge>
            <Text size="xs" c="dimmed" maw={220}>
              {t('assessment.confidenceHint', { value: fmt.percent(s.confidence.value) })}
            </Text>
          </Stack>
        </Group>
        <Stack gap={6} component="dl" m={0}>
          {DIMENSIONS.map((d) => {
            const v = s.dimensions[d] ?? null;
            // A <dl> may only hold <div>s of <dt> and <dd>: the bar sits inside the <dd>.
            return (
              <div key={d} className="qila-dimension">
                <Text component="dt" size="sm">
                  {t(`dimensions.${d}`)}
                </Text>
                <Box component="dd" m={0} className="qila-dimension-value">
                  <div className="qila-bar" aria-hidden>
                    {v !== null && (
                      <div
                        className="qila-bar-fill"
                        style={{ width: `${Math.max(1, v)}%`, background: band(v).fg }}
                      />
                    )}
                  </div>
                  <Text component="span" size="sm" fw={700} ta="end">
                    {v === null ? '–' : fmt.number(v)}
                  </Text>
                </Box>
              </div>
            );
          })}
        </Stack>
      </Stack>
    </Paper>
  );
}

export function BenchmarkCard({ assessmentId, status }: { assessmentId: string; status: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useNames();
  const benchmark = useQuery({
    queryKey: ['assessment', assessmentId, 'benchmark', status],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/assessments/{id}/benchmark', { params: { path: { id: assessmentId } }, signal })),
  });
  return (
    <Paper p="md" h="100%" component="section" aria-labelledby="benchmark-title" data-testid="benchmark">
      <Stack gap="xs">
        <Title order={2} size="h4" id="benchmark-title">
          {t('benchmark.title')}
        </Title>
        {benchmark.isPending ? (
          <Skeleton h={80} aria-label={t('common.loading')} />
        ) : benchmark.isError ? (
          <ErrorAlert
            error={benchmark.error}
            title={t('benchmark.failed')}
            onRetry={() => void benchmark.refetch()}
            retrying={benchmark.isFetching}
          />
        ) : benchmark.data.percentile === null ? (
          <>
            <Text size="sm" fw={700}>
              {benchmark.data.peers < benchmark.data.minCohort
                ? t('benchmark.notEnough')
                : t('benchmark.noScore')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('benchmark.peers', {
                count: benchmark.data.peers,
                formatted: fmt.number(benchmark.data.peers),
                sector: names.sector(benchmark.data.sector),
              })}{' '}
              {benchmark.data.peers < benchmark.data.minCohort &&
                t('benchmark.needed', { n: fmt.number(benchmark.data.minCohort) })}
            </Text>
          </>
        ) : (
          <>
            <Text fz={30} fw={700} lh={1.2}>
              {t('benchmark.percentile', { n: fmt.number(benchmark.data.percentile) })}
            </Text>
            <Text size="sm">
              {t('benchmark.percentileHint', {
                n: fmt.number(benchmark.data.percentile),
                sector: names.sector(benchmark.data.sector),
              })}
            </Text>
            <Progress value={benchmark.data.percentile} aria-hidden />
            <Text size="sm" c="dimmed">
              {t('benchmark.peers', {
                count: benchmark.data.peers,
                formatted: fmt.number(benchmark.data.peers),
                sector: names.sector(benchmark.data.sector),
              })}
            </Text>
            {benchmark.data.peerMedian !== null && (
              <Text size="sm">
                {t('benchmark.median', {
                  mine: benchmark.data.score === null ? '–' : fmt.number(benchmark.data.score),
                  median: fmt.number(benchmark.data.peerMedian),
                })}
              </Text>
            )}
            {benchmark.data.peerQuartiles && benchmark.data.peerQuartiles.length === 3 && (
              <Text size="sm" c="dimmed">
                {t('benchmark.quartiles', {
                  low: fmt.number(benchmark.data.peerQuartiles[0]!),
                  high: fmt.number(benchmark.data.peerQuartiles[2]!),
                })}
              </Text>
            )}
            {benchmark.data.peerMedian === null && (
              <Text size="sm" c="dimmed">
                {t('disclosure.quartilesNeed', { n: fmt.number(benchmark.data.minPercentileCohort) })}
              </Text>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}

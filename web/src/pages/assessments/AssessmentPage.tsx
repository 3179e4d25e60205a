import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  List,
  Modal,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedCallback, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconCheck,
  IconCircleCheck,
  IconDownload,
  IconLock,
  IconMessageCircle,
  IconSearchOff,
  IconSend,
} from '@tabler/icons-react';
import { Fragment, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, unwrap } from '../../api/client';
import {
  assessmentKey,
  campaignsKey,
  isAnswered,
  levelsOf,
  requirementAnchor,
  requirementKey,
  useAssessment,
  useFrameworkDetails,
  type Assessment,
  type FrameworkDetail,
  type Requirement,
} from '../../app/assessments';
import { useAuth } from '../../app/auth';
import { useLocalize, useNames } from '../../app/jurisdiction';
import { StatusBadge } from '../../components/AssessmentBadges';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { BackToAssessments } from './CampaignPage';
import { RequirementRow } from './RequirementRow';
import { History, ReviewPanel } from './ReviewPanel';
import { BenchmarkCard, ScoreSummary } from './ScoreCards';

export function AssessmentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const assessment = useAssessment(id);

  if (assessment.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={20} w={160} />
        <Skeleton h={40} w="50%" />
        <Skeleton h={180} radius="md" />
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} h={140} radius="md" />
        ))}
      </Stack>
    );
  }
  if (assessment.isError) {
    const notFound = assessment.error instanceof ApiError && assessment.error.status === 404;
    return (
      <Stack gap="md">
        <BackToAssessments />
        {notFound ? (
          <EmptyState
            icon={<IconSearchOff size={26} />}
            title={t('assessment.notFoundTitle')}
            description={t('assessment.notFound')}
          />
        ) : (
          <ErrorAlert
            error={assessment.error}
            title={t('assessment.loadFailed')}
            onRetry={() => void assessment.refetch()}
            retrying={assessment.isFetching}
          />
        )}
      </Stack>
    );
  }
  return <AssessmentView a={assessment.data} refetch={() => void assessment.refetch()} />;
}

function BackLink({ a }: { a: Assessment }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (!can('national.aggregates.read') && !can('assessments.manage')) return <BackToAssessments />;
  return (
    <Anchor component={Link} to={`/assessments/campaigns/${a.campaignId}`} size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {t('assessment.backToCampaign', { name: a.campaignName })}
      </Group>
    </Anchor>
  );
}

function AssessmentView({ a, refetch }: { a: Assessment; refetch: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const queryClient = useQueryClient();
  const wide = useMediaQuery('(min-width: 62em)', true);
  const editable = a.allowedActions.includes('answer');
  const mayReview = a.allowedActions.includes('review');
  const details = useFrameworkDetails(a.frameworks.map((f) => f.id));
  const [locked, setLocked] = useState(false);

  // Rows with changes not saved yet, and how to save each now (before submitting).
  const busy = useRef(new Set<string>());
  const [busyCount, setBusyCount] = useState(0);
  const onBusy = useCallback((key: string, isBusy: boolean) => {
    if (isBusy) busy.current.add(key);
    else busy.current.delete(key);
    setBusyCount(busy.current.size);
  }, []);
  const flushers = useRef(new Map<string, () => Promise<void>>());
  const registerFlush = useCallback((key: string, flush: () => Promise<void>) => {
    flushers.current.set(key, flush);
    return () => {
      flushers.current.delete(key);
    };
  }, []);
  const flushAll = useCallback(async () => {
    await Promise.all([...flushers.current.values()].map((f) => f()));
  }, []);

  // The score is the server's: refreshed shortly after the answers stop changing.
  const refreshScore = useDebouncedCallback(() => {
    void queryClient.invalidateQueries({ queryKey: assessmentKey(a.id), exact: true });
  }, 800);
  const onSaved = useCallback(() => refreshScore(), [refreshScore]);
  const onReload = useCallback(() => refetch(), [refetch]);
  const onLocked = useCallback(() => {
    setLocked(true);
    refetch();
  }, [refetch]);

  const closed = new Date(a.closesAt).getTime() <= Date.now();
  const latest = a.submissions[0];

  return (
    <Stack gap="lg">
      <BackLink a={a} />
      <PageHeader
        title={a.entityName}
        documentTitle={t('assessment.docTitle', { entity: a.entityName })}
        description={
          <Stack gap={4} component="span">
            <span dir="auto">{a.campaignName}</span>
            <span>
              {t('assessment.dueAndCloses', {
                due: fmt.date(a.dueOn),
                closes: fmt.dateTime(a.closesAt, jurisdiction?.timeZone),
              })}
            </span>
          </Stack>
        }
        actions={
          <Group gap="xs">
            <StatusBadge status={a.status} size="lg" />
            <Button
              component="a"
              href={`/api/assessments/${a.id}/oscal`}
              download
              variant="default"
              size="sm"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('assessment.oscal')}
            </Button>
          </Group>
        }
      />

      {a.status === 'returned' && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconMessageCircle aria-hidden />}
          title={t('assessment.returnedTitle')}
          data-testid="returned-banner"
        >
          <Stack gap={4}>
            {a.reviewComment && (
              <Text size="sm" fw={600} style={{ whiteSpace: 'pre-wrap' }} dir="auto">
                {a.reviewComment}
              </Text>
            )}
            {latest?.reviewedBy && latest.reviewedAt && (
              <Text size="xs" c="dimmed">
                {t('assessment.reviewedBy', {
                  who: latest.reviewedBy,
                  when: fmt.dateTime(latest.reviewedAt, jurisdiction?.timeZone),
                })}
              </Text>
            )}
            {editable && <Text size="sm">{t('assessment.returnedHint')}</Text>}
          </Stack>
        </Alert>
      )}
      {a.status === 'submitted' && !mayReview && (
        <Alert
          color="violet"
          variant="light"
          icon={<IconLock aria-hidden />}
          title={t('assessment.submittedTitle')}
        >
          <Text size="sm">{t('assessment.submittedBody')}</Text>
        </Alert>
      )}
      {a.status === 'accepted' && (
        <Alert
          color="qila"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title={t('assessment.acceptedTitle')}
        >
          <Text size="sm">
            {a.reviewComment
              ? t('assessment.acceptedWith', { comment: a.reviewComment })
              : t('assessment.acceptedBody')}
          </Text>
        </Alert>
      )}
      {locked && (
        <Alert
          color="red"
          variant="light"
          icon={<IconLock aria-hidden />}
          role="alert"
          title={t('assessment.lockedTitle')}
        >
          <Text size="sm">{t('assessment.locked')}</Text>
        </Alert>
      )}
      {editable && closed && (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('assessment.closedTitle')}
        >
          <Text size="sm">
            {t('assessment.closed', { when: fmt.dateTime(a.closesAt, jurisdiction?.timeZone) })}
          </Text>
        </Alert>
      )}

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <ScoreSummary a={a} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <BenchmarkCard assessmentId={a.id} status={a.status} />
        </Grid.Col>
      </Grid>

      {mayReview && <ReviewPanel a={a} />}

      <Requirements
        a={a}
        details={details.map((d) => d.data)}
        detailsFailed={details.some((d) => d.isError)}
        editable={editable && !locked}
        wide={wide}
        busyCount={busyCount}
        flushAll={flushAll}
        onSaved={onSaved}
        onLocked={onLocked}
        onReload={onReload}
        onBusy={onBusy}
        registerFlush={registerFlush}
        canSubmit={a.allowedActions.includes('submit') && !locked}
      />

      <History a={a} />
    </Stack>
  );
}

type Entry =
  | { type: 'heading'; key: string; depth: number; title: string; score: number | null | undefined }
  | { type: 'row'; key: string; r: Requirement };

function Requirements(props: {
  a: Assessment;
  details: (FrameworkDetail | undefined)[];
  detailsFailed: boolean;
  editable: boolean;
  wide: boolean;
  busyCount: number;
  flushAll: () => Promise<void>;
  onSaved: () => void;
  onLocked: () => void;
  onReload: () => void;
  onBusy: (key: string, busy: boolean) => void;
  registerFlush: (key: string, flush: () => Promise<void>) => () => void;
  canSubmit: boolean;
}) {
  const { a, details, editable, wide, busyCount } = props;
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const ur = i18n.language === 'ur';
  const [snapshot, setSnapshot] = useState<Set<string> | null>(null);
  const unanswered = a.requirements.filter((r) => !isAnswered(r.answer));

  const itemTitles = useMemo(() => {
    const m = new Map<string, string>();
    for (const d of details) {
      if (!d) continue;
      for (const it of d.items) m.set(`${d.id}|${it.id}`, (ur && it.titleUr) || it.title || it.id);
    }
    return m;
  }, [details, ur]);

  const frameworkTitle = (f: Assessment['frameworks'][number]) => {
    const d = details.find((x) => x?.id === f.id);
    return ur && d?.nameUr ? d.nameUr : f.name;
  };

  // Stable per framework, so a row re-renders only when its own requirement changes.
  const levelsByFramework = useMemo(
    () => new Map(a.frameworks.map((f) => [f.id, levelsOf(f.levels, f.scale)])),
    [a.frameworks],
  );
  const sections = a.frameworks.map((f) => {
    const entries: Entry[] = [];
    let prev: string[] = [];
    for (const r of a.requirements) {
      if (r.frameworkId !== f.id) continue;
      const key = requirementKey(r);
      if (snapshot && !snapshot.has(key)) continue;
      const chain = [...r.groups].reverse();
      let i = 0;
      while (i < chain.length && chain[i] === prev[i]) i++;
      for (let d = i; d < chain.length; d++) {
        const g = chain[d]!;
        entries.push({
          type: 'heading',
          key: `${f.id}|${g}`,
          depth: d,
          title: itemTitles.get(`${f.id}|${g}`) ?? g,
          score: a.score.groups[`${f.id}|${g}`],
        });
      }
      prev = chain;
      entries.push({ type: 'row', key, r });
    }
    return { f, entries, levels: levelsByFramework.get(f.id) ?? [] };
  });

  return (
    <Stack gap="md" component="section" aria-labelledby="requirements-title">
      <Paper p="sm" className="qila-sticky-bar" data-testid="toolbar">
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Stack gap={0}>
            <Title order={2} size="h4" id="requirements-title">
              {t('assessment.requirements', {
                count: a.requirements.length,
                formatted: fmt.number(a.requirements.length),
              })}
            </Title>
            <Text size="xs" c="dimmed" aria-live="polite" data-testid="autosave-status">
              {!editable
                ? t('assessment.readOnly')
                : busyCount > 0
                  ? t('assessment.savingAll')
                  : t('assessment.allSaved')}
            </Text>
            {editable && (
              <Text size="xs" c="dimmed">
                {t('evidence.hint')}
              </Text>
            )}
          </Stack>
          <Group gap="md" wrap="wrap">
            <Switch
              label={t('assessment.onlyUnanswered', {
                count: unanswered.length,
                formatted: fmt.number(unanswered.length),
              })}
              checked={snapshot !== null}
              onChange={(e) =>
                setSnapshot(e.currentTarget.checked ? new Set(unanswered.map(requirementKey)) : null)
              }
            />
            {props.canSubmit && <SubmitButton a={a} flushAll={props.flushAll} />}
          </Group>
        </Group>
      </Paper>
      {props.detailsFailed && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />}>
          <Text size="sm">{t('assessment.titlesFailed')}</Text>
        </Alert>
      )}
      {snapshot && snapshot.size === 0 && (
        <EmptyState
          icon={<IconCheck size={26} />}
          title={t('assessment.allAnsweredTitle')}
          description={t('assessment.allAnswered')}
        />
      )}
      {sections.map(({ f, entries, levels }) =>
        entries.length === 0 ? null : (
          <Stack
            gap="sm"
            key={f.id}
            component="section"
            aria-labelledby={`fw-${f.id}`.replace(/[^\w-]/g, '-')}
          >
            <Group justify="space-between" align="baseline" gap="xs">
              <Title order={3} size="h3" id={`fw-${f.id}`.replace(/[^\w-]/g, '-')}>
                {frameworkTitle(f)}
              </Title>
              <FrameworkScore a={a} frameworkId={f.id} />
            </Group>
            {entries.map((e) =>
              e.type === 'heading' ? (
                <Group
                  key={e.key}
                  justify="space-between"
                  align="baseline"
                  gap="xs"
                  mt={e.depth === 0 ? 'sm' : 0}
                >
                  <Title
                    order={e.depth === 0 ? 4 : 5}
                    size={e.depth === 0 ? 'h4' : 'h5'}
                    c={e.depth === 0 ? undefined : 'gray.8'}
                  >
                    {e.title}
                  </Title>
                  {e.score !== undefined && e.score !== null && (
                    <Text size="sm" c="dimmed">
                      {t('assessment.groupScore', { score: fmt.number(e.score) })}
                    </Text>
                  )}
                </Group>
              ) : (
                <Fragment key={e.key}>
                  <RequirementRow
                    assessmentId={a.id}
                    requirement={e.r}
                    levels={levels}
                    editable={editable}
                    wide={wide}
                    onSaved={props.onSaved}
                    onLocked={props.onLocked}
                    onReload={props.onReload}
                    onBusy={props.onBusy}
                    registerFlush={props.registerFlush}
                  />
                </Fragment>
              ),
            )}
          </Stack>
        ),
      )}
    </Stack>
  );
}

function FrameworkScore({ a, frameworkId }: { a: Assessment; frameworkId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const localize = useLocalize();
  const s = a.score.frameworks[frameworkId];
  if (!s || s.score === null) return null;
  // The level reached, by the framework's own name for it ("2 (Initial)" on ZTMM).
  const f = a.frameworks.find((x) => x.id === frameworkId);
  const reached =
    s.cumulativeLevel === null
      ? null
      : f
        ? levelsOf(f.levels, f.scale).find((l) => l.level === s.cumulativeLevel)
        : undefined;
  return (
    <Text size="sm" c="dimmed">
      {[
        t('assessment.frameworkScore', { score: fmt.number(s.score) }),
        s.cumulativeLevel !== null
          ? t('assessment.cumulativeLevel', {
              level: reached?.name
                ? t('answer.levelWithName', { level: s.cumulativeLevel, name: localize(reached.name) })
                : s.cumulativeLevel,
            })
          : null,
        s.tier !== null ? t('assessment.csfTier', { tier: s.tier }) : null,
      ]
        .filter(Boolean)
        .join(' · ')}
    </Text>
  );
}

function SubmitButton({ a, flushAll }: { a: Assessment; flushAll: () => Promise<void> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const [fresh, setFresh] = useState<Assessment | null>(null);

  const submit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/assessments/{id}/submit', { params: { path: { id: a.id } } })),
    onSuccess: async (next) => {
      queryClient.setQueryData(assessmentKey(a.id), next);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['assessments'] }),
        queryClient.invalidateQueries({ queryKey: campaignsKey }),
      ]);
      setOpened(false);
      notifications.show({
        color: 'qila',
        title: t('submit.doneTitle'),
        message: t('submit.done'),
      });
      window.scrollTo({ top: 0 });
    },
  });

  const open = async () => {
    setPreparing(true);
    submit.reset();
    try {
      // Every change saved, then the score and completeness as the server sees them.
      await flushAll();
      const data = await queryClient.fetchQuery({
        queryKey: assessmentKey(a.id),
        queryFn: () => unwrap(api.GET('/api/assessments/{id}', { params: { path: { id: a.id } } })),
        staleTime: 0,
      });
      setFresh(data);
    } catch {
      setFresh(a);
    } finally {
      setPreparing(false);
      setOpened(true);
    }
  };

  const cur = fresh ?? a;
  const missing = cur.requirements.filter((r) => !isAnswered(r.answer));
  const first = missing[0];
  return (
    <>
      <Button
        leftSection={<IconSend size={16} aria-hidden />}
        onClick={() => void open()}
        loading={preparing}
      >
        {t('submit.button')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('submit.title')} centered>
        <Stack gap="md">
          <List size="sm" spacing={4}>
            <List.Item>
              {t('submit.answered', {
                answered: fmt.number(cur.score.answered),
                applicable: fmt.number(cur.score.applicable),
              })}
            </List.Item>
            <List.Item>
              {t('assessment.naCount', {
                count: cur.score.notApplicable,
                formatted: fmt.number(cur.score.notApplicable),
              })}
            </List.Item>
            <List.Item>
              {t('submit.evidence', {
                n: fmt.number(cur.requirements.filter((r) => r.evidence.length > 0).length),
              })}
            </List.Item>
            {cur.score.overall !== null && (
              <List.Item>{t('submit.score', { score: fmt.number(cur.score.overall) })}</List.Item>
            )}
          </List>
          {missing.length > 0 ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle aria-hidden />}
              title={t('submit.incompleteTitle')}
            >
              <Stack gap={4}>
                <Text size="sm">
                  {t('submit.incomplete', { count: missing.length, formatted: fmt.number(missing.length) })}
                </Text>
                {first && (
                  <Anchor
                    href={`#${requirementAnchor(first)}`}
                    size="sm"
                    fw={600}
                    onClick={(e) => {
                      e.preventDefault();
                      setOpened(false);
                      // After the dialog has closed and handed focus back: go to the requirement.
                      window.setTimeout(() => {
                        const row = document.getElementById(requirementAnchor(first));
                        row?.scrollIntoView({ block: 'start' });
                        row
                          ?.querySelector<HTMLElement>('input, button, textarea')
                          ?.focus({ preventScroll: true });
                      }, 300);
                    }}
                  >
                    {t('submit.goToFirst', { id: first.itemId })}
                  </Anchor>
                )}
              </Stack>
            </Alert>
          ) : (
            <Text size="sm">{t('submit.lockHint')}</Text>
          )}
          {submit.isError && <ErrorAlert error={submit.error} title={t('submit.failed')} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpened(false)} data-autofocus>
              {t('actions.cancel')}
            </Button>
            <Button
              onClick={() => submit.mutate()}
              loading={submit.isPending}
              disabled={missing.length > 0}
              leftSection={<IconSend size={16} aria-hidden />}
            >
              {t('submit.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

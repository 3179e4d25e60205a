import {
  Alert,
  Anchor,
  Box,
  Button,
  Group,
  List,
  Paper,
  Progress,
  Radio,
  RingProgress,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconArrowLeft, IconGauge } from '@tabler/icons-react';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { useLocalize } from '../../app/jurisdiction';
import {
  entityKey,
  localName,
  useEntity,
  useGradingRules,
  type EntityDetail,
  type GradingResult,
  type GradingRules,
} from '../../app/registry';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DesignationBadge, TierBadge } from '../../components/RegistryBadges';
import { useFormat } from '../../i18n/format';

function BackToEntity({ entity }: { entity: EntityDetail | undefined }) {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  return (
    <Anchor component={Link} to={`/registry/${id}`} size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={16} className="qila-flip-rtl" aria-hidden />
        {entity ? t('grading.backTo', { name: localName(entity, i18n.language) }) : t('grading.back')}
      </Group>
    </Anchor>
  );
}

/** The CII grading questionnaire, one question per block, then the tier it gives and why. */
export function GradingPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const entity = useEntity(id);
  const rules = useGradingRules();
  const [result, setResult] = useState<GradingResult | null>(null);
  const name = entity.data ? localName(entity.data, i18n.language) : '';
  useDocumentTitle(`${t('grading.title', { name: name || '…' })} · ${t('app.name')}`);

  if (entity.isPending || rules.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={20} w={200} />
        <Skeleton h={40} w="50%" />
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} h={160} radius="md" />
        ))}
      </Stack>
    );
  }
  if (entity.isError || rules.isError) {
    return (
      <Stack gap="md">
        <BackToEntity entity={entity.data} />
        <ErrorAlert
          error={entity.error ?? rules.error}
          title={t('grading.loadFailed')}
          onRetry={() => {
            void entity.refetch();
            void rules.refetch();
          }}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="lg" maw={820}>
      <BackToEntity entity={entity.data} />
      {result ? (
        <GradingResultView
          entity={entity.data}
          rules={rules.data}
          result={result}
          onAgain={() => setResult(null)}
        />
      ) : (
        <Questionnaire entity={entity.data} rules={rules.data} onGraded={setResult} />
      )}
    </Stack>
  );
}

function Questionnaire({
  entity,
  rules,
  onGraded,
}: {
  entity: EntityDetail;
  rules: GradingRules;
  onGraded: (r: GradingResult) => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const localize = useLocalize();
  const queryClient = useQueryClient();
  const summaryRef = useRef<HTMLDivElement>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [dateError, setDateError] = useState<string | null>(null);
  const totalWeight = rules.criteria.reduce((s, c) => s + c.weight, 0);
  const latest = entity.designationHistory[0]?.effectiveFrom;

  const grade = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/entities/{id}/grading', {
          params: { path: { id: entity.id } },
          body: { answers, effectiveFrom: effectiveFrom || undefined },
        }),
      ),
    onSuccess: async (r) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: entityKey(entity.id) }),
        queryClient.invalidateQueries({ queryKey: ['entities'] }),
        queryClient.invalidateQueries({ queryKey: ['registry'] }),
      ]);
      onGraded(r);
      window.scrollTo({ top: 0 });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      if (error.code === 'designation_after_date') setDateError(t('problems.designation_after_date'));
      for (const e of error.errors) {
        const f = fieldOf(e.path);
        if (f === 'effectiveFrom') setDateError(e.message);
      }
    },
  });

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const unanswered = rules.criteria.filter((c) => !answers[c.code]).map((c) => c.code);
    const badDate = effectiveFrom !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveFrom);
    setMissing(unanswered);
    setDateError(badDate ? t('grading.dateInvalid') : null);
    if (unanswered.length || badDate) {
      // GOV.UK pattern: a summary of the problems at the top, focused, each a link to its question.
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    grade.mutate();
  };

  const problems = [
    ...missing.map((code) => {
      const c = rules.criteria.find((x) => x.code === code)!;
      return { href: `#q-${code}`, text: t('grading.answerMissing', { question: localize(c.name) }) };
    }),
    ...(dateError ? [{ href: '#effective-from', text: dateError }] : []),
  ];

  return (
    <form noValidate onSubmit={submit}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {t('grading.title', { name: localName(entity, i18n.language) })}
          </Title>
          <Text c="dimmed" size="sm">
            {t('grading.intro', {
              ruleSet: localize(rules.name),
              version: rules.version,
              date: fmt.date(rules.effectiveFrom),
            })}
          </Text>
        </Stack>

        {problems.length > 0 && (
          <Alert
            ref={summaryRef}
            tabIndex={-1}
            color="red"
            variant="outline"
            icon={<IconAlertCircle aria-hidden />}
            title={t('grading.problemTitle')}
            role="alert"
          >
            <List size="sm" spacing={4}>
              {problems.map((p) => (
                <List.Item key={p.href}>
                  <Anchor href={p.href} c="red.9" fw={600} size="sm">
                    {p.text}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {grade.isError && !dateError && <ErrorAlert error={grade.error} title={t('grading.failed')} />}

        {rules.criteria.map((c, i) => (
          <Paper
            key={c.code}
            p="lg"
            id={`q-${c.code}`}
            className="qila-question"
            data-error={missing.includes(c.code) || undefined}
          >
            <Radio.Group
              value={answers[c.code] ?? null}
              onChange={(v) => {
                setAnswers((a) => ({ ...a, [c.code]: v }));
                setMissing((m) => m.filter((x) => x !== c.code));
              }}
              label={
                <Stack gap={6} component="span">
                  <Text component="span" size="xs" c="dimmed" fw={700}>
                    {t('grading.questionOf', {
                      n: i + 1,
                      total: rules.criteria.length,
                      name: localize(c.name),
                      weight: fmt.percent(c.weight / totalWeight),
                    })}
                  </Text>
                  <Text component="span" fz="lg" fw={700}>
                    {localize(c.question)}
                  </Text>
                </Stack>
              }
              error={missing.includes(c.code) ? t('grading.chooseAnswer') : undefined}
              required
              withAsterisk={false}
            >
              <Stack gap="sm" mt="md">
                {c.options.map((o) => (
                  <Radio key={o.value} value={o.value} label={localize(o.label)} size="md" />
                ))}
              </Stack>
            </Radio.Group>
          </Paper>
        ))}

        <Paper p="lg">
          <TextInput
            id="effective-from"
            type="date"
            label={t('grading.effectiveFrom')}
            description={
              latest
                ? t('grading.effectiveFromHintLatest', { date: fmt.date(latest) })
                : t('grading.effectiveFromHint')
            }
            value={effectiveFrom}
            onChange={(ev) => {
              setEffectiveFrom(ev.currentTarget.value);
              setDateError(null);
            }}
            error={dateError}
            styles={{ input: { maxWidth: 220 } }}
          />
        </Paper>

        <Group>
          <Button
            type="submit"
            size="md"
            loading={grade.isPending}
            leftSection={<IconGauge size={18} aria-hidden />}
          >
            {t('grading.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function GradingResultView({
  entity,
  rules,
  result,
  onAgain,
}: {
  entity: EntityDetail;
  rules: GradingRules;
  result: GradingResult;
  onAgain: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const localize = useLocalize();
  const totalWeight = rules.criteria.reduce((s, c) => s + c.weight, 0);
  const thresholds = [...rules.thresholds].sort((a, b) => a.tier - b.tier);
  const tierColor =
    result.tier === 1 ? 'red.9' : result.tier === 2 ? 'orange.6' : result.tier === 3 ? 'yellow.6' : 'gray.5';
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focused = useRef(false);
  const setHeading = (el: HTMLHeadingElement | null) => {
    headingRef.current = el;
    if (el && !focused.current) {
      focused.current = true;
      el.focus();
    }
  };

  return (
    <Stack gap="lg" data-testid="grading-result">
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {t('grading.resultFor', { name: localName(entity, i18n.language) })}
        </Text>
        <Title order={1} size="h2" ref={setHeading} tabIndex={-1}>
          {result.tier === null ? t('grading.resultNone') : t('grading.resultTier', { tier: result.tier })}
        </Title>
        <Group gap="xs">
          <TierBadge tier={result.tier} long size="lg" />
          <DesignationBadge designation={result.designation} size="lg" />
        </Group>
      </Stack>

      <Paper p="lg">
        <Group gap="xl" align="center" wrap="wrap">
          <RingProgress
            size={150}
            thickness={14}
            roundCaps
            sections={[{ value: Math.min(100, Math.max(0, result.score)), color: tierColor }]}
            label={
              <Stack gap={0} align="center">
                <Text fz={30} fw={800} lh={1.1}>
                  {fmt.number(result.score)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('grading.outOf')}
                </Text>
              </Stack>
            }
            aria-label={t('grading.scoreLabel', { score: fmt.number(result.score) })}
            role="img"
          />
          <Stack gap={6} style={{ flex: '1 1 280px' }}>
            <Text fw={700}>{t('grading.thresholds')}</Text>
            <List size="sm" spacing={2}>
              {thresholds.map((th) => (
                <List.Item key={th.tier}>
                  <Text size="sm" fw={result.tier === th.tier ? 700 : 400} component="span">
                    {t('grading.threshold', { tier: th.tier, score: fmt.number(th.minScore) })}
                    {result.tier === th.tier ? ` — ${t('grading.thisOne')}` : ''}
                  </Text>
                </List.Item>
              ))}
            </List>
            <Text size="xs" c="dimmed">
              {t('grading.ruleSet', { version: result.ruleSet })}
            </Text>
          </Stack>
        </Group>
      </Paper>

      <Paper p="lg" component="section" aria-labelledby="grading-why">
        <Title order={2} size="h4" id="grading-why" mb="xs">
          {t('grading.why')}
        </Title>
        <Text
          size="sm"
          lang="en"
          dir="ltr"
          ta="start"
          style={{ unicodeBidi: 'isolate' }}
          data-testid="grading-explanation"
        >
          {result.explanation}
        </Text>
      </Paper>

      <Paper p="lg" component="section" aria-labelledby="grading-contributions">
        <Title order={2} size="h4" id="grading-contributions">
          {t('grading.contributions')}
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          {t('grading.contributionsHint')}
        </Text>
        <Stack gap="md" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {result.contributions.map((c) => {
            const criterion = rules.criteria.find((x) => x.name.en === c.criterion);
            const option = criterion?.options.find((o) => o.label.en === c.answer);
            const max = (c.weight * 100) / totalWeight;
            return (
              <Box component="li" key={c.criterion}>
                <Group justify="space-between" gap="xs" wrap="nowrap" mb={4}>
                  <Text size="sm">
                    <strong>{criterion ? localize(criterion.name) : c.criterion}</strong>
                    {': '}
                    {option ? localize(option.label) : c.answer}
                  </Text>
                  <Text size="sm" fw={700} style={{ whiteSpace: 'nowrap' }}>
                    {t('grading.adds', {
                      value: fmt.number(c.contribution),
                      max: fmt.number(Math.round(max * 10) / 10),
                    })}
                  </Text>
                </Group>
                <Progress
                  value={max > 0 ? (c.contribution / max) * 100 : 0}
                  color="qila"
                  size="lg"
                  radius="sm"
                  aria-label={t('grading.contributionLabel', {
                    criterion: criterion ? localize(criterion.name) : c.criterion,
                    value: fmt.number(c.contribution),
                  })}
                  style={{
                    width: `${Math.max(8, (c.weight / Math.max(...rules.criteria.map((x) => x.weight))) * 100)}%`,
                  }}
                />
                <Text size="xs" c="dimmed" mt={2}>
                  {t('grading.weight', { weight: fmt.percent(c.weight / totalWeight) })}
                </Text>
              </Box>
            );
          })}
        </Stack>
      </Paper>

      <Group gap="sm">
        <Button component={Link} to={`/registry/${entity.id}`}>
          {t('grading.viewEntity')}
        </Button>
        <Button variant="default" onClick={onAgain}>
          {t('grading.again')}
        </Button>
      </Group>
    </Stack>
  );
}

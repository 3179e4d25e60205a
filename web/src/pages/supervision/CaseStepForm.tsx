import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldOf, unwrap } from '../../api/client';
import { fromLocalInput } from '../../app/datetime';
import {
  APPEAL_OUTCOMES,
  DECISION_OUTCOMES,
  caseKey,
  isCaseStep,
  supervisionKey,
  usePenaltySchedule,
  type CaseStep,
  type CaseStepInput,
  type EnforcementCase,
} from '../../app/supervision';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';
import { useSupervisionNames } from './names';

const NOWRAP_LABELS = { label: { whiteSpace: 'nowrap' } } as const;

/** The next step of the case, as a form, for whoever may take it (the Authority or the entity). */
export function CaseStepCard({ kase: c }: { kase: EnforcementCase }) {
  const { t } = useTranslation();
  const steps = c.allowedSteps.filter(isCaseStep);
  const [chosen, setChosen] = useState<CaseStep | null>(null);
  const step = chosen && steps.includes(chosen) ? chosen : steps[0];
  if (!step)
    return (
      <Section id="next-step" title={t('supervision.cases.nextStep')}>
        <Text size="sm" c="dimmed">
          {c.stage === 'closed' ? t('supervision.cases.closedNote') : t('supervision.cases.nothingToDo')}
        </Text>
      </Section>
    );
  return (
    <Section id="next-step" title={t('supervision.cases.nextStep')}>
      {steps.length > 1 && (
        <SegmentedControl
          styles={NOWRAP_LABELS}
          aria-label={t('supervision.cases.whichStep')}
          value={step}
          onChange={(v) => isCaseStep(v) && setChosen(v)}
          data={steps.map((s) => ({ value: s, label: t(`supervision.caseSteps.${s}`) }))}
        />
      )}
      <StepForm key={step} kase={c} step={step} />
    </Section>
  );
}

interface Errors {
  text?: string;
  at?: string;
  amount?: string;
  outcome?: string;
  months?: string;
  annualTurnover?: string;
  overrideLegalStatus?: string;
}

function StepForm({ kase: c, step }: { kase: EnforcementCase; step: CaseStep }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const names = useSupervisionNames();
  const queryClient = useQueryClient();
  const schedule = usePenaltySchedule(step === 'decision' ? c.violationDate : '');
  const [text, setText] = useState('');
  const [at, setAt] = useState('');
  const [outcome, setOutcome] = useState<string>(step === 'decision' ? 'penalty' : 'upheld');
  const [factors, setFactors] = useState<Record<string, boolean>>({});
  const [months, setMonths] = useState<Record<string, number | string>>({});
  const [amount, setAmount] = useState<number | string>('');
  const [turnover, setTurnover] = useState<number | string>(c.annualTurnover ?? '');
  // Caps that are a share of turnover need the figure; the registry's is offered and may be corrected.
  const capKind = schedule.data?.violations.find((v) => v.code === c.violation)?.capKind;
  const needsTurnover = step === 'decision' && outcome === 'penalty' && !!capKind && capKind !== 'fixed';
  const turnoverGiven = turnover !== '' && Number(turnover) > 0 ? Number(turnover) : undefined;
  const [errors, setErrors] = useState<Errors>({});
  // A sanction under a schedule that is not law is final only with a reason the case file keeps.
  const [overrideReason, setOverrideReason] = useState('');
  const needsOverride = step === 'decision' && outcome !== 'dismissed' && !c.legalStatus.binding;
  // A decided case cannot be closed while the entity may still appeal.
  const appealOpen =
    step === 'close' &&
    c.stage === 'decided' &&
    c.nextDeadline !== null &&
    new Date(c.nextDeadline).getTime() > Date.now();

  const body = (): CaseStepInput => {
    const trimmed = text.trim();
    switch (step) {
      case 'hearing':
        return { step, at: fromLocalInput(at) ?? '', text: trimmed };
      case 'decision':
        return {
          step,
          outcome: outcome as (typeof DECISION_OUTCOMES)[number],
          factors:
            outcome === 'penalty'
              ? Object.keys(factors)
                  .filter((k) => factors[k])
                  .map((code) => (code in months ? { code, months: Number(months[code]) || 0 } : { code }))
              : [],
          annualTurnover: needsTurnover && turnoverGiven !== c.annualTurnover ? turnoverGiven : undefined,
          overrideLegalStatus: needsOverride ? { reason: overrideReason.trim() } : undefined,
          text: trimmed,
        };
      case 'appeal_decision':
        return {
          step,
          outcome: outcome as (typeof APPEAL_OUTCOMES)[number],
          amount: outcome === 'reduced' ? Number(amount) : undefined,
          text: trimmed,
        };
      default:
        return { step, text: trimmed };
    }
  };
  const take = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/supervision/cases/{id}/steps', { params: { path: { id: c.id } }, body: body() })),
    onSuccess: async (next) => {
      queryClient.setQueryData(caseKey(c.id), next);
      await queryClient.invalidateQueries({ queryKey: supervisionKey });
      notifications.show({
        color: 'qila',
        message: t('supervision.cases.stepTaken', { step: names.caseEvent(step) }),
      });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const next: Errors = {};
      for (const e of error.errors) {
        const [head = ''] = fieldOf(e.path).split('.');
        if (
          head === 'text' ||
          head === 'at' ||
          head === 'amount' ||
          head === 'outcome' ||
          head === 'annualTurnover' ||
          head === 'overrideLegalStatus'
        )
          next[head] = e.message;
      }
      setErrors(next);
    },
  });
  const validate = (): Errors => {
    const e: Errors = {};
    if (!text.trim()) e.text = t('supervision.cases.textRequired');
    if (step === 'hearing') {
      const iso = fromLocalInput(at);
      if (!iso) e.at = t('supervision.cases.hearingRequired');
      else if (new Date(iso).getTime() <= Date.now()) e.at = t('supervision.cases.hearingFuture');
    }
    if (needsTurnover && capKind === 'pct_of_turnover' && turnoverGiven === undefined)
      e.annualTurnover = t('supervision.cases.turnoverRequired');
    if (needsOverride && overrideReason.trim().length < 10)
      e.overrideLegalStatus = t('legalStatus.overrideRequired');
    if (step === 'appeal_decision' && outcome === 'reduced' && !(Number(amount) >= 0 && amount !== ''))
      e.amount = t('supervision.cases.amountRequired');
    return e;
  };
  const textLabel: Record<CaseStep, string> = {
    notice: t('supervision.cases.texts.notice'),
    response: t('supervision.cases.texts.response'),
    hearing: t('supervision.cases.texts.hearing'),
    decision: t('supervision.cases.texts.decision'),
    appeal: t('supervision.cases.texts.appeal'),
    appeal_decision: t('supervision.cases.texts.appeal_decision'),
    close: t('supervision.cases.texts.close'),
  };

  return (
    <form
      noValidate
      data-testid="step-form"
      data-step={step}
      onSubmit={(e) => {
        e.preventDefault();
        const found = validate();
        setErrors(found);
        if (!Object.keys(found).length) take.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t(`supervision.cases.stepHints.${step}`)}
        </Text>
        {appealOpen && (
          <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
            {t('supervision.cases.appealWindow', { at: fmt.dateTime(c.nextDeadline!) })}
          </Alert>
        )}
        {take.isError && <ErrorAlert error={take.error} title={t('supervision.cases.stepFailed')} />}
        {step === 'hearing' && (
          <TextInput
            type="datetime-local"
            label={t('supervision.cases.hearingAt')}
            required
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            error={errors.at}
          />
        )}
        {step === 'decision' && (
          <>
            <Radio.Group
              label={t('supervision.cases.outcome')}
              required
              value={outcome}
              onChange={setOutcome}
            >
              <Group gap="lg" mt={6}>
                {DECISION_OUTCOMES.map((o) => (
                  <Radio key={o} value={o} label={t(`supervision.outcomes.${o}`)} />
                ))}
              </Group>
            </Radio.Group>
            {outcome === 'penalty' && (
              <Stack gap={6} data-testid="factors">
                <Text size="sm" fw={500}>
                  {t('supervision.cases.factors')}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('supervision.cases.factorsHint', { version: schedule.data?.version ?? '' })}
                </Text>
                {schedule.isError && <ErrorAlert error={schedule.error} />}
                {(schedule.data?.factors ?? []).map((f) => {
                  const perMonth = f.pctPerMonth !== undefined;
                  const effect =
                    f.effect === 'mitigating'
                      ? t('supervision.cases.mitigating', {
                          pct: fmt.number(f.pct ?? 0),
                        })
                      : perMonth
                        ? t('supervision.cases.perMonth', {
                            pct: fmt.number(f.pctPerMonth ?? 0),
                            max: fmt.number(f.maxPct ?? 0),
                          })
                        : t('supervision.cases.aggravating', { pct: fmt.number(f.pct ?? 0) });
                  return (
                    <Group key={f.code} gap="sm" wrap="nowrap" align="center">
                      <Checkbox
                        label={names.factor(f.code, f.name)}
                        description={effect}
                        checked={factors[f.code] ?? false}
                        onChange={(e) => {
                          const checked = e.currentTarget.checked;
                          setFactors((x) => ({ ...x, [f.code]: checked }));
                          if (perMonth && checked && !(f.code in months))
                            setMonths((m) => ({ ...m, [f.code]: 1 }));
                        }}
                        style={{ flex: 1 }}
                      />
                      {perMonth && factors[f.code] && (
                        <NumberInput
                          w={130}
                          label={t('supervision.cases.months')}
                          min={0}
                          max={240}
                          allowDecimal={false}
                          value={months[f.code] ?? 1}
                          onChange={(v) => setMonths((m) => ({ ...m, [f.code]: v }))}
                        />
                      )}
                    </Group>
                  );
                })}
              </Stack>
            )}
            {needsTurnover && (
              <NumberInput
                label={t('supervision.cases.turnover', { currency: schedule.data?.currency ?? 'PKR' })}
                description={
                  c.annualTurnover === null
                    ? t('supervision.cases.turnoverMissing')
                    : t('supervision.cases.turnoverHint', { amount: fmt.money(c.annualTurnover) })
                }
                required={capKind === 'pct_of_turnover'}
                min={1}
                allowDecimal={false}
                allowNegative={false}
                thousandSeparator=","
                value={turnover}
                onChange={setTurnover}
                error={errors.annualTurnover}
                data-testid="turnover"
              />
            )}
          </>
        )}
        {needsOverride && (
          <Textarea
            label={t('legalStatus.overrideLabel')}
            description={t('legalStatus.overrideHint', {
              status: t(`legalStatus.statuses.${c.legalStatus.status}`, {
                defaultValue: c.legalStatus.status,
              }).toLowerCase(),
            })}
            required
            autosize
            minRows={2}
            maxLength={2000}
            value={overrideReason}
            onChange={(e) => setOverrideReason(e.currentTarget.value)}
            error={errors.overrideLegalStatus}
            data-testid="override-reason"
          />
        )}
        {step === 'appeal_decision' && (
          <>
            <Radio.Group
              label={t('supervision.cases.appealOutcome')}
              required
              value={outcome}
              onChange={setOutcome}
            >
              <Group gap="lg" mt={6}>
                {APPEAL_OUTCOMES.map((o) => (
                  <Radio key={o} value={o} label={t(`supervision.appealOutcomes.${o}`)} />
                ))}
              </Group>
            </Radio.Group>
            {outcome === 'reduced' && (
              <NumberInput
                label={t('supervision.cases.reducedAmount', { currency: c.penalty?.currency ?? 'PKR' })}
                description={
                  c.penalty
                    ? t('supervision.cases.decidedAmount', {
                        amount: fmt.money(c.penalty.amount, c.penalty.currency),
                      })
                    : undefined
                }
                min={0}
                thousandSeparator=","
                value={amount}
                onChange={setAmount}
                error={errors.amount}
              />
            )}
          </>
        )}
        <Textarea
          label={textLabel[step]}
          required
          autosize
          minRows={4}
          maxLength={10000}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={errors.text}
        />
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={take.isPending}
            disabled={appealOpen}
            color={step === 'decision' ? 'red.8' : undefined}
            leftSection={<IconSend size={16} aria-hidden />}
          >
            {t(`supervision.caseSteps.${step}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Paper, Stepper } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { AUDIT_STATUSES, isAuditStatus, type Audit } from '../../app/supervision';
import { useFormat } from '../../i18n/format';

/** Where the audit stands: planned → fieldwork → preliminary → entity responded → final → closed. */
export function AuditStepper({ audit: a }: { audit: Audit }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const wide = useMediaQuery('(min-width: 62em)', true);
  const at = isAuditStatus(a.status) ? AUDIT_STATUSES.indexOf(a.status) : 0;
  // A closed audit has finished every step.
  const active = a.status === 'closed' ? AUDIT_STATUSES.length : at;
  const when: Partial<Record<(typeof AUDIT_STATUSES)[number], string | null>> = {
    preliminary_issued: a.preliminaryIssuedAt,
    entity_responded: a.respondedAt,
    final_issued: a.finalIssuedAt,
    closed: a.closedAt,
  };
  // The final report may follow a response period that lapsed without an answer.
  const skipped = at >= AUDIT_STATUSES.indexOf('final_issued') && !a.respondedAt;
  return (
    <Paper p="md" data-testid="audit-stepper" data-status={a.status}>
      <Stepper
        active={active}
        size="sm"
        orientation={wide ? 'horizontal' : 'vertical'}
        allowNextStepsSelect={false}
        color="qila.7"
      >
        {AUDIT_STATUSES.map((s) => {
          const at = when[s];
          const description =
            s === 'entity_responded' && skipped
              ? t('supervision.audits.noResponse')
              : at
                ? fmt.dateTime(at)
                : undefined;
          return (
            <Stepper.Step
              key={s}
              label={t(`supervision.auditSteps.${s}`)}
              description={description}
              aria-current={s === a.status ? 'step' : undefined}
            />
          );
        })}
      </Stepper>
    </Paper>
  );
}

import { Badge, Button, Group, Paper, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconArrowBackUp } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { assessmentKey, campaignsKey, type Assessment } from '../../app/assessments';
import { useNames } from '../../app/jurisdiction';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat } from '../../i18n/format';

export function ReviewPanel({ a }: { a: Assessment }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState(false);

  const review = useMutation({
    mutationFn: (decision: 'accept' | 'return') =>
      unwrap(
        api.POST('/api/assessments/{id}/review', {
          params: { path: { id: a.id } },
          body: { decision, comment: comment.trim() || null },
        }),
      ),
    onSuccess: async (next, decision) => {
      queryClient.setQueryData(assessmentKey(a.id), next);
      setAccepting(false);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['assessments'] }),
        queryClient.invalidateQueries({ queryKey: campaignsKey }),
        queryClient.invalidateQueries({ queryKey: ['campaign', a.campaignId] }),
        queryClient.invalidateQueries({ queryKey: ['assessment', a.id, 'benchmark'] }),
      ]);
      notifications.show({
        color: 'qila',
        title: decision === 'accept' ? t('review.acceptedTitle') : t('review.returnedTitle'),
        message: decision === 'accept' ? t('review.accepted') : t('review.returned'),
      });
    },
  });

  const sendBack = () => {
    if (!comment.trim()) {
      setCommentError(t('review.commentRequired'));
      document.getElementById('review-comment')?.focus();
      return;
    }
    setCommentError(null);
    review.mutate('return');
  };

  return (
    <Paper p="md" component="section" aria-labelledby="review-title" data-testid="review-panel" bg="violet.0">
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4" id="review-title">
            {t('review.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('review.hint')}
          </Text>
        </Stack>
        <Textarea
          id="review-comment"
          label={t('review.comment')}
          description={t('review.commentHint')}
          autosize
          minRows={3}
          maxLength={4000}
          dir="auto"
          value={comment}
          onChange={(e) => {
            setComment(e.currentTarget.value);
            if (commentError) setCommentError(null);
          }}
          error={commentError}
        />
        {review.isError && !accepting && <ErrorAlert error={review.error} title={t('review.failed')} />}
        <Group gap="sm">
          <Button
            leftSection={<IconCheck size={16} aria-hidden />}
            onClick={() => {
              review.reset();
              setAccepting(true);
            }}
          >
            {t('review.accept')}
          </Button>
          <Button
            variant="default"
            color="orange"
            leftSection={<IconArrowBackUp size={16} aria-hidden />}
            onClick={sendBack}
            loading={review.isPending && review.variables === 'return'}
          >
            {t('review.return')}
          </Button>
        </Group>
      </Stack>
      <ConfirmModal
        opened={accepting}
        title={t('review.acceptTitle')}
        confirmLabel={t('review.accept')}
        loading={review.isPending}
        error={review.isError ? review.error : undefined}
        errorTitle={t('review.failed')}
        onConfirm={() => review.mutate('accept')}
        onClose={() => setAccepting(false)}
      >
        <Text size="sm">{t('review.acceptBody')}</Text>
      </ConfirmModal>
    </Paper>
  );
}

export function History({ a }: { a: Assessment }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { jurisdiction } = useNames();
  const tz = jurisdiction?.timeZone;
  return (
    <Paper p="md" component="section" aria-labelledby="history-title" data-testid="history">
      <Stack gap="sm">
        <Title order={2} size="h4" id="history-title">
          {t('history.title')}
        </Title>
        {a.submissions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('history.none')}
          </Text>
        ) : (
          <Timeline
            active={a.submissions.length - 1}
            bulletSize={18}
            lineWidth={2}
            component="ol"
            style={{ listStyle: 'none', paddingInlineStart: 0 }}
          >
            {a.submissions.map((s) => (
              <Timeline.Item
                key={s.number}
                component="li"
                title={
                  <Group gap="xs">
                    <Text fw={700} size="sm">
                      {t('history.submission', { n: s.number })}
                    </Text>
                    {s.decision === 'accept' ? (
                      <Badge color="qila.7" size="sm" className="qila-badge-fit">
                        {t('history.accepted')}
                      </Badge>
                    ) : s.decision === 'return' ? (
                      <Badge color="orange.8" size="sm" className="qila-badge-fit">
                        {t('history.returned')}
                      </Badge>
                    ) : (
                      <Badge color="violet.7" variant="outline" size="sm" className="qila-badge-fit">
                        {t('history.awaiting')}
                      </Badge>
                    )}
                  </Group>
                }
              >
                <Text size="xs" c="dimmed">
                  {[
                    t('history.submittedBy', { who: s.submittedBy, when: fmt.dateTime(s.submittedAt, tz) }),
                    s.score !== null ? t('history.score', { score: fmt.number(s.score) }) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
                {s.reviewedBy && s.reviewedAt && (
                  <Text size="xs" c="dimmed">
                    {t('history.reviewedBy', { who: s.reviewedBy, when: fmt.dateTime(s.reviewedAt, tz) })}
                  </Text>
                )}
                {s.reviewComment && (
                  <Text size="sm" mt={2} style={{ whiteSpace: 'pre-wrap' }} dir="auto">
                    {t('history.comment', { comment: s.reviewComment })}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </Paper>
  );
}

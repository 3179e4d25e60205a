import { Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconPaperclip } from '@tabler/icons-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTACHMENT_ACCEPT, uploadFile } from '../../api/upload';
import { incidentKey, type Incident } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FileLink } from '../../components/FileLink';
import { Section } from '../../components/Section';
import { useFileSize, useFormat } from '../../i18n/format';

/** Files attached by the entity or the handlers; anyone who may attach can upload more. */
export function AttachmentsCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const resetRef = useRef<() => void>(null);
  const mayAttach = incident.allowedActions.includes('attach');
  const attach = useMutation({
    mutationFn: (file: File) => uploadFile(`/api/incidents/${encodeURIComponent(incident.id)}/files`, file),
    onSettled: () => resetRef.current?.(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) }),
  });
  const size = useFileSize();

  return (
    <Section
      id="attachments"
      title={t('attachments.title')}
      description={t('attachments.description')}
      actions={
        mayAttach && (
          <FileButton onChange={(f) => f && attach.mutate(f)} accept={ATTACHMENT_ACCEPT} resetRef={resetRef}>
            {(p) => (
              <Button
                {...p}
                size="xs"
                variant="default"
                loading={attach.isPending}
                leftSection={<IconPaperclip size={14} aria-hidden />}
              >
                {t('attachments.attach')}
              </Button>
            )}
          </FileButton>
        )
      }
    >
      {attach.isError && <ErrorAlert error={attach.error} title={t('attachments.failed')} />}
      {incident.files.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('attachments.none')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {incident.files.map((f) => (
            <Group key={f.id} component="li" gap="xs" wrap="wrap">
              <FileLink href={`/api/incidents/${incident.id}/files/${f.id}`} fileName={f.fileName} />
              <Text size="xs" c="dimmed">
                {size(f.sizeBytes)} ·{' '}
                {t('attachments.by', { by: f.createdBy, at: fmt.dateTime(f.createdAt) })}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

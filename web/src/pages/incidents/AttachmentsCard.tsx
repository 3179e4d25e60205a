import { Anchor, Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconPaperclip } from '@tabler/icons-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, csrfHeaders, problemToError } from '../../api/client';
import { incidentKey, type Incident } from '../../app/incidents';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { useFormat } from '../../i18n/format';

// What the server accepts (it checks the bytes too): documents, images, logs, archives.
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.txt,.log,.csv,.json,.zip,.gz,.docx,.xlsx';

async function upload(incidentId: string, file: File): Promise<void> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(`/api/incidents/${encodeURIComponent(incidentId)}/files`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...csrfHeaders() },
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network_error', detail: null });
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    throw problemToError(res, body);
  }
}

/** Files attached by the entity or the handlers; anyone who may attach can upload more. */
export function AttachmentsCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const resetRef = useRef<() => void>(null);
  const mayAttach = incident.allowedActions.includes('attach');
  const attach = useMutation({
    mutationFn: (file: File) => upload(incident.id, file),
    onSettled: () => resetRef.current?.(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: incidentKey(incident.id) }),
  });
  const size = (bytes: number) =>
    bytes >= 1024 * 1024
      ? t('evidence.mb', { n: fmt.number(Math.round((bytes / 1024 / 1024) * 10) / 10) })
      : t('evidence.kb', { n: fmt.number(Math.max(1, Math.round(bytes / 1024))) });

  return (
    <Section
      id="attachments"
      title={t('attachments.title')}
      description={t('attachments.description')}
      actions={
        mayAttach && (
          <FileButton onChange={(f) => f && attach.mutate(f)} accept={ACCEPT} resetRef={resetRef}>
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
              <Anchor
                href={`/api/incidents/${incident.id}/files/${f.id}`}
                download={f.fileName}
                size="sm"
                fw={600}
              >
                <Group gap={4} component="span" wrap="nowrap">
                  <IconDownload size={14} aria-hidden />
                  <span dir="auto">{f.fileName}</span>
                </Group>
              </Anchor>
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

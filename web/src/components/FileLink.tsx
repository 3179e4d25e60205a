import { Anchor, Group } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';

/** A stored file's name that downloads it (the server sends it as an attachment, never inline). */
export function FileLink({ href, fileName }: { href: string; fileName: string }) {
  return (
    <Anchor href={href} download={fileName} size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
      <Group gap={4} component="span" wrap="nowrap">
        <IconDownload size={14} aria-hidden style={{ flex: 'none' }} />
        <span dir="auto">{fileName}</span>
      </Group>
    </Anchor>
  );
}

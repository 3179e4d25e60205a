import { Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChartBar, IconTable } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  title: string;
  description?: ReactNode;
  /** The picture: a heatmap, a bar list. */
  children: ReactNode;
  /** The same figures as a plain table, shown instead of the picture on request. */
  table: ReactNode;
  testId?: string;
}

/**
 * Like ChartCard, for pictures whose figures are not counts and shares: the picture, with the same
 * numbers as a plain table one click away.
 */
export function TableToggleCard({ title, description, children, table, testId }: Props) {
  const { t } = useTranslation();
  const [showTable, { toggle }] = useDisclosure(false);
  const tableId = useId();
  const titleId = useId();
  return (
    <Paper p="md" component="section" aria-labelledby={titleId} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={2} size="h4" id={titleId}>
              {title}
            </Title>
            {description && (
              <Text size="sm" c="dimmed" component="div">
                {description}
              </Text>
            )}
          </Stack>
          <Button
            variant="default"
            size="xs"
            onClick={toggle}
            aria-expanded={showTable}
            aria-controls={tableId}
            leftSection={
              showTable ? <IconChartBar size={14} aria-hidden /> : <IconTable size={14} aria-hidden />
            }
            style={{ flex: 'none' }}
          >
            {showTable ? t('charts.hideTable') : t('charts.showTable')}
          </Button>
        </Group>
        <Box hidden={showTable}>{children}</Box>
        <Box id={tableId} hidden={!showTable}>
          {showTable && table}
        </Box>
      </Stack>
    </Paper>
  );
}

import { Box, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChartBar, IconTable } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ChartRow {
  label: string;
  value: number;
  /** A colour swatch, for charts whose colours mean something. */
  color?: string;
  /** Shown instead of the count and share (a withheld figure); the chart leaves the row out. */
  display?: ReactNode;
}

interface Props {
  title: string;
  description?: string;
  /** Column heading for the category (sector, province, tier). */
  categoryLabel: string;
  rows: ChartRow[];
  total: number;
  format: { number: (n: number) => string; percent: (f: number) => string };
  children: ReactNode;
}

/**
 * A chart with its numbers one click away: a chart alone is never the only way to read the figures.
 */
export function ChartCard({ title, description, categoryLabel, rows, total, format, children }: Props) {
  const { t } = useTranslation();
  const [showTable, { toggle }] = useDisclosure(false);
  const tableId = useId();
  const titleId = useId();
  return (
    <Paper p="md" h="100%" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2}>
            <Title order={3} size="h4" id={titleId}>
              {title}
            </Title>
            {description && (
              <Text size="sm" c="dimmed">
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
        <Box>{children}</Box>
        <Box id={tableId} hidden={!showTable}>
          {showTable && (
            <Table striped withTableBorder fz="sm">
              <Table.Caption>{title}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{categoryLabel}</Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('charts.count')}
                  </Table.Th>
                  <Table.Th scope="col" ta="end">
                    {t('charts.share')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.label}>
                    <Table.Th scope="row" fw={500}>
                      <Group gap={8} wrap="nowrap">
                        {r.color && (
                          <span className="qila-swatch" style={{ background: r.color }} aria-hidden />
                        )}
                        {r.label}
                      </Group>
                    </Table.Th>
                    <Table.Td ta="end">{r.display ?? format.number(r.value)}</Table.Td>
                    <Table.Td ta="end">
                      {r.display ?? format.percent(total > 0 ? r.value / total : 0)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th scope="row">{t('charts.total')}</Table.Th>
                  <Table.Th ta="end">{format.number(total)}</Table.Th>
                  <Table.Th ta="end">{format.percent(total > 0 ? 1 : 0)}</Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          )}
        </Box>
      </Stack>
    </Paper>
  );
}

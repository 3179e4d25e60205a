import {
  Accordion,
  Alert,
  Anchor,
  Box,
  Button,
  FileButton,
  Group,
  List,
  Pagination,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconDownload,
  IconFileSpreadsheet,
  IconFileUpload,
  IconRefresh,
  IconUpload,
} from '@tabler/icons-react';
import { Fragment, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api, csrfHeaders, problemToError, unwrap } from '../../api/client';
import { useNames } from '../../app/jurisdiction';
import { IMPORT_COLUMNS, REQUIRED_COLUMNS, isImportColumn, type ImportReport } from '../../app/registry';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useFormat } from '../../i18n/format';
import { downloadText, parseCsv, toCsv } from './csv';
import { BackToRegistry } from './EntityPage';

const MAX_BYTES = 25 * 1024 * 1024;
const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ROWS_PER_PAGE = 25;
/** Imported entities linked from the result page. */
const LINKED = 10;

type Step = 'upload' | 'report' | 'done';
const STEPS: Step[] = ['upload', 'report', 'done'];

/** Uploads with XMLHttpRequest, which (unlike fetch) reports upload progress. */
function uploadImport(file: File, onProgress: (fraction: number) => void): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/registry/imports');
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network_error', detail: null }));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportReport);
      else {
        const headers = new Headers();
        const requestId = xhr.getResponseHeader('x-request-id');
        if (requestId) headers.set('x-request-id', requestId);
        reject(problemToError(new Response(null, { status: xhr.status, headers }), body));
      }
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The registration numbers in a CSV file, to link the imported entities afterwards. */
async function registrationNumbers(file: File): Promise<string[]> {
  if (!/\.csv$/i.test(file.name) || file.size > MAX_BYTES) return [];
  const rows = parseCsv(await file.text(), LINKED + 1);
  const header =
    rows[0]?.map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_'),
    ) ?? [];
  const col = header.indexOf('registration_no');
  if (col < 0) return [];
  return rows
    .slice(1)
    .map((r) => r[col]?.trim() ?? '')
    .filter(Boolean);
}

export function ImportPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('upload');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [regNos, setRegNos] = useState<string[]>([]);
  const queryClient = useQueryClient();

  const commit = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/registry/imports/{id}/commit', { params: { path: { id } } })),
    onSuccess: async (r) => {
      setReport(r);
      setStep('done');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['entities'] }),
        queryClient.invalidateQueries({ queryKey: ['registry'] }),
        queryClient.invalidateQueries({ queryKey: ['entity'] }),
        queryClient.invalidateQueries({ queryKey: ['entity-directory'] }),
      ]);
    },
  });

  const restart = () => {
    commit.reset();
    setReport(null);
    setRegNos([]);
    setStep('upload');
  };

  return (
    <Stack gap="md">
      <BackToRegistry />
      <PageHeader title={t('import.title')} description={t('import.description')} />
      <Stepper
        active={step === 'done' ? STEPS.length : STEPS.indexOf(step)}
        allowNextStepsSelect={false}
        size="sm"
      >
        <Stepper.Step label={t('import.step1')} description={t('import.step1Hint')} />
        <Stepper.Step label={t('import.step2')} description={t('import.step2Hint')} />
        <Stepper.Step label={t('import.step3')} description={t('import.step3Hint')} />
      </Stepper>
      {step === 'upload' && (
        <UploadStep
          onUploaded={(r, numbers) => {
            setReport(r);
            setRegNos(numbers);
            setStep('report');
          }}
        />
      )}
      {step === 'report' && report && (
        <ReportStep
          report={report}
          committing={commit.isPending}
          commitError={commit.error}
          onCommit={() => commit.mutate(report.id)}
          onRestart={restart}
        />
      )}
      {step === 'done' && report && <DoneStep report={report} regNos={regNos} onRestart={restart} />}
    </Stack>
  );
}

function UploadStep({ onUploaded }: { onUploaded: (r: ImportReport, regNos: string[]) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState(0);
  const resetRef = useRef<() => void>(null);

  const upload = useMutation({
    mutationFn: async (f: File) => {
      setProgress(0);
      const [report, numbers] = await Promise.all([uploadImport(f, setProgress), registrationNumbers(f)]);
      return { report, numbers };
    },
    onSuccess: ({ report, numbers }) => onUploaded(report, numbers),
  });

  const choose = (f: File | null) => {
    upload.reset();
    resetRef.current?.();
    if (!f) return;
    if (!/\.(csv|xlsx)$/i.test(f.name)) {
      setFile(null);
      setProblem(t('import.wrongType', { name: f.name }));
      return;
    }
    if (f.size > MAX_BYTES) {
      setFile(null);
      setProblem(t('import.tooLarge', { name: f.name, size: fmt.number(Math.ceil(f.size / 1024 / 1024)) }));
      return;
    }
    setProblem(null);
    setFile(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (upload.isPending) return;
    choose(e.dataTransfer.files[0] ?? null);
  };

  const template = () =>
    downloadText(toCsv([IMPORT_COLUMNS as unknown as string[]]), 'qila-registry-template.csv');

  const uploading = upload.isPending;
  const checking = uploading && progress >= 1;

  return (
    <Stack gap="md">
      <Paper p="lg">
        <Stack gap="md">
          <Title order={2} size="h4">
            {t('import.uploadTitle')}
          </Title>
          <List size="sm" spacing={4}>
            <List.Item>{t('import.rule1')}</List.Item>
            <List.Item>{t('import.rule2')}</List.Item>
            <List.Item>{t('import.rule3')}</List.Item>
            <List.Item>{t('import.rule4')}</List.Item>
          </List>
          <Group gap="xs">
            <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={template}>
              {t('import.template')}
            </Button>
          </Group>

          <Box
            className="qila-dropzone"
            data-dragging={dragging || undefined}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <Stack align="center" gap="xs" ta="center">
              <IconFileSpreadsheet size={40} stroke={1.4} aria-hidden color="var(--mantine-color-qila-7)" />
              <Text fw={700}>{t('import.dropHere')}</Text>
              <Text size="sm" c="dimmed">
                {t('import.or')}
              </Text>
              <FileButton
                onChange={choose}
                accept={ACCEPT}
                resetRef={resetRef}
                disabled={uploading}
                inputProps={{ 'aria-label': t('import.chooseFile'), id: 'import-file' }}
              >
                {(props) => (
                  <Button {...props} variant="default" leftSection={<IconFileUpload size={16} aria-hidden />}>
                    {t('import.chooseFile')}
                  </Button>
                )}
              </FileButton>
            </Stack>
          </Box>

          {problem && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
              {problem}
            </Alert>
          )}

          {file && (
            <Paper p="sm" bg="gray.0" withBorder={false}>
              <Group justify="space-between" gap="sm">
                <Stack gap={0}>
                  <Text size="sm" fw={700} style={{ overflowWrap: 'anywhere' }}>
                    {file.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('import.fileSize', { size: fmt.number(Math.max(1, Math.round(file.size / 1024))) })}
                  </Text>
                </Stack>
                <Button
                  onClick={() => upload.mutate(file)}
                  loading={uploading}
                  leftSection={<IconUpload size={16} aria-hidden />}
                >
                  {t('import.check')}
                </Button>
              </Group>
            </Paper>
          )}

          <div aria-live="polite">
            {uploading && (
              <Stack gap={4}>
                <Text size="sm">
                  {checking
                    ? t('import.checking')
                    : t('import.uploading', { percent: fmt.percent(progress) })}
                </Text>
                {checking ? (
                  <Progress value={100} striped animated aria-label={t('import.checking')} />
                ) : (
                  <Progress value={progress * 100} aria-label={t('import.uploadProgress')} />
                )}
              </Stack>
            )}
          </div>
          {upload.isError && <ErrorAlert error={upload.error} title={t('import.uploadFailed')} />}
        </Stack>
      </Paper>

      <ColumnsReference />
    </Stack>
  );
}

function ColumnsReference() {
  const { t } = useTranslation();
  const names = useNames();
  const sectors = names.jurisdiction?.sectors ?? [];
  return (
    <Accordion variant="contained" radius="md" multiple>
      <Accordion.Item value="columns">
        <Accordion.Control>{t('import.columnsTitle')}</Accordion.Control>
        <Accordion.Panel>
          <Table.ScrollContainer minWidth={560}>
            <Table fz="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('import.column')}</Table.Th>
                  <Table.Th scope="col">{t('import.required')}</Table.Th>
                  <Table.Th scope="col">{t('import.meaning')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {IMPORT_COLUMNS.map((c) => (
                  <Table.Tr key={c}>
                    <Table.Th scope="row" fw={500}>
                      <span className="qila-code">{c}</span>
                    </Table.Th>
                    <Table.Td>{REQUIRED_COLUMNS.includes(c) ? t('import.yes') : t('import.no')}</Table.Td>
                    <Table.Td>{t(`import.columns.${c}`)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Accordion.Panel>
      </Accordion.Item>
      <Accordion.Item value="codes">
        <Accordion.Control>{t('import.codesTitle')}</Accordion.Control>
        <Accordion.Panel>
          <Table.ScrollContainer minWidth={480}>
            <Table fz="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('import.code')}</Table.Th>
                  <Table.Th scope="col">{t('import.name')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sectors.map((s) => (
                  <Fragment key={s.code}>
                    <Table.Tr>
                      <Table.Th scope="row">
                        <span className="qila-code">{s.code}</span>
                      </Table.Th>
                      <Table.Td fw={700}>{names.sector(s.code)}</Table.Td>
                    </Table.Tr>
                    {s.subsectors.map((x) => (
                      <Table.Tr key={x.code}>
                        <Table.Th scope="row" fw={400} ps="lg">
                          <span className="qila-code">{x.code}</span>
                        </Table.Th>
                        <Table.Td>{names.subsector(x.code)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Fragment>
                ))}
                {names.adminUnitOptions.map((u) => (
                  <Table.Tr key={u.value}>
                    <Table.Th scope="row">
                      <span className="qila-code">{u.value}</span>
                    </Table.Th>
                    <Table.Td>{u.label}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

function Figure({ label, value, tone }: { label: string; value: string; tone?: 'red' }) {
  return (
    <Paper p="sm" withBorder>
      <Text size="xs" c="dimmed" fw={700}>
        {label}
      </Text>
      <Text fz={24} fw={700} c={tone === 'red' ? 'red.8' : undefined}>
        {value}
      </Text>
    </Paper>
  );
}

interface RowGroup {
  row: number;
  problems: { column: string | null; message: string }[];
}

function ReportStep({
  report,
  committing,
  commitError,
  onCommit,
  onRestart,
}: {
  report: ImportReport;
  committing: boolean;
  commitError: unknown;
  onCommit: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const hasErrors = report.errorCount > 0;
  const nothing = report.validRows === 0;
  return (
    <Stack gap="md">
      <Paper p="lg" component="section" aria-labelledby="import-summary">
        <Stack gap="sm">
          <Group justify="space-between" gap="xs">
            <Title order={2} size="h4" id="import-summary">
              {t('import.summaryTitle', { name: report.fileName })}
            </Title>
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm">
            <Figure label={t('import.rows')} value={fmt.number(report.totalRows)} />
            <Figure label={t('import.valid')} value={fmt.number(report.validRows)} />
            <Figure label={t('import.toCreate')} value={fmt.number(report.toCreate)} />
            <Figure label={t('import.toUpdate')} value={fmt.number(report.toUpdate)} />
            <Figure
              label={t('import.problems')}
              value={fmt.number(report.errorCount)}
              tone={hasErrors ? 'red' : undefined}
            />
          </SimpleGrid>
        </Stack>
      </Paper>

      {report.warnings.length > 0 && (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('import.warnings')}
        >
          <List size="sm">
            {report.warnings.map((w) => (
              <List.Item key={w}>
                <span lang="en" dir="ltr">
                  {w}
                </span>
              </List.Item>
            ))}
          </List>
        </Alert>
      )}

      {hasErrors ? (
        <>
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('import.hasErrorsTitle', {
              count: report.errorCount,
              formatted: fmt.number(report.errorCount),
            })}
            role="alert"
          >
            <Stack gap="xs">
              <Text size="sm" id="commit-blocked">
                {t('import.hasErrors')}
              </Text>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="white"
                  leftSection={<IconDownload size={14} aria-hidden />}
                  onClick={() =>
                    downloadText(
                      toCsv([
                        ['row', 'column', 'message'],
                        ...report.errors.map((e) => [e.row, e.column ?? '', e.message]),
                      ]),
                      `${report.fileName.replace(/\.(csv|xlsx)$/i, '')}-errors.csv`,
                    )
                  }
                >
                  {t('import.downloadErrors')}
                </Button>
                <Button
                  size="xs"
                  variant="white"
                  leftSection={<IconRefresh size={14} aria-hidden />}
                  onClick={onRestart}
                >
                  {t('import.uploadAgain')}
                </Button>
              </Group>
            </Stack>
          </Alert>
          <ErrorTable report={report} />
        </>
      ) : nothing ? (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
          <Text size="sm" id="commit-blocked">
            {t('import.noRows')}
          </Text>
        </Alert>
      ) : (
        <Alert
          color="qila"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title={t('import.readyTitle')}
        >
          <Text size="sm">
            {t('import.ready', {
              create: fmt.number(report.toCreate),
              update: fmt.number(report.toUpdate),
            })}
          </Text>
        </Alert>
      )}

      {commitError != null && <ErrorAlert error={commitError} title={t('import.commitFailed')} />}
      <div aria-live="polite">
        {committing && (
          <Stack gap={4}>
            <Text size="sm">
              {t('import.committing', { count: report.validRows, formatted: fmt.number(report.validRows) })}
            </Text>
            <Progress value={100} striped animated aria-label={t('import.committingShort')} />
          </Stack>
        )}
      </div>

      <Group gap="sm">
        <Button
          onClick={onCommit}
          loading={committing}
          disabled={hasErrors || nothing}
          aria-describedby={hasErrors || nothing ? 'commit-blocked-short' : undefined}
          leftSection={<IconCircleCheck size={16} aria-hidden />}
        >
          {t('import.commit')}
        </Button>
        {hasErrors || nothing ? (
          <Text size="sm" c="dimmed" id="commit-blocked-short">
            {t('import.commitBlocked')}
          </Text>
        ) : (
          <Button variant="default" onClick={onRestart} disabled={committing}>
            {t('import.chooseAnother')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** Problems grouped by row, a page at a time: a file can have thousands. */
function ErrorTable({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [page, setPage] = useState(1);
  const [column, setColumn] = useState<string | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const turn = (n: number) => {
    setPage(n);
    top.current?.scrollIntoView({ block: 'start' });
  };
  const columns = useMemo(
    () => [...new Set(report.errors.map((e) => e.column ?? ''))].filter(Boolean).sort(),
    [report.errors],
  );
  const groups = useMemo(() => {
    const byRow = new Map<number, RowGroup>();
    for (const e of report.errors) {
      if (column && e.column !== column) continue;
      const g = byRow.get(e.row) ?? { row: e.row, problems: [] };
      g.problems.push({ column: e.column, message: e.message });
      byRow.set(e.row, g);
    }
    return [...byRow.values()].sort((a, b) => a.row - b.row);
  }, [report.errors, column]);
  const pages = Math.max(1, Math.ceil(groups.length / ROWS_PER_PAGE));
  const current = Math.min(page, pages);
  const shown = groups.slice((current - 1) * ROWS_PER_PAGE, current * ROWS_PER_PAGE);
  const columnLabel = (c: string | null) => (c === null ? t('import.wholeRow') : isImportColumn(c) ? c : c);

  return (
    <Paper
      p={0}
      component="section"
      aria-labelledby="import-errors"
      style={{ overflow: 'hidden', scrollMarginTop: 80 }}
      ref={top}
    >
      <Group justify="space-between" p="md" gap="sm" align="flex-end">
        <Stack gap={2}>
          <Title order={2} size="h4" id="import-errors">
            {t('import.errorsTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {report.errorCount > report.errors.length
              ? t('import.errorsTruncated', {
                  shown: fmt.number(report.errors.length),
                  total: fmt.number(report.errorCount),
                })
              : t('import.errorsRows', { count: groups.length, formatted: fmt.number(groups.length) })}
          </Text>
        </Stack>
        {columns.length > 1 && (
          <Select
            label={t('import.filterColumn')}
            placeholder={t('import.allColumns')}
            data={columns}
            value={column}
            onChange={(v) => {
              setColumn(v);
              setPage(1);
            }}
            clearable
            clearButtonProps={{ 'aria-label': t('import.allColumns') }}
            w={240}
          />
        )}
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm" withRowBorders verticalSpacing={6} data-testid="import-errors">
          <VisuallyHidden component="caption">{t('import.errorsTitle')}</VisuallyHidden>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={90}>
                {t('import.row')}
              </Table.Th>
              <Table.Th scope="col" w={220}>
                {t('import.column')}
              </Table.Th>
              <Table.Th scope="col">{t('import.problem')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          {shown.map((g) => (
            <Table.Tbody key={g.row} className="qila-row-group">
              {g.problems.map((p, i) => (
                <Table.Tr key={i}>
                  {i === 0 && (
                    <Table.Th
                      scope="rowgroup"
                      rowSpan={g.problems.length}
                      fw={700}
                      style={{ verticalAlign: 'top' }}
                    >
                      {t('import.rowNumber', { row: fmt.number(g.row) })}
                    </Table.Th>
                  )}
                  <Table.Td>
                    <span className="qila-code">{columnLabel(p.column)}</span>
                  </Table.Td>
                  <Table.Td lang="en" dir="ltr" style={{ textAlign: 'start' }}>
                    {p.message}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          ))}
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="center" p="md">
          <Pagination
            total={pages}
            value={current}
            onChange={turn}
            size="sm"
            getControlProps={(control) => ({
              'aria-label':
                control === 'previous'
                  ? t('import.previousPage')
                  : control === 'next'
                    ? t('import.nextPage')
                    : control === 'first'
                      ? t('import.firstPage')
                      : t('import.lastPage'),
            })}
            getItemProps={(n) => ({ 'aria-label': t('import.page', { n }) })}
          />
        </Group>
      )}
    </Paper>
  );
}

function DoneStep({
  report,
  regNos,
  onRestart,
}: {
  report: ImportReport;
  regNos: string[];
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const created = report.created ?? 0;
  const updated = report.updated ?? 0;
  const lookups = useQueries({
    queries: regNos.slice(0, LINKED).map((no) => ({
      queryKey: ['entities', 'by-registration', no],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(api.GET('/api/entities', { params: { query: { q: no, limit: 5 } }, signal })),
      staleTime: 60_000,
    })),
  });
  const found = lookups
    .map((q, i) => q.data?.items.find((e) => e.registrationNo === regNos[i]))
    .filter((e): e is NonNullable<typeof e> => Boolean(e));
  return (
    <Stack gap="md">
      <Paper p="lg" component="section" aria-labelledby="import-done">
        <Stack gap="sm">
          <Group gap="sm">
            <IconCircleCheck size={32} color="var(--mantine-color-qila-7)" aria-hidden />
            <Title order={2} size="h3" id="import-done">
              {t('import.doneTitle')}
            </Title>
          </Group>
          <Group gap="lg">
            <Text fz="xl" fw={700} data-testid="import-created">
              {t('import.created', { count: created, formatted: fmt.number(created) })}
            </Text>
            <Text fz="xl" fw={700} data-testid="import-updated">
              {t('import.updated', { count: updated, formatted: fmt.number(updated) })}
            </Text>
          </Group>
          <Text size="sm" c="dimmed">
            {t('import.doneHint', { name: report.fileName })}
          </Text>
        </Stack>
      </Paper>
      {found.length > 0 && (
        <Paper p="lg" component="section" aria-labelledby="import-imported">
          <Title order={3} size="h5" id="import-imported" mb="xs">
            {t('import.imported')}
          </Title>
          <List size="sm" spacing={4}>
            {found.map((e) => (
              <List.Item key={e.id}>
                <Anchor component={Link} to={`/registry/${e.id}`} lang="en">
                  {e.nameEn}
                </Anchor>{' '}
                <Text span size="xs" c="dimmed" className="qila-code">
                  {e.registrationNo}
                </Text>
              </List.Item>
            ))}
          </List>
        </Paper>
      )}
      <Group gap="sm">
        <Button component={Link} to="/registry">
          {t('import.toRegistry')}
        </Button>
        <Button variant="default" onClick={onRestart}>
          {t('import.another')}
        </Button>
      </Group>
    </Stack>
  );
}

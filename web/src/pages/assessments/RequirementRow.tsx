import {
  Alert,
  Box,
  Button,
  FileButton,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconClockEdit,
  IconMessagePlus,
  IconPaperclip,
  IconRefresh,
} from '@tabler/icons-react';
import { memo, useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../api/client';
import { uploadFile } from '../../api/upload';
import {
  isDimension,
  requirementAnchor,
  requirementKey,
  type AnswerDraft,
  type Evidence,
  type LevelDef,
  type Requirement,
} from '../../app/assessments';
import { useLocalize } from '../../app/jurisdiction';
import { FileLink } from '../../components/FileLink';
import { errorLine } from '../../components/errors';
import { useFileSize } from '../../i18n/format';

export const AUTOSAVE_MS = 600;
const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;
const EVIDENCE_ACCEPT =
  '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt,.csv,application/pdf,image/png,image/jpeg,text/plain,text/csv,' +
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EVIDENCE_EXT = /\.(pdf|png|jpe?g|docx|xlsx|txt|csv)$/i;

export type SaveStatus =
  'idle' | 'pending' | 'saving' | 'saved' | 'error' | 'conflict' | 'needsJustification';
const BUSY: ReadonlySet<SaveStatus> = new Set(['pending', 'saving']);

function draftOf(r: Requirement): AnswerDraft {
  return {
    level: r.answer?.level ?? null,
    notApplicable: r.answer?.notApplicable ?? false,
    justification: r.answer?.justification ?? '',
    comment: r.answer?.comment ?? '',
  };
}

interface Props {
  assessmentId: string;
  requirement: Requirement;
  levels: LevelDef[];
  editable: boolean;
  wide: boolean;
  /** Called after each save, so the page can refresh the score. */
  onSaved: () => void;
  /** The server says the assessment can no longer be changed. */
  onLocked: () => void;
  /** Reloads the assessment (after a conflict, to show whose answer won). */
  onReload: () => void;
  /** Tells the page whether this row has changes not yet saved, and how to save them now. */
  onBusy: (key: string, busy: boolean) => void;
  registerFlush: (key: string, flush: () => Promise<void>) => () => void;
}

/** One requirement: its statement, the level, "not applicable", a comment and evidence; saved as it changes. */
export const RequirementRow = memo(function RequirementRow(props: Props) {
  const { assessmentId, requirement: r, levels, editable, wide } = props;
  const { onSaved, onLocked, onReload, onBusy, registerFlush } = props;
  const { t, i18n } = useTranslation();
  const localize = useLocalize();
  const key = requirementKey(r);
  const statementId = useId();
  const justificationId = useId();

  const [draft, setDraft] = useState<AnswerDraft>(() => draftOf(r));
  const [base, setBase] = useState<number | undefined>(r.answer?.version);
  const [status, setStatus] = useState<SaveStatus>('idle');
  const [error, setError] = useState<unknown>(null);
  const [commentOpen, setCommentOpen] = useState(false);
  const draftRef = useRef(draft);
  const versionRef = useRef(base);
  const timer = useRef<number | undefined>(undefined);
  const inflight = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  // Someone else's newer answer (or the reload after a conflict) replaces ours only when we have
  // nothing unsaved.
  const serverVersion = r.answer?.version;
  const settled = status === 'idle' || status === 'saved';
  if (settled && serverVersion !== undefined && (base === undefined || serverVersion > base)) {
    const fresh = draftOf(r);
    setDraft(fresh);
    setBase(serverVersion);
    draftRef.current = fresh;
    versionRef.current = serverVersion;
  }

  useEffect(() => onBusy(key, BUSY.has(status)), [key, status, onBusy]);

  const save = useCallback(async (): Promise<void> => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    if (inflight.current) {
      again.current = true;
      return inflight.current;
    }
    const d = draftRef.current;
    if (d.notApplicable && !d.justification.trim()) {
      setStatus('needsJustification');
      return;
    }
    setStatus('saving');
    setError(null);
    const version = versionRef.current;
    const run = (async () => {
      try {
        const res = await unwrap(
          api.PUT('/api/assessments/{id}/answers/{frameworkId}/{itemId}', {
            params: { path: { id: assessmentId, frameworkId: r.frameworkId, itemId: r.itemId } },
            body: {
              level: d.notApplicable ? null : d.level,
              notApplicable: d.notApplicable,
              justification: d.notApplicable ? d.justification.trim() : null,
              comment: d.comment.trim() || null,
              ...(version !== undefined ? { version } : {}),
            },
          }),
        );
        versionRef.current = res.version;
        setBase(res.version);
        inflight.current = null;
        if (again.current) {
          again.current = false;
          await save();
          return;
        }
        setStatus('saved');
        onSaved();
      } catch (e) {
        inflight.current = null;
        again.current = false;
        setError(e);
        if (e instanceof ApiError && e.code === 'answer_conflict') {
          setStatus('conflict');
          onReload();
        } else {
          setStatus('error');
          if (e instanceof ApiError && e.code === 'assessment_locked') onLocked();
        }
      }
    })();
    inflight.current = run;
    return run;
  }, [assessmentId, r.frameworkId, r.itemId, onSaved, onLocked, onReload]);

  const flush = useCallback(async () => {
    if (timer.current !== undefined) await save();
    else if (inflight.current) await inflight.current;
  }, [save]);
  useEffect(() => registerFlush(key, flush), [key, flush, registerFlush]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const change = (patch: Partial<AnswerDraft>) => {
    const next = { ...draftRef.current, ...patch };
    draftRef.current = next;
    setDraft(next);
    if (status === 'conflict') return; // the person decides first whose answer to keep
    setStatus('pending');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save(), AUTOSAVE_MS);
  };

  /** After a conflict: take the answer now on the server. */
  const takeTheirs = () => {
    const fresh = draftOf(r);
    draftRef.current = fresh;
    versionRef.current = r.answer?.version;
    setDraft(fresh);
    setBase(r.answer?.version);
    setStatus('idle');
    setError(null);
  };
  /** After a conflict: save ours over the answer now on the server. */
  const keepMine = () => {
    versionRef.current = r.answer?.version;
    setBase(r.answer?.version);
    void save();
  };

  const inUrdu = i18n.language === 'ur' && Boolean(r.statementUr);
  const statement = inUrdu ? r.statementUr : r.statement;
  const levelName = (n: number) => {
    const l = levels.find((x) => x.level === n);
    return l?.name ? localize(l.name) : null;
  };
  // "0 (Not performed)", or just "0" when the framework does not name its levels.
  const levelLabel = (n: number | undefined) => {
    const name = n === undefined ? null : levelName(n);
    return name ? t('answer.levelWithName', { level: n, name }) : String(n ?? '');
  };
  const chosen = levels.find((x) => x.level === draft.level);
  const chosenName = draft.level === null ? null : levelName(draft.level);
  const commenting = commentOpen || draft.comment !== '';
  // Who won the race: the server names them ("<who> changed this answer meanwhile"); else the reloaded answer does.
  const conflictWho =
    status === 'conflict'
      ? ((error instanceof ApiError && error.detail
          ? /^(.+?) changed this answer meanwhile/.exec(error.detail)?.[1]
          : undefined) ?? r.answer?.updatedBy)
      : undefined;
  const evidence = useEvidence({
    assessmentId,
    requirement: r,
    answered: base !== undefined,
    beforeUpload: flush,
    onUploaded: onSaved,
  });

  return (
    <Paper
      p="md"
      component="article"
      id={requirementAnchor(r)}
      aria-labelledby={statementId}
      className="qila-question"
      data-error={status === 'needsJustification' || status === 'conflict' || status === 'error' || undefined}
      data-testid="requirement"
      data-item={r.itemId}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap={8} wrap="wrap">
              <Text size="xs" fw={700} className="qila-code">
                {r.itemId}
              </Text>
              {r.dimension && isDimension(r.dimension) && (
                <Text size="xs" c="dimmed">
                  {t(`dimensions.${r.dimension}`)}
                </Text>
              )}
            </Group>
            <Text
              id={statementId}
              fw={600}
              size="sm"
              lang={inUrdu ? 'ur' : 'en'}
              dir={inUrdu ? undefined : 'ltr'}
              ta="start"
              style={{ unicodeBidi: 'isolate' }}
            >
              {statement ?? r.itemId}
            </Text>
          </Stack>
          {editable && <SaveIndicator status={status} />}
        </Group>

        {editable ? (
          <>
            <Stack gap={4}>
              <SegmentedControl
                aria-label={t('answer.levelFor', { id: r.itemId })}
                color="qila"
                value={draft.level === null || draft.notApplicable ? '' : String(draft.level)}
                onChange={(v) => change({ level: Number(v) })}
                disabled={draft.notApplicable}
                fullWidth
                size={wide ? 'sm' : 'md'}
                data={levels.map(({ level: n }) => {
                  const name = levelName(n);
                  return {
                    value: String(n),
                    label: (
                      <Stack gap={0} align="center" component="span">
                        <Text component="span" fw={700} size="sm" lh={1.4}>
                          {n}
                        </Text>
                        {name &&
                          (wide ? (
                            <Text component="span" size="xs" lh={1.3}>
                              {name}
                            </Text>
                          ) : (
                            <VisuallyHidden>{name}</VisuallyHidden>
                          ))}
                      </Stack>
                    ),
                  };
                })}
              />
              <Text size="xs" c="dimmed" aria-live="polite">
                {draft.notApplicable
                  ? t('answer.naChosen')
                  : draft.level === null
                    ? t('answer.chooseLevel', {
                        from: levelLabel(levels[0]?.level),
                        to: levelLabel(levels.at(-1)?.level),
                      })
                    : chosenName
                      ? t('answer.levelNamed', { level: draft.level, name: chosenName })
                      : t('answer.levelOnly', { level: draft.level })}
                {!draft.notApplicable && chosen?.description && (
                  <>
                    {' · '}
                    {/* Descriptions written only in English keep their own direction inside Urdu text. */}
                    <span
                      lang={chosen.description[i18n.language] ? undefined : 'en'}
                      dir={chosen.description[i18n.language] ? undefined : 'ltr'}
                      style={{ unicodeBidi: 'isolate' }}
                    >
                      {localize(chosen.description)}
                    </span>
                  </>
                )}
              </Text>
            </Stack>
            <Group gap="md" wrap="wrap" align="center">
              <Switch
                label={t('answer.notApplicable')}
                checked={draft.notApplicable}
                onChange={(e) => change({ notApplicable: e.currentTarget.checked })}
              />
              {!commenting && (
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconMessagePlus size={14} aria-hidden />}
                  onClick={() => setCommentOpen(true)}
                >
                  {t('answer.addComment')}
                  <VisuallyHidden>{` ${r.itemId}`}</VisuallyHidden>
                </Button>
              )}
              {evidence.button}
            </Group>
            {draft.notApplicable && (
              <Textarea
                id={justificationId}
                label={t('answer.justification')}
                description={t('answer.justificationHint')}
                required
                autosize
                minRows={2}
                maxLength={2000}
                dir="auto"
                value={draft.justification}
                onChange={(e) => change({ justification: e.currentTarget.value })}
                onBlur={() => void flush()}
                error={status === 'needsJustification' ? t('answer.justificationRequired') : undefined}
              />
            )}
            {commenting && (
              <Textarea
                label={t('answer.comment')}
                autosize
                minRows={1}
                maxRows={6}
                maxLength={4000}
                dir="auto"
                value={draft.comment}
                onChange={(e) => change({ comment: e.currentTarget.value })}
                onBlur={() => void flush()}
                autoFocus={commentOpen && !draft.comment}
              />
            )}
          </>
        ) : (
          <ReadOnlyAnswer draft={draft} answered={r.answer !== null} levelName={levelName} />
        )}

        {status === 'conflict' && (
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('answer.conflictTitle')}
            role="alert"
          >
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                {conflictWho
                  ? t('answer.conflictBy', {
                      who: conflictWho,
                      level: !r.answer
                        ? t('answer.noLevel')
                        : r.answer.notApplicable
                          ? t('answer.notApplicable')
                          : r.answer.level === null
                            ? t('answer.noLevel')
                            : String(r.answer.level),
                    })
                  : t('answer.conflict')}
              </Text>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="white"
                  leftSection={<IconRefresh size={14} aria-hidden />}
                  onClick={takeTheirs}
                >
                  {t('answer.useTheirs')}
                </Button>
                <Button size="xs" variant="default" onClick={keepMine}>
                  {t('answer.keepMine')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {status === 'error' && error != null && (
          <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle aria-hidden />} p="xs">
            <Group gap="xs" justify="space-between">
              <Text size="sm">{errorLine(error, t, i18n.language)}</Text>
              {!(error instanceof ApiError && error.code === 'assessment_locked') && (
                <Button size="xs" variant="white" color="red" onClick={() => void save()}>
                  {t('actions.retry')}
                </Button>
              )}
            </Group>
          </Alert>
        )}

        {evidence.files}
      </Stack>
    </Paper>
  );
});

function ReadOnlyAnswer({
  draft,
  answered,
  levelName,
}: {
  draft: AnswerDraft;
  answered: boolean;
  levelName: (n: number) => string | null;
}) {
  const { t } = useTranslation();
  const name = draft.level !== null ? levelName(draft.level) : null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={700}>
        {!answered
          ? t('answer.notAnswered')
          : draft.notApplicable
            ? t('answer.notApplicable')
            : draft.level === null
              ? t('answer.noLevel')
              : name
                ? t('answer.levelNamed', { level: draft.level, name })
                : t('answer.levelOnly', { level: draft.level })}
      </Text>
      {draft.notApplicable && draft.justification && (
        <Text size="sm">{t('answer.justificationShown', { text: draft.justification })}</Text>
      )}
      {draft.comment && <Text size="sm">{t('answer.commentShown', { text: draft.comment })}</Text>}
    </Stack>
  );
}

function SaveIndicator({ status }: { status: SaveStatus }) {
  const { t } = useTranslation();
  const view: Record<SaveStatus, { icon: ReactNode; text: string; color: string } | null> = {
    idle: null,
    pending: { icon: <IconClockEdit size={14} aria-hidden />, text: t('answer.unsaved'), color: 'dimmed' },
    saving: { icon: <Loader size={12} aria-hidden />, text: t('answer.saving'), color: 'dimmed' },
    saved: { icon: <IconCircleCheck size={14} aria-hidden />, text: t('answer.saved'), color: 'qila.8' },
    error: { icon: <IconAlertTriangle size={14} aria-hidden />, text: t('answer.notSaved'), color: 'red.8' },
    conflict: {
      icon: <IconAlertTriangle size={14} aria-hidden />,
      text: t('answer.conflictShort'),
      color: 'orange.9',
    },
    needsJustification: {
      icon: <IconAlertTriangle size={14} aria-hidden />,
      text: t('answer.notSaved'),
      color: 'red.8',
    },
  };
  const v = view[status];
  return (
    <Group
      gap={4}
      wrap="nowrap"
      style={{ flex: 'none', minHeight: 20 }}
      data-testid="save-status"
      data-status={status}
    >
      {v && (
        <>
          <Text c={v.color} component="span" lh={1} style={{ display: 'inline-flex' }}>
            {v.icon}
          </Text>
          <Text size="xs" c={v.color}>
            {v.text}
          </Text>
        </>
      )}
    </Group>
  );
}

function uploadEvidence(assessmentId: string, r: Requirement, file: File) {
  return uploadFile<Pick<Evidence, 'id' | 'fileName' | 'sha256' | 'sizeBytes' | 'mediaType'>>(
    `/api/assessments/${encodeURIComponent(assessmentId)}/answers/${encodeURIComponent(r.frameworkId)}/${encodeURIComponent(r.itemId)}/evidence`,
    file,
  );
}

/** Evidence of one answer: the files attached, and the button that attaches another. */
function useEvidence({
  assessmentId,
  requirement: r,
  answered,
  beforeUpload,
  onUploaded,
}: {
  assessmentId: string;
  requirement: Requirement;
  answered: boolean;
  beforeUpload: () => Promise<void>;
  onUploaded: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<Pick<Evidence, 'id' | 'fileName' | 'sha256' | 'sizeBytes'>[]>([]);
  const resetRef = useRef<() => void>(null);
  const shown = [...r.evidence, ...added.filter((a) => !r.evidence.some((e) => e.id === a.id))];
  const size = useFileSize();

  const choose = async (file: File | null) => {
    resetRef.current?.();
    setProblem(null);
    if (!file) return;
    if (!EVIDENCE_EXT.test(file.name)) {
      setProblem(t('evidence.wrongType', { name: file.name }));
      return;
    }
    if (file.size > MAX_EVIDENCE_BYTES) {
      setProblem(t('evidence.tooLarge', { name: file.name }));
      return;
    }
    setUploading(true);
    try {
      await beforeUpload();
      const ev = await uploadEvidence(assessmentId, r, file);
      setAdded((a) => [...a, ev]);
      onUploaded();
    } catch (e) {
      const code = e instanceof ApiError ? e.status : 0;
      setProblem(
        code === 415
          ? t('evidence.wrongType', { name: file.name })
          : code === 413
            ? t('evidence.tooLarge', { name: file.name })
            : code === 400
              ? t('evidence.answerFirst')
              : errorLine(e, t, i18n.language),
      );
    } finally {
      setUploading(false);
    }
  };

  const button = (
    <FileButton onChange={(f) => void choose(f)} accept={EVIDENCE_ACCEPT} resetRef={resetRef}>
      {(p) => (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconPaperclip size={14} aria-hidden />}
          loading={uploading}
          onClick={() => {
            // Evidence belongs to an answer: say so rather than open the file dialog for nothing.
            if (!answered) setProblem(t('evidence.answerFirst'));
            else p.onClick();
          }}
        >
          {t('evidence.attach')}
          <VisuallyHidden>{` ${r.itemId}`}</VisuallyHidden>
        </Button>
      )}
    </FileButton>
  );

  const files =
    shown.length > 0 || problem ? (
      <Stack gap={4}>
        {shown.length > 0 && (
          <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label={t('evidence.label')}>
            {shown.map((e) => (
              <Group component="li" key={e.id} gap={6} wrap="nowrap">
                <FileLink
                  href={`/api/assessments/${encodeURIComponent(assessmentId)}/evidence/${encodeURIComponent(e.id)}`}
                  fileName={e.fileName}
                />
                <Text size="xs" c="dimmed" style={{ flex: 'none', unicodeBidi: 'isolate' }} dir="ltr">
                  {size(e.sizeBytes)} ·{' '}
                  <abbr title={`SHA-256 ${e.sha256}`} className="qila-code">
                    {e.sha256.slice(0, 8)}
                  </abbr>
                </Text>
              </Group>
            ))}
          </Box>
        )}
        {problem && (
          <Text size="sm" c="red.8" role="alert">
            {problem}
          </Text>
        )}
      </Stack>
    ) : null;

  return { button, files };
}

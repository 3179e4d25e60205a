import {
  Alert,
  Box,
  Button,
  Checkbox,
  CopyButton,
  Grid,
  Group,
  Image,
  List,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Stepper,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload, IconShieldCheck } from '@tabler/icons-react';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../../api/client';
import { useMe } from '../../app/auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { describeError } from '../../components/errors';

/** "JBSW Y3DP EHPK 3PXP": a secret typed by hand is easier to check in groups of four. */
export const groupSecret = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** Saves text as a file through the browser's download, without a server round trip. */
function download(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface Props {
  /** After the recovery codes are saved; resolves once the profile has been reloaded. */
  onDone: () => Promise<void>;
  doneLabel: string;
}

/**
 * Two-factor set-up: a fresh secret for the authenticator app (QR code and typed key), a code to
 * prove the app has it, then the recovery codes, shown this once.
 */
export function TwoFactorSetup({ onDone, doneLabel }: Props) {
  const { t } = useTranslation();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const enroll = useMutation({ mutationFn: () => unwrap(api.POST('/api/auth/mfa/enroll')) });
  // Each enrolment replaces the secret, so it starts once per visit (Strict Mode runs effects twice).
  const started = useRef(false);
  const { mutate: startEnrolment } = enroll;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startEnrolment();
  }, [startEnrolment]);

  const alreadyOn = enroll.error instanceof ApiError && enroll.error.code === 'mfa_already_enabled';

  return (
    <Stack gap="lg">
      <Stepper
        active={recoveryCodes ? 1 : 0}
        size="sm"
        allowNextStepsSelect={false}
        completedIcon={<IconCheck size={18} aria-hidden />}
      >
        <Stepper.Step label={t('twoFactor.step1')} description={t('twoFactor.step1Hint')} />
        <Stepper.Step label={t('twoFactor.step2')} description={t('twoFactor.step2Hint')} />
      </Stepper>
      {recoveryCodes ? (
        <RecoveryCodes codes={recoveryCodes} onDone={onDone} doneLabel={doneLabel} />
      ) : alreadyOn ? (
        <Alert
          color="qila"
          variant="light"
          icon={<IconShieldCheck aria-hidden />}
          title={t('twoFactor.onTitle')}
        >
          {t('twoFactor.alreadyOn')}
        </Alert>
      ) : enroll.isError ? (
        <ErrorAlert
          error={enroll.error}
          title={t('twoFactor.startFailed')}
          onRetry={() => enroll.mutate()}
          retrying={enroll.isPending}
        />
      ) : (
        <ConnectApp enrolment={enroll.data ?? null} onConfirmed={setRecoveryCodes} />
      )}
    </Stack>
  );
}

function ConnectApp({
  enrolment,
  onConfirmed,
}: {
  enrolment: { secret: string; otpauthUri: string } | null;
  onConfirmed: (codes: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const [qr, setQr] = useState<{ uri: string; image: string } | null>(null);
  const uri = enrolment?.otpauthUri;
  useEffect(() => {
    if (!uri) return;
    let live = true;
    void QRCode.toDataURL(uri, { margin: 2, width: 240, errorCorrectionLevel: 'M' }).then((image) => {
      if (live) setQr({ uri, image });
    });
    return () => {
      live = false;
    };
  }, [uri]);

  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v.trim()) ? null : t('signIn.codeInvalid')) },
  });
  const confirm = useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/api/auth/mfa/confirm', { body: { code } })),
    onSuccess: (res) => onConfirmed(res.recoveryCodes),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'invalid_mfa_code') {
        form.setFieldError('code', describeError(error, t, i18n.language).message);
        form.setFieldValue('code', '');
      }
    },
  });
  const fieldError = confirm.error instanceof ApiError && confirm.error.code === 'invalid_mfa_code';
  const image = qr && qr.uri === uri ? qr.image : null;

  return (
    <Paper p="lg">
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, sm: 'content' }}>
          <Stack gap="xs" align="center">
            <Box
              w={240}
              h={240}
              bg="white"
              style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
            >
              {image ? (
                <Image src={image} w={238} h={238} alt={t('twoFactor.qrAlt')} />
              ) : (
                <Skeleton w={238} h={238} aria-label={t('common.loading')} />
              )}
            </Box>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 'auto' }}>
          <Stack gap="md">
            <List type="ordered" spacing="xs" size="sm">
              <List.Item>{t('twoFactor.instruction1')}</List.Item>
              <List.Item>{t('twoFactor.instruction2')}</List.Item>
              <List.Item>{t('twoFactor.instruction3')}</List.Item>
            </List>
            <Stack gap={4}>
              <Text size="sm" fw={600} id="totp-secret-label">
                {t('twoFactor.secretLabel')}
              </Text>
              {enrolment ? (
                <Group gap="xs" wrap="nowrap" align="center">
                  <Text
                    className="qila-code"
                    fz="lg"
                    fw={600}
                    data-testid="totp-secret"
                    aria-labelledby="totp-secret-label"
                    style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}
                  >
                    {groupSecret(enrolment.secret)}
                  </Text>
                  <CopyButton value={enrolment.secret}>
                    {({ copied, copy }) => (
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={copy}
                        leftSection={
                          copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />
                        }
                      >
                        {copied ? t('common.copied') : t('twoFactor.copySecret')}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              ) : (
                <Skeleton h={28} w={320} />
              )}
              <Text size="xs" c="dimmed">
                {t('twoFactor.secretHint')}
              </Text>
            </Stack>
            <form noValidate onSubmit={form.onSubmit((v) => confirm.mutate(v.code.trim()))}>
              <Stack gap="sm">
                {confirm.isError && !fieldError && (
                  <ErrorAlert error={confirm.error} title={t('twoFactor.confirmFailed')} />
                )}
                <TextInput
                  label={t('twoFactor.codeLabel')}
                  description={t('signIn.codeHint')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]*"
                  maxLength={6}
                  dir="ltr"
                  required
                  size="md"
                  maw={260}
                  className="qila-code-input"
                  disabled={!enrolment}
                  {...form.getInputProps('code')}
                />
                <Group>
                  <Button type="submit" loading={confirm.isPending} disabled={!enrolment}>
                    {t('twoFactor.turnOn')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Stack>
        </Grid.Col>
      </Grid>
    </Paper>
  );
}

function RecoveryCodes({
  codes,
  onDone,
  doneLabel,
}: {
  codes: string[];
  onDone: () => Promise<void>;
  doneLabel: string;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const [saved, setSaved] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const text = [
    t('twoFactor.fileHeading', { email: me.email }),
    t('twoFactor.fileHint'),
    '',
    ...codes,
    '',
  ].join('\n');

  return (
    <Paper p="lg">
      <Stack gap="md">
        <Title order={2} size="h3">
          {t('twoFactor.codesTitle')}
        </Title>
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('twoFactor.codesOnce')}
        >
          {t('twoFactor.codesHint')}
        </Alert>
        <SimpleGrid
          cols={{ base: 1, xs: 2 }}
          spacing="xs"
          component="ol"
          m={0}
          p="md"
          bg="gray.0"
          aria-label={t('twoFactor.codesTitle')}
          style={{ listStyle: 'none', border: '1px dashed var(--mantine-color-gray-5)', borderRadius: 8 }}
          data-testid="recovery-codes"
        >
          {codes.map((c) => (
            <Text key={c} component="li" className="qila-code" fz="lg" ta="center">
              {c}
            </Text>
          ))}
        </SimpleGrid>
        <Group gap="sm">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button
                variant="default"
                onClick={copy}
                leftSection={
                  copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />
                }
              >
                {copied ? t('common.copied') : t('twoFactor.copyCodes')}
              </Button>
            )}
          </CopyButton>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
            onClick={() => download(text, 'qila-recovery-codes.txt')}
          >
            {t('twoFactor.downloadCodes')}
          </Button>
        </Group>
        <Checkbox
          label={t('twoFactor.savedConfirm')}
          checked={saved}
          onChange={(e) => setSaved(e.currentTarget.checked)}
        />
        <Group>
          <Button
            disabled={!saved}
            loading={leaving}
            onClick={() => {
              setLeaving(true);
              void onDone().finally(() => setLeaving(false));
            }}
          >
            {doneLabel}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { IconMailCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormCard, PublicFrame } from '../components/PublicFrame';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '' },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('forgot.emailInvalid')),
    },
  });
  const mutation = useMutation({
    mutationFn: (email: string) => unwrap(api.POST('/api/auth/password-reset', { body: { email } })),
  });

  return (
    <PublicFrame title={t('forgot.title')} description={t('forgot.description')}>
      {mutation.isSuccess ? (
        <Alert
          color="qila"
          variant="light"
          icon={<IconMailCheck aria-hidden />}
          title={t('forgot.sentTitle')}
          role="status"
        >
          <Stack gap="xs">
            <Text size="sm">{t('forgot.sent', { email: mutation.variables })}</Text>
            <Text size="sm">{t('forgot.sentHint')}</Text>
          </Stack>
        </Alert>
      ) : (
        <FormCard>
          <form noValidate onSubmit={form.onSubmit((v) => mutation.mutate(v.email.trim()))}>
            <Stack gap="md">
              {mutation.isError && <ErrorAlert error={mutation.error} title={t('forgot.failed')} />}
              <TextInput
                label={t('signIn.email')}
                type="email"
                autoComplete="username"
                inputMode="email"
                dir="ltr"
                required
                autoFocus
                size="md"
                key={form.key('email')}
                {...form.getInputProps('email')}
              />
              <Button type="submit" size="md" loading={mutation.isPending} fullWidth>
                {t('forgot.submit')}
              </Button>
            </Stack>
          </form>
        </FormCard>
      )}
      <Anchor component={Link} to="/sign-in" size="sm">
        {t('forgot.backToSignIn')}
      </Anchor>
    </PublicFrame>
  );
}

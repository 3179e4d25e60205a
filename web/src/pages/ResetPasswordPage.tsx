import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api, setCsrfToken, unwrap } from '../api/client';
import { ME_KEY } from '../app/queryClient';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormCard, PublicFrame } from '../components/PublicFrame';
import { confirmProblem, newPasswordProblem, passwordComplaint } from '../components/passwords';

export function ResetPasswordPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (v) => newPasswordProblem(v, t),
      confirm: (v, values) => confirmProblem(v, values.password, t),
    },
  });
  const mutation = useMutation({
    mutationFn: (password: string) =>
      unwrap(api.POST('/api/auth/password-reset/complete', { body: { token, password } })),
    // The reset ended every session of the account, this browser's included if it had one.
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.setQueryData(ME_KEY, null);
    },
    onError: (error) => {
      const complaint = passwordComplaint(error, t, i18n.language);
      if (complaint) form.setFieldError('password', complaint);
    },
  });
  const linkInvalid =
    token.length < 20 || (mutation.error instanceof ApiError && mutation.error.code === 'reset_link_invalid');
  const fieldError = passwordComplaint(mutation.error, t, i18n.language) !== null;

  return (
    <PublicFrame title={t('reset.title')} description={t('reset.description')}>
      {mutation.isSuccess ? (
        <Alert
          color="qila"
          variant="light"
          icon={<IconCircleCheck aria-hidden />}
          title={t('reset.doneTitle')}
          role="status"
        >
          <Stack gap="sm">
            <Text size="sm">{t('reset.done')}</Text>
            <div>
              <Button component={Link} to="/sign-in">
                {t('reset.signIn')}
              </Button>
            </div>
          </Stack>
        </Alert>
      ) : linkInvalid ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('reset.invalidTitle')}
          role="alert"
        >
          <Stack gap="sm">
            <Text size="sm">{t('reset.invalid')}</Text>
            <div>
              <Button component={Link} to="/forgot-password" variant="white" color="red">
                {t('reset.askAgain')}
              </Button>
            </div>
          </Stack>
        </Alert>
      ) : (
        <FormCard>
          <form noValidate onSubmit={form.onSubmit((v) => mutation.mutate(v.password))}>
            <Stack gap="md">
              {mutation.isError && !fieldError && (
                <ErrorAlert error={mutation.error} title={t('reset.failed')} />
              )}
              <PasswordInput
                label={t('password.new')}
                description={t('password.policy')}
                autoComplete="new-password"
                dir="ltr"
                required
                autoFocus
                size="md"
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword'), tabIndex: 0 }}
                key={form.key('password')}
                {...form.getInputProps('password')}
              />
              <PasswordInput
                label={t('password.confirm')}
                autoComplete="new-password"
                dir="ltr"
                required
                size="md"
                visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword'), tabIndex: 0 }}
                key={form.key('confirm')}
                {...form.getInputProps('confirm')}
              />
              <Button type="submit" size="md" loading={mutation.isPending} fullWidth>
                {t('reset.submit')}
              </Button>
            </Stack>
          </form>
        </FormCard>
      )}
      {!mutation.isSuccess && (
        <Anchor component={Link} to="/sign-in" size="sm">
          {t('forgot.backToSignIn')}
        </Anchor>
      )}
    </PublicFrame>
  );
}

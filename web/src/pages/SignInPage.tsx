import {
  Box,
  Button,
  Center,
  Container,
  Group,
  Loader,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { safeNext, useAuth, useMeQuery } from '../app/auth';
import { Brand } from '../app/Brand';
import { LanguageMenu } from '../app/LanguageMenu';
import { ErrorAlert } from '../components/ErrorAlert';

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { signIn } = useAuth();
  const meQuery = useMeQuery();
  useDocumentTitle(`${t('signIn.title')} · ${t('app.name')}`);

  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : t('signIn.emailRequired')),
      password: (v) => (v ? null : t('signIn.passwordRequired')),
    },
  });

  const mutation = useMutation({
    mutationFn: (values: { email: string; password: string }) =>
      unwrap(
        api.POST('/api/auth/sign-in', { body: { email: values.email.trim(), password: values.password } }),
      ),
    onSuccess: (me) => {
      signIn(me);
      void navigate(next, { replace: true });
    },
  });

  // Already signed in (for example, a bookmarked sign-in page): go straight on.
  if (meQuery.data) return <Navigate to={next} replace />;

  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" className="qila-header" px="md" py="sm">
        <Group justify="space-between" wrap="nowrap" maw={960} mx="auto">
          <Brand />
          <LanguageMenu className="qila-header-control" />
        </Group>
      </Box>
      <Container component="main" size={460} py={48} id="main">
        {meQuery.isPending ? (
          <Center py="xl">
            <Loader aria-label={t('common.loading')} />
          </Center>
        ) : (
          <Stack gap="lg">
            <Stack gap={6}>
              <Title order={1}>{t('signIn.title')}</Title>
              <Text c="dimmed">{t('app.tagline')}</Text>
            </Stack>
            <Box
              component="form"
              noValidate
              onSubmit={form.onSubmit((values) => mutation.mutate(values))}
              bg="white"
              p="lg"
              style={{
                border: '1px solid var(--mantine-color-gray-3)',
                borderRadius: 'var(--mantine-radius-md)',
              }}
            >
              <Stack gap="md">
                {mutation.isError && <ErrorAlert error={mutation.error} title={t('signIn.failed')} />}
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
                <PasswordInput
                  label={t('signIn.password')}
                  autoComplete="current-password"
                  dir="ltr"
                  required
                  size="md"
                  visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword'), tabIndex: 0 }}
                  key={form.key('password')}
                  {...form.getInputProps('password')}
                />
                <Button type="submit" size="md" loading={mutation.isPending} fullWidth>
                  {t('signIn.submit')}
                </Button>
              </Stack>
            </Box>
            <Text size="sm" c="dimmed">
              {t('signIn.help')}
            </Text>
          </Stack>
        )}
      </Container>
    </Box>
  );
}

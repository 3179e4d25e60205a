import { Box, Center, Container, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Brand } from '../app/Brand';
import { LanguageMenu } from '../app/LanguageMenu';

interface Props {
  title: string;
  description?: ReactNode;
  /** Shown instead of the page while something it depends on loads. */
  loading?: boolean;
  /** Extra header controls (a sign-out button), after the language menu. */
  headerActions?: ReactNode;
  width?: number;
  children: ReactNode;
}

/** The frame of the pages a person sees before (or instead of) the app: sign-in, password reset, invitations. */
export function PublicFrame({ title, description, loading, headerActions, width = 460, children }: Props) {
  const { t } = useTranslation();
  useDocumentTitle(`${title} · ${t('app.name')}`);
  return (
    <Box mih="100vh" bg="gray.0">
      <Box component="header" className="qila-header" px="md" py="sm">
        <Group justify="space-between" wrap="nowrap" maw={960} mx="auto">
          <Brand />
          <Group gap={6} wrap="nowrap">
            <LanguageMenu className="qila-header-control" />
            {headerActions}
          </Group>
        </Group>
      </Box>
      <Container component="main" size={width} py={48} id="main" tabIndex={-1}>
        {loading ? (
          <Center py="xl">
            <Loader aria-label={t('common.loading')} />
          </Center>
        ) : (
          <Stack gap="lg">
            <Stack gap={6}>
              <Title order={1}>{title}</Title>
              {description && <Text c="dimmed">{description}</Text>}
            </Stack>
            {children}
          </Stack>
        )}
      </Container>
    </Box>
  );
}

/** The white card a public form sits in. */
export function FormCard({ children }: { children: ReactNode }) {
  return (
    <Box
      bg="white"
      p="lg"
      style={{
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 'var(--mantine-radius-md)',
      }}
    >
      {children}
    </Box>
  );
}

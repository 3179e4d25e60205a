import { Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={640}>
      <PageHeader title={t('notFound.title')} />
      <Text>{t('notFound.body')}</Text>
      <Text>{t('notFound.typed')}</Text>
      <div>
        <Button component={Link} to="/">
          {t('notFound.home')}
        </Button>
      </div>
    </Stack>
  );
}

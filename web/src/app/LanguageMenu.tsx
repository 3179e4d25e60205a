import { Button, Menu } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, languageOf, setLanguage } from '../i18n';

/** Lists every language in its own script, so a person can find theirs whatever is showing. */
export function LanguageMenu({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const current = languageOf(i18n.language);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          className={className}
          leftSection={<IconLanguage size={18} aria-hidden />}
          aria-label={t('language.choose', { language: current.label })}
          px="xs"
        >
          <span lang={current.code}>{current.label}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((l) => (
          <Menu.Item
            key={l.code}
            lang={l.code}
            dir={l.dir}
            onClick={() => setLanguage(l.code)}
            aria-current={l.code === current.code ? 'true' : undefined}
            rightSection={l.code === current.code ? <IconCheck size={16} aria-hidden /> : null}
          >
            {l.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

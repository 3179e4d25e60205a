import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from './auth';
import { useDescribeRole } from './roles';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    (parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')
  ).toUpperCase();
}

export function UserMenu({ className }: { className?: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut, signingOut, can } = useAuth();
  const describeRole = useDescribeRole();
  return (
    <Menu position="bottom-end" width={280} withinPortal>
      <Menu.Target>
        <UnstyledButton
          className={`mantine-focus-auto ${className ?? ''}`}
          aria-label={t('user.menu', { name: me.displayName })}
          px="xs"
          py={4}
          style={{ borderRadius: 'var(--mantine-radius-sm)' }}
        >
          <Group gap="xs" wrap="nowrap">
            <Avatar size={30} radius="xl" color="white" variant="filled" aria-hidden>
              {/* Drawn by CSS: as text, the initials would not match the button's name (WCAG 2.5.3). */}
              <span className="qila-initials" data-initials={initials(me.displayName)} />
            </Avatar>
            <Text size="sm" fw={600} visibleFrom="sm" maw={180} truncate>
              {me.displayName}
            </Text>
            <IconChevronDown size={16} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('user.signedInAs')}</Menu.Label>
        <Group px="sm" pb="xs" gap={2} style={{ flexDirection: 'column', alignItems: 'flex-start' }}>
          <Text size="sm" fw={700}>
            {me.displayName}
          </Text>
          <Text size="xs" c="dimmed" className="qila-code" style={{ fontFamily: 'inherit' }}>
            {me.email}
          </Text>
        </Group>
        <Menu.Divider />
        <Menu.Label>{t('user.roles', { count: me.roles.length })}</Menu.Label>
        {me.roles.map((r, i) => (
          <Text key={`${r.role}-${r.scopeValue ?? i}`} size="sm" px="sm" pb={6}>
            {describeRole(r)}
          </Text>
        ))}
        <Menu.Divider />
        <Menu.Item component={Link} to="/account" leftSection={<IconShieldLock size={16} aria-hidden />}>
          {t('user.account')}
        </Menu.Item>
        {can('tokens.create') && (
          <Menu.Item component={Link} to="/account/tokens" leftSection={<IconKey size={16} aria-hidden />}>
            {t('user.tokens')}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item
          color="red.8"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => signOut()}
          disabled={signingOut}
        >
          {t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

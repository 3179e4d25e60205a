import { AppShell, Badge, Burger, Center, Group, Loader, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Suspense, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from './auth';
import { Brand } from './Brand';
import { useNames } from './jurisdiction';
import { LanguageMenu } from './LanguageMenu';
import { MODULES, activeChild, childVisible, moduleVisible } from './nav';
import { NotificationsBell } from './NotificationsBell';
import { UserMenu } from './UserMenu';

function skipToMain(e: MouseEvent<HTMLAnchorElement>): void {
  const main = document.getElementById('main');
  if (!main) return;
  e.preventDefault();
  main.focus();
  main.scrollIntoView();
}

/** The signed-in frame: header, module navigation and the page. */
export function Layout() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { country } = useNames();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Below the "sm" breakpoint the closed navigation is only slid off screen: without `inert`,
  // its links would still take the keyboard's focus and a screen reader's attention.
  const phone = useMediaQuery('(max-width: 47.99em)');
  const offScreen = phone === true && !opened;
  // Module groups opened by hand; the group of the current page is always open.
  const [openGroups, setOpenGroups] = useState<Set<string>>(new Set());
  const toggleGroup = (key: string, open: boolean) =>
    setOpenGroups((prev) => {
      const next = new Set(prev);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });

  const visible = MODULES.filter((m) => moduleVisible(m, can));
  const live = visible.filter((m) => m.path);
  const soon = visible.filter((m) => !m.path);
  const isActive = (path: string) => (path === '/' ? pathname === '/' : pathname.startsWith(path));

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header className="qila-header">
        <a href="#main" className="skip-link" onClick={skipToMain}>
          {t('app.skipToContent')}
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              color="white"
              aria-label={opened ? t('nav.close') : t('nav.open')}
              aria-expanded={opened}
              aria-controls="qila-navbar"
            />
            <Brand subtitle={country ? t('app.subtitle', { country }) : undefined} />
          </Group>
          <Group gap={6} wrap="nowrap">
            <LanguageMenu className="qila-header-control" />
            <NotificationsBell className="qila-header-control" />
            <UserMenu className="qila-header-control" />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar id="qila-navbar" aria-label={t('nav.label')} inert={offScreen}>
        <AppShell.Section grow component={ScrollArea} p="sm">
          {live.map((m) => {
            const children = m.children?.filter((c) => childVisible(c, can));
            if (children?.length) {
              // A module's pages may live outside its own path (advisories beside incidents).
              const current = activeChild(children, pathname);
              const inside = isActive(m.path!) || current !== undefined;
              return (
                <NavLink
                  key={m.key}
                  component="button"
                  type="button"
                  label={t(`nav.${m.key}`)}
                  leftSection={<m.icon size={20} stroke={1.6} aria-hidden />}
                  opened={inside || openGroups.has(m.key)}
                  onChange={(o) => toggleGroup(m.key, o)}
                  aria-expanded={inside || openGroups.has(m.key)}
                  active={inside}
                  variant="subtle"
                  fw={600}
                  childrenOffset={28}
                  style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                >
                  {children.map((c) => (
                    <NavLink
                      key={c.key}
                      component={Link}
                      to={c.path}
                      label={t(`nav.${c.key}`)}
                      active={current === c}
                      aria-current={current === c ? 'page' : undefined}
                      onClick={close}
                      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                    />
                  ))}
                </NavLink>
              );
            }
            return (
              <NavLink
                key={m.key}
                component={Link}
                to={m.path!}
                label={t(`nav.${m.key}`)}
                leftSection={<m.icon size={20} stroke={1.6} aria-hidden />}
                active={isActive(m.path!)}
                aria-current={isActive(m.path!) ? 'page' : undefined}
                onClick={close}
                fw={600}
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              />
            );
          })}
          <Text
            size="xs"
            c="dimmed"
            fw={700}
            tt="uppercase"
            px="sm"
            mt="lg"
            mb={4}
            id="qila-nav-soon"
            hidden={soon.length === 0}
          >
            {t('nav.comingSoon')}
          </Text>
          <div role="list" aria-labelledby="qila-nav-soon">
            {soon.map((m) => (
              <NavLink
                key={m.key}
                component="div"
                role="listitem"
                label={t(`nav.${m.key}`)}
                leftSection={<m.icon size={20} stroke={1.6} aria-hidden />}
                rightSection={
                  <Badge size="xs" variant="outline" color="gray.7">
                    {t('nav.soon')}
                  </Badge>
                }
                disabled
                aria-disabled="true"
                c="gray.7"
                style={{ borderRadius: 'var(--mantine-radius-sm)', opacity: 1, cursor: 'default' }}
              />
            ))}
          </div>
        </AppShell.Section>
        <AppShell.Section p="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Text size="xs" c="dimmed">
            {t('app.tagline')}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" tabIndex={-1} bg="gray.0">
        <Suspense
          fallback={
            <Center py="xl">
              <Loader aria-label={t('common.loading')} />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

import { DirectionProvider, MantineProvider, useDirection } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import i18n, { languageOf } from '../i18n';
import { ForbiddenPage } from '../pages/ForbiddenPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { SignInPage } from '../pages/SignInPage';
import { AuthProvider, RequireAuth, useAuth } from './auth';
import { Layout } from './Layout';
import { queryClient } from './queryClient';
import { cssVariablesResolver, theme } from './theme';

// Pages load on first visit, so the sign-in page does not wait for the charts library.
const HomePage = lazy(() => import('../pages/HomePage').then((m) => ({ default: m.HomePage })));
const RegistryPage = lazy(() => import('../pages/RegistryPage').then((m) => ({ default: m.RegistryPage })));
const CalendarPage = lazy(() => import('../pages/CalendarPage').then((m) => ({ default: m.CalendarPage })));

/** Keeps Mantine's direction (and so every component's layout) in step with the language. */
function DirectionSync() {
  const { i18n: instance } = useTranslation();
  const { setDirection } = useDirection();
  const dir = languageOf(instance.language).dir;
  useEffect(() => setDirection(dir), [dir, setDirection]);
  return null;
}

function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <ForbiddenPage />;
}

export function App() {
  return (
    <DirectionProvider initialDirection={languageOf(i18n.language).dir}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <DirectionSync />
        <Notifications position="top-center" />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <Routes>
                <Route path="/sign-in" element={<SignInPage />} />
                <Route
                  element={
                    <RequireAuth>
                      <Layout />
                    </RequireAuth>
                  }
                >
                  <Route index element={<HomePage />} />
                  <Route
                    path="registry"
                    element={
                      <RequirePermission permission="entities.identity.read">
                        <RegistryPage />
                      </RequirePermission>
                    }
                  />
                  <Route
                    path="calendar"
                    element={
                      <RequirePermission permission="jurisdiction.read">
                        <CalendarPage />
                      </RequirePermission>
                    }
                  />
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}

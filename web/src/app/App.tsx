import { Center, DirectionProvider, Loader, MantineProvider, useDirection } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import i18n, { languageOf } from '../i18n';
import { ForbiddenPage } from '../pages/ForbiddenPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { SignInPage } from '../pages/SignInPage';
import { AuthProvider, RequireAuth, RequireMfaEnrolment, useAuth } from './auth';
import { Layout } from './Layout';
import { queryClient } from './queryClient';
import { cssVariablesResolver, theme } from './theme';

// Pages load on first visit, so the sign-in page does not wait for the charts library.
const HomePage = lazy(() => import('../pages/HomePage').then((m) => ({ default: m.HomePage })));
const RegistryPage = lazy(() =>
  import('../pages/registry/RegistryPage').then((m) => ({ default: m.RegistryPage })),
);
const EntityPage = lazy(() =>
  import('../pages/registry/EntityPage').then((m) => ({ default: m.EntityPage })),
);
const GradingPage = lazy(() =>
  import('../pages/registry/GradingPage').then((m) => ({ default: m.GradingPage })),
);
const ChangeRequestsPage = lazy(() =>
  import('../pages/registry/ChangeRequestsPage').then((m) => ({ default: m.ChangeRequestsPage })),
);
const ImportPage = lazy(() =>
  import('../pages/registry/ImportPage').then((m) => ({ default: m.ImportPage })),
);
const AssessmentsPage = lazy(() =>
  import('../pages/assessments/AssessmentsPage').then((m) => ({ default: m.AssessmentsPage })),
);
const CampaignPage = lazy(() =>
  import('../pages/assessments/CampaignPage').then((m) => ({ default: m.CampaignPage })),
);
const AssessmentPage = lazy(() =>
  import('../pages/assessments/AssessmentPage').then((m) => ({ default: m.AssessmentPage })),
);
const IncidentsPage = lazy(() =>
  import('../pages/incidents/IncidentsPage').then((m) => ({ default: m.IncidentsPage })),
);
const ReportIncidentPage = lazy(() =>
  import('../pages/incidents/ReportIncidentPage').then((m) => ({ default: m.ReportIncidentPage })),
);
const IncidentPage = lazy(() =>
  import('../pages/incidents/IncidentPage').then((m) => ({ default: m.IncidentPage })),
);
const LateReportsPage = lazy(() =>
  import('../pages/incidents/LateReportsPage').then((m) => ({ default: m.LateReportsPage })),
);
const NationalIncidentsPage = lazy(() =>
  import('../pages/incidents/NationalIncidentsPage').then((m) => ({ default: m.NationalIncidentsPage })),
);
const AdvisoriesPage = lazy(() =>
  import('../pages/incidents/AdvisoriesPage').then((m) => ({ default: m.AdvisoriesPage })),
);
const AdvisoryPage = lazy(() =>
  import('../pages/incidents/AdvisoryPage').then((m) => ({ default: m.AdvisoryPage })),
);
const PublishAdvisoryPage = lazy(() =>
  import('../pages/incidents/PublishAdvisoryPage').then((m) => ({ default: m.PublishAdvisoryPage })),
);
const SupervisionIndex = lazy(() =>
  import('../pages/supervision/SupervisionIndex').then((m) => ({ default: m.SupervisionIndex })),
);
const BoardPage = lazy(() =>
  import('../pages/supervision/BoardPage').then((m) => ({ default: m.BoardPage })),
);
const MyCompliancePage = lazy(() =>
  import('../pages/supervision/MyCompliancePage').then((m) => ({ default: m.MyCompliancePage })),
);
const EntityCompliancePage = lazy(() =>
  import('../pages/supervision/EntityCompliancePage').then((m) => ({ default: m.EntityCompliancePage })),
);
const AuditsPage = lazy(() =>
  import('../pages/supervision/AuditsPage').then((m) => ({ default: m.AuditsPage })),
);
const SupervisionAuditPage = lazy(() =>
  import('../pages/supervision/AuditPage').then((m) => ({ default: m.AuditPage })),
);
const PlansPage = lazy(() =>
  import('../pages/supervision/PlansPage').then((m) => ({ default: m.PlansPage })),
);
const PlanPage = lazy(() => import('../pages/supervision/PlanPage').then((m) => ({ default: m.PlanPage })));
const ActionsPage = lazy(() =>
  import('../pages/supervision/ActionsPage').then((m) => ({ default: m.ActionsPage })),
);
const CasesPage = lazy(() =>
  import('../pages/supervision/CasesPage').then((m) => ({ default: m.CasesPage })),
);
const OpenCasePage = lazy(() =>
  import('../pages/supervision/OpenCasePage').then((m) => ({ default: m.OpenCasePage })),
);
const CasePage = lazy(() => import('../pages/supervision/CasePage').then((m) => ({ default: m.CasePage })));
const AuditorsPage = lazy(() =>
  import('../pages/supervision/AuditorsPage').then((m) => ({ default: m.AuditorsPage })),
);
const NationalCompliancePage = lazy(() =>
  import('../pages/supervision/NationalCompliancePage').then((m) => ({
    default: m.NationalCompliancePage,
  })),
);
const CalendarPage = lazy(() => import('../pages/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const AccountPage = lazy(() =>
  import('../pages/account/AccountPage').then((m) => ({ default: m.AccountPage })),
);
const TwoFactorPage = lazy(() =>
  import('../pages/account/TwoFactorPage').then((m) => ({ default: m.TwoFactorPage })),
);
const EnrolmentShell = lazy(() =>
  import('../pages/account/TwoFactorPage').then((m) => ({ default: m.EnrolmentShell })),
);
const TokensPage = lazy(() => import('../pages/account/TokensPage').then((m) => ({ default: m.TokensPage })));
const UsersPage = lazy(() => import('../pages/admin/UsersPage').then((m) => ({ default: m.UsersPage })));
const InvitationsPage = lazy(() =>
  import('../pages/admin/InvitationsPage').then((m) => ({ default: m.InvitationsPage })),
);
const AuditPage = lazy(() => import('../pages/admin/AuditPage').then((m) => ({ default: m.AuditPage })));
const ForgotPasswordPage = lazy(() =>
  import('../pages/ForgotPasswordPage').then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../pages/ResetPasswordPage').then((m) => ({ default: m.ResetPasswordPage })),
);
const AcceptInvitationPage = lazy(() =>
  import('../pages/AcceptInvitationPage').then((m) => ({ default: m.AcceptInvitationPage })),
);

function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** The first Administration page this person may open. */
function AdminIndex() {
  const { can } = useAuth();
  return <Navigate to={can('users.read') ? '/admin/users' : '/admin/audit'} replace />;
}

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

function RequireAnyPermission({ permissions, children }: { permissions: string[]; children: ReactNode }) {
  const { can } = useAuth();
  return permissions.some(can) ? children : <ForbiddenPage />;
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
                  path="/forgot-password"
                  element={
                    <Suspense fallback={<PageLoader />}>
                      <ForgotPasswordPage />
                    </Suspense>
                  }
                />
                <Route
                  path="/reset-password"
                  element={
                    <Suspense fallback={<PageLoader />}>
                      <ResetPasswordPage />
                    </Suspense>
                  }
                />
                <Route
                  path="/accept-invitation"
                  element={
                    <Suspense fallback={<PageLoader />}>
                      <AcceptInvitationPage />
                    </Suspense>
                  }
                />
                <Route
                  element={
                    <RequireAuth>
                      <RequireMfaEnrolment
                        restricted={
                          <Suspense fallback={<PageLoader />}>
                            <EnrolmentShell />
                          </Suspense>
                        }
                      >
                        <Layout />
                      </RequireMfaEnrolment>
                    </RequireAuth>
                  }
                >
                  <Route index element={<HomePage />} />
                  <Route path="registry">
                    <Route
                      index
                      element={
                        <RequirePermission permission="entities.read">
                          <RegistryPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="import"
                      element={
                        <RequirePermission permission="registry.import">
                          <ImportPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="changes"
                      element={
                        <RequirePermission permission="entities.read">
                          <ChangeRequestsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path=":id"
                      element={
                        <RequirePermission permission="entities.read">
                          <EntityPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path=":id/grade"
                      element={
                        <RequirePermission permission="entities.grade">
                          <GradingPage />
                        </RequirePermission>
                      }
                    />
                  </Route>
                  <Route path="assessments">
                    <Route
                      index
                      element={
                        <RequireAnyPermission permissions={['assessments.read', 'national.aggregates.read']}>
                          <AssessmentsPage />
                        </RequireAnyPermission>
                      }
                    />
                    <Route
                      path="campaigns/:id"
                      element={
                        <RequireAnyPermission permissions={['assessments.read', 'national.aggregates.read']}>
                          <CampaignPage />
                        </RequireAnyPermission>
                      }
                    />
                    <Route
                      path=":id"
                      element={
                        <RequirePermission permission="assessments.read">
                          <AssessmentPage />
                        </RequirePermission>
                      }
                    />
                  </Route>
                  <Route path="incidents">
                    <Route
                      index
                      element={
                        <RequirePermission permission="incidents.read">
                          <IncidentsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="new"
                      element={
                        <RequirePermission permission="incidents.report">
                          <ReportIncidentPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="late"
                      element={
                        <RequirePermission permission="incidents.read">
                          <LateReportsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="national"
                      element={
                        <RequirePermission permission="national.aggregates.read">
                          <NationalIncidentsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path=":id"
                      element={
                        <RequirePermission permission="incidents.read">
                          <IncidentPage />
                        </RequirePermission>
                      }
                    />
                  </Route>
                  <Route path="advisories">
                    <Route
                      index
                      element={
                        <RequirePermission permission="incidents.read">
                          <AdvisoriesPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="new"
                      element={
                        <RequirePermission permission="advisories.publish">
                          <PublishAdvisoryPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path=":id"
                      element={
                        <RequirePermission permission="incidents.read">
                          <AdvisoryPage />
                        </RequirePermission>
                      }
                    />
                  </Route>
                  <Route path="supervision">
                    <Route
                      index
                      element={
                        <RequireAnyPermission permissions={['supervision.read', 'national.aggregates.read']}>
                          <SupervisionIndex />
                        </RequireAnyPermission>
                      }
                    />
                    <Route
                      path="board"
                      element={
                        <RequirePermission permission="supervision.manage">
                          <BoardPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="compliance"
                      element={
                        <RequirePermission permission="supervision.read">
                          <MyCompliancePage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="entities/:id"
                      element={
                        <RequirePermission permission="supervision.read">
                          <EntityCompliancePage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="audits"
                      element={
                        <RequirePermission permission="supervision.read">
                          <AuditsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="audits/:id"
                      element={
                        <RequirePermission permission="supervision.read">
                          <SupervisionAuditPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="plans"
                      element={
                        <RequirePermission permission="supervision.plan">
                          <PlansPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="plans/:id"
                      element={
                        <RequirePermission permission="supervision.plan">
                          <PlanPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="actions"
                      element={
                        <RequirePermission permission="supervision.read">
                          <ActionsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="actions/:id"
                      element={
                        <RequirePermission permission="supervision.read">
                          <ActionsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="cases"
                      element={
                        <RequirePermission permission="supervision.read">
                          <CasesPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="cases/new"
                      element={
                        <RequirePermission permission="enforcement.manage">
                          <OpenCasePage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="cases/:id"
                      element={
                        <RequirePermission permission="supervision.read">
                          <CasePage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="auditors"
                      element={
                        <RequirePermission permission="supervision.manage">
                          <AuditorsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="national"
                      element={
                        <RequirePermission permission="national.aggregates.read">
                          <NationalCompliancePage />
                        </RequirePermission>
                      }
                    />
                  </Route>
                  <Route
                    path="calendar"
                    element={
                      <RequirePermission permission="jurisdiction.read">
                        <CalendarPage />
                      </RequirePermission>
                    }
                  />
                  <Route path="account" element={<AccountPage />} />
                  <Route path="account/two-factor" element={<TwoFactorPage />} />
                  <Route
                    path="account/tokens"
                    element={
                      <RequirePermission permission="tokens.create">
                        <TokensPage />
                      </RequirePermission>
                    }
                  />
                  <Route path="admin">
                    <Route
                      index
                      element={
                        <RequireAnyPermission permissions={['users.read', 'audit.read']}>
                          <AdminIndex />
                        </RequireAnyPermission>
                      }
                    />
                    <Route
                      path="users"
                      element={
                        <RequirePermission permission="users.read">
                          <UsersPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="invitations"
                      element={
                        <RequirePermission permission="users.read">
                          <InvitationsPage />
                        </RequirePermission>
                      }
                    />
                    <Route
                      path="audit"
                      element={
                        <RequirePermission permission="audit.read">
                          <AuditPage />
                        </RequirePermission>
                      }
                    />
                  </Route>
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

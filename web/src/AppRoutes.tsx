import { Navigate, Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { useAuth } from './auth/useAuth';
import { CandidatePage } from './checks/CandidatePage';
import { CheckDetailPage } from './checks/CheckDetailPage';
import { ChecksPage } from './checks/ChecksPage';
import { IntegrationsPage } from './integrations/IntegrationsPage';
import { InvitationPage } from './invitation/InvitationPage';
import { AppLayout } from './layout/AppLayout';
import { SECTIONS } from './layout/navigation';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { DEFAULT_HOME, LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OutboxPage } from './outbox/OutboxPage';
import { SettingsPage } from './pages/SettingsPage';
import { RespondPage } from './respond/RespondPage';
import { RulesPage } from './rules/RulesPage';
import { TemplatesPage } from './templates/TemplatesPage';

/** Pages that have their own component; the other sections are placeholders. */
const PAGES: Record<string, () => React.JSX.Element> = {
  '/integrations': IntegrationsPage,
  '/settings': SettingsPage,
  '/rules': RulesPage,
  '/templates': TemplatesPage,
  '/checks': ChecksPage,
  '/outbox': OutboxPage,
};

/** An unknown address: inside the shell when signed in, bare otherwise. */
function NotFoundRoute() {
  const { token } = useAuth();
  return token ? (
    <AppLayout>
      <NotFoundPage />
    </AppLayout>
  ) : (
    <NotFoundPage />
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* Public pages: the e-mailed link's token authorises, no sign-in, no app shell. */}
      <Route path="/respond/:token" element={<RespondPage />} />
      <Route path="/invitation/:token" element={<InvitationPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to={DEFAULT_HOME} replace />} />
        {SECTIONS.map((section) => {
          const Page = PAGES[section.path];
          return (
            <Route
              key={section.path}
              path={section.path}
              element={Page ? <Page /> : <ComingSoonPage title={section.label} description={section.description} />}
            />
          );
        })}
        <Route path="/checks/:id" element={<CheckDetailPage />} />
        <Route path="/candidates/:id" element={<CandidatePage />} />
      </Route>
      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}

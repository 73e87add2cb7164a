import { Navigate, Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { useAuth } from './auth/useAuth';
import { IntegrationsPage } from './integrations/IntegrationsPage';
import { AppLayout } from './layout/AppLayout';
import { SECTIONS } from './layout/navigation';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { DEFAULT_HOME, LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';
import { RulesPage } from './rules/RulesPage';
import { TemplatesPage } from './templates/TemplatesPage';

/** Pages that have their own component; the other sections are placeholders. */
const PAGES: Record<string, () => React.JSX.Element> = {
  '/integrations': IntegrationsPage,
  '/settings': SettingsPage,
  '/rules': RulesPage,
  '/templates': TemplatesPage,
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
      </Route>
      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}

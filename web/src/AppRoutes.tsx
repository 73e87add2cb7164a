import { lazy, Suspense, type ComponentType } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { useAuth } from './auth/useAuth';
import { AppLayout } from './layout/AppLayout';
import { SECTIONS } from './layout/navigation';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { DEFAULT_HOME, LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

/**
 * Each page is its own chunk, fetched when first shown: a candidate opening
 * their e-mailed link downloads the public page, not the admin app.
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
const CandidatePage = page(() => import('./checks/CandidatePage'), 'CandidatePage');
const CheckDetailPage = page(() => import('./checks/CheckDetailPage'), 'CheckDetailPage');
const ChecksPage = page(() => import('./checks/ChecksPage'), 'ChecksPage');
const IntegrationsPage = page(() => import('./integrations/IntegrationsPage'), 'IntegrationsPage');
const InvitationPage = page(() => import('./invitation/InvitationPage'), 'InvitationPage');
const OutboxPage = page(() => import('./outbox/OutboxPage'), 'OutboxPage');
const SettingsPage = page(() => import('./pages/SettingsPage'), 'SettingsPage');
const RespondPage = page(() => import('./respond/RespondPage'), 'RespondPage');
const RulesPage = page(() => import('./rules/RulesPage'), 'RulesPage');
const TemplatesPage = page(() => import('./templates/TemplatesPage'), 'TemplatesPage');

/** Pages that have their own component; the other sections are placeholders. */
const PAGES: Record<string, ComponentType> = {
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

/** A lazily loaded page; the shell around it stays while its chunk loads. */
function Loaded({ page: Page }: { page: ComponentType }) {
  return (
    <Suspense
      fallback={
        <Center py="xl">
          <Loader aria-label="Loading page" />
        </Center>
      }
    >
      <Page />
    </Suspense>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* Public pages: the e-mailed link's token authorises, no sign-in, no app shell. */}
      <Route path="/respond/:token" element={<Loaded page={RespondPage} />} />
      <Route path="/invitation/:token" element={<Loaded page={InvitationPage} />} />
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
              element={Page ? <Loaded page={Page} /> : <ComingSoonPage title={section.label} description={section.description} />}
            />
          );
        })}
        <Route path="/checks/:id" element={<Loaded page={CheckDetailPage} />} />
        <Route path="/candidates/:id" element={<Loaded page={CandidatePage} />} />
      </Route>
      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}

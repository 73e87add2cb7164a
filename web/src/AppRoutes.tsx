import { Suspense, type ComponentType } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { RequireAuth } from './auth/RequireAuth';
import { useAuth } from './auth/useAuth';
import { AppLayout } from './layout/AppLayout';
import { SECTIONS } from './layout/navigation';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { DEFAULT_HOME, LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import {
  CandidatePage,
  CheckDetailPage,
  ChecksPage,
  IntegrationsPage,
  InvitationPage,
  OutboxPage,
  RespondPage,
  RulesPage,
  SettingsPage,
  TemplatesPage,
} from './pages/lazyPages';

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

import { render } from '@testing-library/react';
import type { Client as WsClient } from 'graphql-ws';
import { MemoryRouter, useLocation } from 'react-router';
import { AppRoutes } from '../AppRoutes';
import { Providers } from '../Providers';
import { preloadPages } from '../pages/lazyPages';
import { fakeWs } from './fakeWs';

// Pages are lazily loaded chunks; loading them all before any test runs
// keeps a slow first import (a busy machine) out of every test's waits.
await preloadPages();

/** Shows the router's current path so tests can assert redirects. */
function LocationProbe() {
  const location = useLocation();
  return (
    <>
      <output data-testid="location">{location.pathname}</output>
      <output data-testid="location-search">{location.search}</output>
    </>
  );
}

/** The whole app at `route`, talking to `fetch` and `ws` instead of a server. */
export function renderApp(route: string, fetch: typeof globalThis.fetch, ws: WsClient = fakeWs().client) {
  return render(
    <MemoryRouter initialEntries={[route]}>
      <Providers graphql={{ url: 'http://vouch.test/graphql', ws, fetch }} env="test">
        <AppRoutes />
        <LocationProbe />
      </Providers>
    </MemoryRouter>,
  );
}

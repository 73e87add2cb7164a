import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { fakeJwt } from '../test/jwt';
import { RequireAuth, type RedirectState } from './RequireAuth';
import { tokenStore } from './tokenStore';

function LoginProbe() {
  const location = useLocation();
  return <p>login page, back to {(location.state as RedirectState).from}</p>;
}

function renderGuarded(route: string) {
  return render(
    <MemoryRouter initialEntries={[route]}>
      <Routes>
        <Route path="/login" element={<LoginProbe />} />
        <Route
          path="/rules"
          element={
            <RequireAuth>
              <p>secret rules</p>
            </RequireAuth>
          }
        />
      </Routes>
    </MemoryRouter>,
  );
}

describe('RequireAuth', () => {
  it('sends a visitor without a token to /login, remembering where they were going', () => {
    renderGuarded('/rules?x=1');
    expect(screen.getByText('login page, back to /rules?x=1')).toBeInTheDocument();
    expect(screen.queryByText('secret rules')).not.toBeInTheDocument();
  });

  it('lets a signed-in user through', () => {
    tokenStore.set(fakeJwt());
    renderGuarded('/rules');
    expect(screen.getByText('secret rules')).toBeInTheDocument();
  });
});

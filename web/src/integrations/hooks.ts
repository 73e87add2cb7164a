import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { LeverConnectionFieldsFragment, LeverDataCentre, Role } from '../gql/graphql';
import { MeQuery } from '../graphql/operations/auth';
import { LeverConnectionQuery, StartLeverOAuthMutation } from '../graphql/operations/lever';
import { browser } from './browser';

export type LeverConnection = LeverConnectionFieldsFragment;

/** The signed-in user's role, once `me` has loaded. */
export function useRole(): Role | undefined {
  const [{ data }] = useQuery({ query: MeQuery });
  return data?.me.role;
}

/** Connecting, reconnecting and disconnecting Lever are for super admins. */
export const canManageLever = (role: Role | undefined) => role === 'SUPER_ADMIN';
/** Refreshing the catalogue is for admins and up (the server's rule). */
export const canRefreshLever = (role: Role | undefined) => role === 'SUPER_ADMIN' || role === 'ADMIN';
/** Limited team members may not read the connection at all. */
export const canSeeLever = (role: Role | undefined) => role !== undefined && role !== 'LIMITED_TEAM_MEMBER';

/**
 * The organization's Lever connection. Every component asking shares one
 * operation, so a refetch anywhere (after a refresh that found access
 * revoked, say) updates the tile and the shell's banner together. The query
 * is registered under `LeverConnection` even when the answer is null, so
 * mutations answering a connection refresh it.
 */
export function useLeverConnection({ pause = false }: { pause?: boolean } = {}) {
  const context = useMemo(() => ({ additionalTypenames: ['LeverConnection'] }), []);
  const [result, reexecute] = useQuery({ query: LeverConnectionQuery, pause, context });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  return {
    connection: result.data?.leverConnection ?? null,
    loaded: result.data !== undefined,
    fetching: result.fetching,
    error: result.error,
    refetch,
  };
}

/** Only web addresses are followed, whatever the server answered. */
function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** Asks the server for Lever's authorize URL and sends the browser there. */
export function useStartLeverOAuth() {
  const [{ fetching, error }, startOAuth] = useMutation(StartLeverOAuthMutation);
  const [leaving, setLeaving] = useState(false);
  const start = useCallback(
    async (dataCentre: LeverDataCentre) => {
      const result = await startOAuth({ dataCentre });
      const url = result.data?.startLeverOAuth;
      if (url && isWebUrl(url)) {
        setLeaving(true);
        browser.assign(url);
      }
    },
    [startOAuth],
  );
  return { start, starting: fetching || leaving, error };
}

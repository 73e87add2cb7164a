import { useEffect, useRef } from 'react';

/** How often the checks pages ask the server again (there is no check subscription yet). */
export const POLL_MS = 5_000;

/**
 * Calls `refresh` every `intervalMs` while the tab is visible, so a page
 * follows changes made elsewhere (webhooks, candidates, referees). A hidden
 * tab asks nothing and catches up as soon as it is shown again.
 */
export function usePolling(refresh: () => void, intervalMs: number = POLL_MS, enabled = true) {
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  }, [refresh]);

  useEffect(() => {
    if (!enabled) return;
    const tick = () => {
      if (document.visibilityState !== 'hidden') latest.current();
    };
    const timer = setInterval(tick, intervalMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') latest.current();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs, enabled]);
}

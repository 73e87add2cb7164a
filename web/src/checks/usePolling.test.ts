import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderHook } from '@testing-library/react';
import { usePolling } from './usePolling';

describe('usePolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setVisibility(state: 'visible' | 'hidden') {
    Object.defineProperty(document, 'visibilityState', { configurable: true, value: state });
    document.dispatchEvent(new Event('visibilitychange'));
  }

  it('refreshes every interval while visible, not while hidden, and at once when shown again', () => {
    setVisibility('visible');
    const refresh = vi.fn();
    const { unmount } = renderHook(() => usePolling(refresh, 1000));
    vi.advanceTimersByTime(3000);
    expect(refresh).toHaveBeenCalledTimes(3);
    setVisibility('hidden');
    vi.advanceTimersByTime(5000);
    expect(refresh).toHaveBeenCalledTimes(3);
    setVisibility('visible');
    expect(refresh).toHaveBeenCalledTimes(4);
    unmount();
    vi.advanceTimersByTime(5000);
    expect(refresh).toHaveBeenCalledTimes(4);
  });

  it('does nothing when disabled', () => {
    setVisibility('visible');
    const refresh = vi.fn();
    renderHook(() => usePolling(refresh, 1000, false));
    vi.advanceTimersByTime(5000);
    expect(refresh).not.toHaveBeenCalled();
  });
});

import { useEffect } from 'react';

/**
 * Calls `load` at the first key, pointer move or touch on the page while the calling component is mounted (and
 * `active`): code the first screen does not show is fetched once the page is in use, before it is needed.
 */
export function useOnFirstUse(load: () => void, active = true): void {
  useEffect(() => {
    if (!active) return;
    const events = ['keydown', 'pointermove', 'pointerdown', 'touchstart'] as const;
    const stop = () => {
      for (const e of events) window.removeEventListener(e, onFirstUse, true);
    };
    function onFirstUse() {
      stop();
      load();
    }
    for (const e of events) window.addEventListener(e, onFirstUse, { capture: true, passive: true });
    return stop;
  }, [active]); // eslint-disable-line react-hooks/exhaustive-deps
}

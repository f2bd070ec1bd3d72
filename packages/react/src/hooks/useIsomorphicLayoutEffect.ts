import { useEffect, useLayoutEffect } from 'react';

/**
 * `useLayoutEffect` in the browser, so new options reach a store before any event handler runs;
 * `useEffect` on the server, where layout effects do not run and React would warn.
 */
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

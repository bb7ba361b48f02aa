import { useCallback, useRef, type RefObject } from 'react';

/** On a phone the detail panel sits below the tree: bring it into view when the user picks a node. */
export function useDetailScroll(): [RefObject<HTMLDivElement | null>, () => void] {
  const ref = useRef<HTMLDivElement>(null);
  const scroll = useCallback(() => {
    if (window.innerWidth < 992) setTimeout(() => ref.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  }, []);
  return [ref, scroll];
}

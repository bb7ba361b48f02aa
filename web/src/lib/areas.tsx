/**
 * The areas of the user's scope (for the header picker and every area drop-down), and the area
 * chosen in the URL (`?area=CODE`), which scopes every page's requests.
 */
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { TArea } from '../../../src/shared/schemas.ts';
import { useMe } from './auth.tsx';
import { useFetch } from './useFetch.ts';

interface AreasValue {
  items: TArea[];
  byCode: ReadonlyMap<string, TArea>;
  loading: boolean;
  reload: () => void;
}

const AreasContext = createContext<AreasValue | null>(null);

export function AreasProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const { data, loading, reload } = useFetch<{ items: TArea[] }>(me.can('tree.read') ? '/api/areas' : null);
  const value = useMemo(() => {
    const items = data?.items ?? [];
    return { items, byCode: new Map(items.map((a) => [a.code, a])), loading, reload };
  }, [data, loading, reload]);
  return <AreasContext value={value}>{children}</AreasContext>;
}

export function useAreas(): AreasValue {
  const v = useContext(AreasContext);
  if (!v) throw new Error('useAreas outside AreasProvider');
  return v;
}

/** The chosen area code (null: the user's own scope) and a setter that keeps other query keys. */
export function useAreaParam(): [string | null, (code: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const area = params.get('area');
  const set = useCallback(
    (code: string | null) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (code) next.set('area', code);
        else next.delete('area');
        return next;
      });
    },
    [setParams],
  );
  return [area, set];
}

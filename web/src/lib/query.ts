import { QueryClient, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from './api.ts';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Live updates (lib/live.ts) invalidate what changed, so nothing needs refetching on a timer.
      staleTime: 60_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

/** Query keys in one place, so a live event invalidates exactly what it touches. */
export const keys = {
  tickets: ['tickets'] as const,
  ticketList: (params: unknown) => ['tickets', 'list', params] as const,
  viewCounts: ['tickets', 'counts'] as const,
  ticket: (n: string | number) => ['tickets', 'one', String(n)] as const,
  timeline: (n: string | number) => ['tickets', 'timeline', String(n)] as const,
  attachments: (n: string | number) => ['tickets', 'attachments', String(n)] as const,
  board: ['tickets', 'board'] as const,
  lists: ['lists'] as const,
  groups: ['groups'] as const,
  users: ['users'] as const,
  organizations: ['organizations'] as const,
  views: ['views'] as const,
};

export type Loaded<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (d: T) => void;
};

/** A TanStack query in the shape the screens use: data, error, loading, reload, setData. */
export function useLoad<T>(key: QueryKey, load: () => Promise<T>, opts: { enabled?: boolean } = {}): Loaded<T> {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: key, queryFn: load, enabled: opts.enabled ?? true });
  return {
    data: q.data,
    error: q.error ?? undefined,
    loading: q.isFetching,
    reload: async () => {
      await q.refetch();
    },
    setData: (d: T) => qc.setQueryData(key, d),
  };
}

/** A `Date.now()` that re-renders every `intervalMs` (live countdowns). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}

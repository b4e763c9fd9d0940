import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { changeLanguage, toLanguage } from '../i18n/i18n.ts';
import { api, type Principal } from './api.ts';
import { setDisplayTimeZone } from './format.ts';
import { queryClient } from './query.ts';

type Session = {
  /** undefined while loading, null when signed out. */
  principal: Principal | null | undefined;
  setPrincipal: (p: Principal | null) => void;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [principal, setPrincipalState] = useState<Principal | null | undefined>(undefined);

  const setPrincipal = useCallback((p: Principal | null) => {
    // A signed-in person sees their own language and zone, whatever the browser says.
    setDisplayTimeZone(p?.time_zone);
    const lang = toLanguage(p?.language);
    if (lang) void changeLanguage(lang);
    if (!p) queryClient.clear();
    setPrincipalState(p);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const res = await api.me();
      setPrincipal(res.principal);
    } catch {
      setPrincipal(null);
    }
  }, [setPrincipal]);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setPrincipal(null);
    }
  }, [setPrincipal]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ principal, setPrincipal, refresh, signOut }), [principal, setPrincipal, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function isStaff(p: Principal | null | undefined): p is Principal {
  return !!p && p.kind === 'user';
}

export function isManager(p: Principal | null | undefined): boolean {
  return isStaff(p) && (p.role === 'supervisor' || p.role === 'admin');
}

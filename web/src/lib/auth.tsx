/**
 * Who is signed in. The server is the authority: on start we ask /api/auth/me, and any request
 * that reports an expired session or a required password change moves the app to that screen.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { App } from 'antd';
import type { TMe } from '../../../src/shared/schemas.ts';
import { ApiError, api, onSessionError, setCsrfToken } from './api.ts';

export type Permission =
  | 'tree.read'
  | 'tree.write'
  | 'users.read'
  | 'users.manage'
  | 'users.grant'
  | 'audit.read'
  | 'settings.manage'
  | 'tokens.create';

type State =
  | { status: 'loading' }
  | { status: 'signedOut'; notice: string | null }
  | { status: 'signedIn'; me: TMe };

interface AuthValue {
  state: State;
  /** `totp`: the 6-digit code or a recovery code, once the server has answered TOTP_REQUIRED. */
  signIn(username: string, password: string, totp?: string): Promise<TMe>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const { modal } = App.useApp();

  const adopt = useCallback((me: TMe) => {
    setCsrfToken(me.csrfToken);
    setState({ status: 'signedIn', me });
  }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(await api.get<TMe>('/api/auth/me'));
    } catch (e) {
      setCsrfToken(null);
      const notice = e instanceof ApiError && e.code === 'SESSION_EXPIRED' ? e.message : null;
      setState({ status: 'signedOut', notice });
    }
  }, [adopt]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    let csrfShown = false;
    onSessionError((e) => {
      if (e.code === 'UNAUTHENTICATED' || e.code === 'SESSION_EXPIRED') {
        setCsrfToken(null);
        // UNAUTHENTICATED mid-session: the session was ended elsewhere (password reset, role change).
        setState({ status: 'signedOut', notice: e.code === 'SESSION_EXPIRED' ? e.message : '登录已失效，请重新登录' });
      } else if (e.code === 'TOTP_ENROLLMENT_REQUIRED') {
        setState((s) => (s.status === 'signedIn' ? { status: 'signedIn', me: { ...s.me, twoFactor: { enrolled: false, required: true } } } : s));
      } else if (e.code === 'PASSWORD_CHANGE_REQUIRED') {
        setState((s) => (s.status === 'signedIn' ? { status: 'signedIn', me: { ...s.me, mustChangePassword: true } } : s));
      } else if (e.code === 'CSRF_FAILED' && !csrfShown) {
        csrfShown = true;
        modal.warning({
          title: '页面已过期',
          content: e.message,
          okText: '刷新页面',
          onOk: () => window.location.reload(),
        });
      }
    });
    return () => onSessionError(null);
  }, [modal]);

  const signIn = useCallback(
    async (username: string, password: string, totp?: string) => {
      const me = await api.post<TMe>('/api/auth/login', { username, password, ...(totp ? { totp } : {}) });
      adopt(me);
      return me;
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      // Signed out either way: the session may already be gone.
    }
    setCsrfToken(null);
    setState({ status: 'signedOut', notice: null });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in user; only for components rendered inside the signed-in shell. */
export function useMe(): TMe & { can: (p: Permission) => boolean } {
  const { state } = useAuth();
  const me = state.status === 'signedIn' ? state.me : null;
  const value = useMemo(() => (me ? { ...me, can: (p: Permission) => me.permissions.includes(p) } : null), [me]);
  if (!value) throw new Error('useMe while signed out');
  return value;
}

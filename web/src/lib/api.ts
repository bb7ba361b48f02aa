/**
 * The one door to the HTTP API: JSON in and out, the CSRF header on every state-changing request,
 * and the API's single error shape turned into ApiError with its Chinese message.
 */
import type { TImportResult } from '../../../src/shared/schemas.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Array<{ row?: number; column?: string; field?: string; message: string }>;
  readonly body: unknown;
  constructor(status: number, code: string, message: string, details: ApiError['details'] = [], body: unknown = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.body = body;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Session-level failures (expired, password change, stale page) go to whoever listens: the auth provider. */
type Listener = (e: ApiError, path: string) => void;
let listener: Listener | null = null;
export function onSessionError(fn: Listener | null): void {
  listener = fn;
}

const SESSION_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'PASSWORD_CHANGE_REQUIRED', 'TOTP_ENROLLMENT_REQUIRED', 'CSRF_FAILED']);

async function toError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: a proxy page or an empty answer
  }
  const e = (body as { error?: { code?: string; message?: string; details?: ApiError['details'] } } | null)?.error;
  if (e?.message) return new ApiError(res.status, e.code ?? 'ERROR', e.message, e.details ?? [], body);
  return new ApiError(res.status, 'HTTP_' + res.status, `请求失败（${res.status}），请稍后重试`, [], body);
}

function report(err: ApiError, path: string) {
  if (SESSION_CODES.has(err.code) && !path.startsWith('/api/auth/login')) listener?.(err, path);
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload ?? null, credentials: 'same-origin', signal: signal ?? null });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    const err = await toError(res);
    report(err, path);
    throw err;
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body),
};

/** Imports answer their result object on refusal too (400 with ok:false), not the error envelope. */
export async function importFile(key: string, file: File, dryRun: boolean, area: string | null, progressId?: string): Promise<TImportResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  const q = new URLSearchParams({ dryRun: String(dryRun) });
  if (area) q.set('area', area);
  if (progressId) q.set('progressId', progressId);
  const path = `/api/imports/${encodeURIComponent(key)}?${q}`;
  const headers: Record<string, string> = {};
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (res.status === 200 || res.status === 400) {
    const body = (await res.clone().json().catch(() => null)) as TImportResult | null;
    if (body && typeof body.ok === 'boolean') return body;
  }
  const err = await toError(res);
  report(err, path);
  throw err;
}

/** `path?area=CODE` when an area is chosen. */
export function withArea(path: string, area: string | null, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  if (area) q.set('area', area);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return '操作失败，请稍后重试';
}

/**
 * The ledger catalogue (GET /api/ledgers), fetched once after sign-in, and what every ledger page
 * derives from it: which fields show where, how a value reads, which unit each code names.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Role } from '../../../src/shared/constants.ts';
import { canLedger } from '../../../src/domain/policy.ts';
import type { TOrg } from '../../../src/shared/schemas.ts';
import type { FieldType } from '../../../src/domain/ledgers/types.ts';
import type { ApiError } from './api.ts';
import { useFetch } from './useFetch.ts';

// One list of field types for the server and the pages.
export type { FieldType };

export interface LedgerField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  derived: boolean;
  values?: string[];
  unit?: string;
  areaKind?: string;
  hint?: string;
}

export interface LedgerInfo {
  key: string;
  title: string;
  dateField: string;
  naturalKey: string | null;
  hasArea: boolean;
  fields: LedgerField[];
}

/** A record as the API answers it: field values by key, plus its identity and area. */
export interface LedgerRecord {
  id: number;
  version: number;
  areaCode: string | null;
  areaName: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  deletedAt?: string;
  [field: string]: string | number | boolean | null | undefined;
}

export interface RecordPage {
  total: number;
  items: LedgerRecord[];
}

interface LedgersValue {
  items: LedgerInfo[];
  byKey: ReadonlyMap<string, LedgerInfo>;
  loading: boolean;
  error: ApiError | null;
}

const LedgersContext = createContext<LedgersValue | null>(null);

/** Roles that read no business records (三员) never ask for the catalogue. */
export function LedgersProvider({ role, children }: { role: Role; children: ReactNode }) {
  const readsAny = canLedger(role, 'inspections', 'read');
  const { data, loading, error } = useFetch<{ items: LedgerInfo[] }>(readsAny ? '/api/ledgers' : null);
  const value = useMemo(() => {
    const items = data?.items ?? [];
    return { items, byKey: new Map(items.map((l) => [l.key, l])), loading, error };
  }, [data, loading, error]);
  return <LedgersContext value={value}>{children}</LedgersContext>;
}

export function useLedgers(): LedgersValue {
  const v = useContext(LedgersContext);
  if (!v) throw new Error('useLedgers outside LedgersProvider');
  return v;
}

/** Organizations of the user's scope, for org and unit fields (fetched only when a page needs them). */
export function useOrgs(needed: boolean): { items: TOrg[]; byCode: ReadonlyMap<string, TOrg>; loading: boolean } {
  const { data, loading } = useFetch<{ items: TOrg[] }>(needed ? '/api/orgs' : null);
  return useMemo(() => {
    const items = data?.items ?? [];
    return { items, byCode: new Map(items.map((o) => [o.code, o])), loading };
  }, [data, loading]);
}

/** Fields a form asks for: everything but what the server computes. */
export function formFields(l: LedgerInfo): LedgerField[] {
  return l.fields.filter((f) => !f.derived);
}

/** Fields that can filter the list from a drop-down. */
export function selectFilterFields(l: LedgerInfo): LedgerField[] {
  return l.fields.filter((f) => (f.type === 'enum' || f.type === 'boolean') && f.values && f.values.length > 0);
}

/** Fields the search box looks in (the server searches text, long text and enum fields). */
export function searchedFields(l: LedgerInfo): LedgerField[] {
  return l.fields.filter((f) => !f.derived && (f.type === 'text' || f.type === 'longtext'));
}

/**
 * The label users read beside a value: a code field shows the unit's name, so 网格编码 reads 网格
 * (imports and exports keep the column names of CONTRACTS §3).
 */
export function shownLabel(f: LedgerField): string {
  return f.type === 'area' || f.type === 'org' || f.type === 'unit' ? f.label.replace(/编码$/, '') : f.label;
}

export function isNumeric(f: LedgerField): boolean {
  return f.type === 'integer' || f.type === 'amount' || f.type === 'quantity';
}

/** Sums worth showing above a list: money, and counts of people or things (not time limits). */
export function summedFields(l: LedgerInfo): LedgerField[] {
  return l.fields
    .filter((f) => !f.derived && (f.type === 'amount' || (f.type === 'integer' && f.unit && f.unit !== '工作日')))
    .slice(0, 3);
}

export function sortable(f: LedgerField): boolean {
  return f.type !== 'idNumber' && f.type !== 'phone' && f.type !== 'longtext';
}

/** "1234567.5" → "1,234,567.50" without going through a float. */
export function formatAmount(v: string | number): string {
  const s = String(v).trim();
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return s;
  const int = m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (m[3] ?? '').padEnd(2, '0');
  return `${m[1]}${int}.${frac}`;
}

/** Integers and decimal strings with thousands separators, decimals kept as given. */
export function formatNumber(v: string | number): string {
  const s = String(v).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ? '.' + m[3] : ''}`;
}

export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/** A random id for polling an import's progress (crypto.randomUUID needs a secure context). */
export function newProgressId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

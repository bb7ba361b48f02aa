/**
 * The record and metric query model of CONTRACTS §2, parsed from query parameters into a typed
 * form the store compiles to SQL. Field names may be keys or Chinese labels.
 */
import { AREA_KINDS, type AreaKind } from '../../shared/constants.ts';
import { AppError } from '../../shared/errors.ts';
import { fieldByName } from './catalogue.ts';
import { parseDate, parseFieldValue } from './values.ts';
import { normalizeText } from '../../shared/text.ts';
import type { FieldDef, LedgerDef } from './types.ts';

export type FieldFilter =
  | { field: FieldDef; kind: 'in'; values: Array<string | number> }
  | { field: FieldDef; kind: 'range'; from: string | number | null; to: string | number | null };

export interface RecordQuery {
  areaCode?: string;
  dateField: FieldDef;
  from: string | null;
  to: string | null;
  filters: FieldFilter[];
  q: string | null;
}

export type Measure =
  | { kind: 'count' }
  | { kind: 'sum'; field: FieldDef }
  | { kind: 'distinct'; field: FieldDef }
  | { kind: 'coverage'; areaKind: AreaKind }
  | { kind: 'rate'; field: FieldDef; values: Array<string | number> };

export type GroupBy =
  | { kind: 'field'; field: FieldDef }
  | { kind: 'month' }
  | { kind: 'quarter' }
  | { kind: 'area'; areaKind: AreaKind }
  /** Full years from a date field to the query's `to` (or today), in age or standing bands. */
  | { kind: 'age' | 'years'; field: FieldDef };

/** Age bands of 党内统计 (years of age, inclusive ranges). */
export const AGE_BANDS: Array<[key: string, label: string, min: number, max: number]> = [
  ['00-30', '30岁及以下', 0, 30],
  ['31-35', '31至35岁', 31, 35],
  ['36-40', '36至40岁', 36, 40],
  ['41-45', '41至45岁', 41, 45],
  ['46-50', '46至50岁', 46, 50],
  ['51-55', '51至55岁', 51, 55],
  ['56-60', '56至60岁', 56, 60],
  ['61+', '61岁及以上', 61, 999],
];

/** Bands of years (党龄: from 转正日期, 党章 art. 7). */
export const YEAR_BANDS: Array<[key: string, label: string, min: number, max: number]> = [
  ['00-05', '5年及以下', 0, 5],
  ['06-10', '6至10年', 6, 10],
  ['11-20', '11至20年', 11, 20],
  ['21-30', '21至30年', 21, 30],
  ['31-40', '31至40年', 31, 40],
  ['41-50', '41至50年', 41, 50],
  ['51+', '51年及以上', 51, 999],
];

function bad(message: string): never {
  throw new AppError('VALIDATION_FAILED', message);
}

export function fieldOf(def: LedgerDef, name: string, what: string): FieldDef {
  const f = fieldByName(def, name);
  if (!f) bad(`${what}“${name}”不是“${def.title}”台账的字段`);
  return f;
}

function parseDateParam(v: string | undefined, name: string): string | null {
  if (!v) return null;
  const d = parseDate(v);
  if (!d) bad(`“${name}”不是有效日期，应为YYYY-MM-DD`);
  return d;
}

/** A filter value as stored: enums and text as given, booleans 1/0, money in fen, refs as codes. */
function storedValue(f: FieldDef, text: string): string | number {
  if (f.type === 'text' || f.type === 'longtext') return normalizeText(text);
  if (f.type === 'area' || f.type === 'org' || f.type === 'unit') return text;
  if (f.type === 'idNumber' || f.type === 'phone') bad(`“${f.label}”不能作为筛选条件`);
  const p = parseFieldValue(f, text);
  if (!p.ok) bad(p.message);
  if (p.value === null) bad(`“${f.label}”的筛选值不能为空`);
  return p.value;
}

const RANGE_TYPES = new Set(['date', 'integer', 'amount', 'quantity']);

export function parseRecordQuery(def: LedgerDef, params: Record<string, unknown>): RecordQuery {
  const str = (k: string) => (typeof params[k] === 'string' && params[k] !== '' ? (params[k] as string) : undefined);
  const dateFieldName = str('dateField');
  const dateField = dateFieldName ? fieldOf(def, dateFieldName, '日期字段') : fieldOf(def, def.dateField, '日期字段');
  if (dateField.type !== 'date') bad(`“${dateField.label}”不是日期字段`);
  const filters: FieldFilter[] = [];
  for (const [k, raw] of Object.entries(params)) {
    if (!k.startsWith('f.')) continue;
    const f = fieldOf(def, k.slice(2), '筛选字段');
    const text = Array.isArray(raw) ? raw.join(',') : String(raw ?? '');
    if (text.includes('..')) {
      if (!RANGE_TYPES.has(f.type)) bad(`“${f.label}”不能按范围筛选`);
      const [a, b] = text.split('..');
      filters.push({ field: f, kind: 'range', from: a ? storedValue(f, a) : null, to: b ? storedValue(f, b) : null });
    } else {
      const values = text.split(',').map((s) => s.trim()).filter(Boolean);
      if (!values.length) bad(`“${f.label}”的筛选值不能为空`);
      if (values.length > 500) bad('筛选值过多（最多500个）');
      filters.push({ field: f, kind: 'in', values: values.map((v) => storedValue(f, v)) });
    }
  }
  const raw = str('q');
  const q = raw === undefined ? undefined : normalizeText(raw);
  if (q && q.length > 100) bad('搜索内容不能超过100个字');
  const from = parseDateParam(str('from'), 'from');
  const to = parseDateParam(str('to'), 'to');
  return { ...(str('area') ? { areaCode: str('area')! } : {}), dateField, from, to, filters, q: q ?? null };
}

function areaKindOf(text: string): AreaKind {
  if (!(AREA_KINDS as readonly string[]).includes(text)) bad(`区域类型只能是：${AREA_KINDS.join('、')}`);
  return text as AreaKind;
}

export function parseMeasure(def: LedgerDef, text: string | undefined): Measure {
  const m = text ?? 'count';
  if (m === 'count') return { kind: 'count' };
  const [head, ...restParts] = m.split(':');
  const rest = restParts.join(':');
  switch (head) {
    case 'sum': {
      const f = fieldOf(def, rest, '求和字段');
      if (!['integer', 'amount', 'quantity'].includes(f.type)) bad(`“${f.label}”不是数值字段，不能求和`);
      return { kind: 'sum', field: f };
    }
    case 'distinct':
      return { kind: 'distinct', field: fieldOf(def, rest, '去重字段') };
    case 'coverage':
      return { kind: 'coverage', areaKind: areaKindOf(rest) };
    case 'rate': {
      const [name, list] = rest.split('=');
      if (!name || !list) bad('rate 的写法应为 rate:字段=值1,值2');
      const f = fieldOf(def, name, '比率字段');
      return { kind: 'rate', field: f, values: list.split(',').map((v) => storedValue(f, v.trim())) };
    }
    default:
      bad(`不支持的统计方式“${m}”，可用：count、sum:字段、distinct:字段、coverage:区域类型、rate:字段=值`);
  }
}

export function parseGroupBy(def: LedgerDef, text: string | undefined): GroupBy | null {
  if (!text) return null;
  if (text === 'month') return { kind: 'month' };
  if (text === 'quarter') return { kind: 'quarter' };
  if (text.startsWith('area:')) return { kind: 'area', areaKind: areaKindOf(text.slice(5)) };
  if (text.startsWith('age:') || text.startsWith('years:')) {
    const [kind, name] = text.split(':') as ['age' | 'years', string];
    const f = fieldOf(def, name, '分组字段');
    if (f.type !== 'date') bad(`“${f.label}”不是日期字段，不能按${kind === 'age' ? '年龄' : '年限'}分组`);
    return { kind, field: f };
  }
  const f = fieldOf(def, text, '分组字段');
  if (f.type === 'longtext' || f.type === 'idNumber' || f.type === 'phone') bad(`“${f.label}”不能用于分组`);
  return { kind: 'field', field: f };
}

export interface SortSpec {
  field: FieldDef | null;
  desc: boolean;
}

export function parseSort(def: LedgerDef, text: string | undefined): SortSpec {
  if (!text) return { field: fieldOf(def, def.dateField, '排序字段'), desc: true };
  const desc = text.startsWith('-');
  const name = text.replace(/^[-+]/, '');
  if (name === 'id') return { field: null, desc };
  const f = fieldOf(def, name, '排序字段');
  if (f.type === 'idNumber' || f.type === 'phone' || f.type === 'longtext') bad(`不能按“${f.label}”排序`);
  return { field: f, desc };
}

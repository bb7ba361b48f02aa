/**
 * Turning what users type (cells, form fields) into the values a ledger stores, and back.
 * Money and quantities become integers (fen, thousandths) by string arithmetic: no float ever
 * touches them.
 */
import { idNumberProblem, PHONE_PATTERN } from '../id-number.ts';
import { CODE_PATTERN } from '../tree.ts';
import { freeTextProblem, nameProblem, normalizeText } from '../../shared/text.ts';
import type { FieldDef } from './types.ts';

export type Parsed = { ok: true; value: string | number | null } | { ok: false; message: string };

const TEXT_MAX = 200;
const FORMULA_START = /^[=+\-@\t\r]/;
const FORMULA_MARKED = /^'[=+\-@\t\r]/;

/**
 * Text fields that name someone or something, or identify a record (姓名, 名称, 编号, 编码, 文号):
 * one line of visible characters (src/shared/text.ts). The rest are free text.
 */
export function isNameField(f: FieldDef): boolean {
  return f.type === 'text' && /(姓名|名称|信访人|排查人|编号|编码|文号)$/.test(f.label);
}
const LONGTEXT_MAX = 4000;

/** "123.45" → 12345 (scale 2) — at most `scale` decimals; null when not a plain decimal number. */
export function decimalToScaledInt(text: string, scale: number): number | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.replace(/,/g, '').trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  if (frac.length > scale) return null;
  const digits = `${m[2]}${frac.padEnd(scale, '0')}`;
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return null;
  return m[1] === '-' ? -n : n;
}

/** 12345 (scale 2) → "123.45"; scale 3 trims trailing zeros ("12.3"). */
export function scaledIntToDecimal(n: number, scale: number, trim = false): string {
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(scale + 1, '0');
  let out = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  if (trim) out = out.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + out;
}

/** Parses the accepted date forms: 2023-05-06, 2023/5/6, 2023年5月6日, 2023.5.6. */
export function parseDate(text: string): string | null {
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * One field's value from user input. `raw` is text (or a number/boolean/Date from a typed
 * cell or JSON). Empty input is null; whether null is allowed is checked by the caller.
 */
export function parseFieldValue(f: FieldDef, raw: unknown): Parsed {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (raw instanceof Date) {
    if (f.type === 'date') return { ok: true, value: raw.toISOString().slice(0, 10) };
    raw = raw.toISOString().slice(0, 10);
  }
  if (typeof raw === 'boolean') {
    if (f.type === 'boolean') return { ok: true, value: raw ? 1 : 0 };
    raw = raw ? '是' : '否';
  }
  const text = typeof raw === 'number' ? (Number.isFinite(raw) ? String(raw) : '') : String(raw);
  // Text keeps a leading tab or line break (CONTRACTS §4: formula text is stored as given); only
  // spaces are trimmed in front, any whitespace at the end.
  const t = f.type === 'longtext' || f.type === 'text' ? normalizeText(text.replace(/^[ \u3000\u00a0]+/, '').replace(/\s+$/, '')) : text.trim();
  if (t === '') return { ok: true, value: null };
  const label = `“${f.label}”`;
  switch (f.type) {
    case 'text':
    case 'longtext': {
      // A leading ' before a formula character is the mark our exports add (see neutralizeFormula).
      const v = FORMULA_MARKED.test(t) ? t.slice(1) : t;
      const max = f.type === 'text' ? TEXT_MAX : LONGTEXT_MAX;
      if ([...v].length > max) return { ok: false, message: `${label}不能超过${max}个字` };
      const problem = isNameField(f) ? nameProblem(v, f.label) : freeTextProblem(v, f.label);
      return problem ? { ok: false, message: problem } : { ok: true, value: v };
    }
    case 'enum':
      return f.values!.includes(t) ? { ok: true, value: t } : { ok: false, message: `${label}只能填写：${f.values!.join('、')}` };
    case 'date': {
      const d = typeof raw === 'number' ? excelSerialToDate(raw) : parseDate(t);
      return d ? { ok: true, value: d } : { ok: false, message: `${label}不是有效日期，请写成2023-05-06、2023/5/6或2023年5月6日` };
    }
    case 'integer': {
      if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) return { ok: false, message: `${label}应为不小于0的整数` };
      return { ok: true, value: Number(t) };
    }
    case 'amount': {
      const fen = decimalToScaledInt(typeof raw === 'number' ? roundFloatText(raw, 2) : t, 2);
      if (fen === null) return { ok: false, message: `${label}应为金额（元），最多两位小数，如 1234.56` };
      if (fen < 0) return { ok: false, message: `${label}不能为负数` };
      return { ok: true, value: fen };
    }
    case 'quantity': {
      const q = decimalToScaledInt(typeof raw === 'number' ? roundFloatText(raw, 3) : t, 3);
      if (q === null) return { ok: false, message: `${label}应为数字，最多三位小数` };
      if (q < 0) return { ok: false, message: `${label}不能为负数` };
      return { ok: true, value: q };
    }
    case 'boolean':
      if (t === '是') return { ok: true, value: 1 };
      if (t === '否') return { ok: true, value: 0 };
      return { ok: false, message: `${label}只能填写“是”或“否”` };
    case 'area':
    case 'org':
    case 'unit':
      return CODE_PATTERN.test(t) ? { ok: true, value: t } : { ok: false, message: `${label}格式不正确，应为区域或党组织的编码` };
    case 'idNumber': {
      const id = t.toUpperCase();
      const problem = idNumberProblem(id);
      return problem ? { ok: false, message: problem } : { ok: true, value: id };
    }
    case 'phone': {
      const p = t.replace(/[\s]/g, '');
      return PHONE_PATTERN.test(p) ? { ok: true, value: p } : { ok: false, message: `${label}应为11位手机号码或带区号的固定电话` };
    }
  }
}

/**
 * A number cell holding money: Excel stores 263.84 as the nearest double; its shortest decimal
 * form has at most the given decimals when the user typed that many.
 */
function roundFloatText(n: number, scale: number): string {
  const s = String(n);
  if (/e/i.test(s)) return n.toFixed(scale);
  return s;
}

/** Excel's serial day number (1900 system) to a date, for numbers found in date columns. */
export function excelSerialToDate(n: number): string | null {
  if (!Number.isInteger(n) || n < 1 || n > 2958465) return null;
  const ms = Date.UTC(1899, 11, 30) + n * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** A stored value as users see it in lists, exports and the API. */
export function formatFieldValue(f: FieldDef, v: string | number | null): string | number | null {
  if (v === null || v === undefined) return null;
  switch (f.type) {
    case 'amount':
      return scaledIntToDecimal(Number(v), 2);
    case 'quantity':
      return scaledIntToDecimal(Number(v), 3, true);
    case 'boolean':
      return Number(v) === 1 ? '是' : '否';
    case 'integer':
      return Number(v);
    default:
      return v;
  }
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return) is exported with a leading ',
 * which Excel and WPS show as plain text (CONTRACTS §4 "Formula text").
 */
export function neutralizeFormula(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}

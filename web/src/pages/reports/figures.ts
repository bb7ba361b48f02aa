/**
 * The annual report as the API answers it, and where each figure stands in its paragraph: the
 * text comes filled in, so the figures are found again through the template the server filled
 * (its literal pieces between `{{key}}` tokens), or, for a report written from another template,
 * by their formatted value in order.
 */
import { DEFAULT_TEMPLATE, formatFigure, type FigureSpec, type ReportTemplate } from '../../../../src/domain/report/template.ts';

export type { ReportTemplate };

export interface ReportFigure {
  key: string;
  label: string;
  value: number | string;
  unit: string | null;
  /** `/api/metrics/query?…` (or the same parameters as an object). */
  query: string | Record<string, string>;
}

export interface Paragraph {
  text: string;
  figures: ReportFigure[];
}

export interface FindingItem {
  org: string;
  meetingType: string;
  period: string;
  message: string;
  rule: string;
}

export interface OverdueItem {
  applicantId: number;
  name: string;
  org: string;
  step: string;
  latest: string;
}

/** A target (目标) as the report carries it: next year's plans, this year's standing. */
export interface TargetView {
  id: number;
  title: string;
  comparison: '>=' | '<=' | '=';
  threshold: number;
  period: string;
  dueOn: string;
  status: string;
  statusLabel: string;
  value: number;
  periods: Array<{ period: string; value: number; status: string }>;
  query: string;
}

/** A missed target, as a problem's evidence. */
export interface MissedTarget {
  title: string;
  threshold: number;
  value: number;
  periods: Array<{ period: string; value: number; status: string }>;
  query: string;
}

export interface AnnualReport {
  title: string;
  area: { code: string; name: string };
  year: number;
  opening: string;
  sections: Array<{ title: string; paragraphs: Paragraph[] }>;
  problems: Array<{ text: string; evidence: { query?: string; items?: unknown[] } }>;
  causes: string[];
  plans: Array<{ text: string; target: TargetView | null }>;
  targets?: TargetView[];
  generatedAt: string;
}

export interface ReportDiff {
  finalizedAt: string;
  sha256: string;
  changed: Array<{ key: string; label: string; finalValue: number | string; currentValue: number | string | null; unit: string | null; query: string | Record<string, string> }>;
}

/** A piece of a paragraph: plain text, or a figure as it reads in the text. */
export type Piece = { kind: 'text'; text: string } | { kind: 'figure'; text: string; figure: ReportFigure };

interface Index {
  specs: Map<string, FigureSpec>;
  texts: Map<string, string>;
}

const INDEXES = new WeakMap<ReportTemplate, Index>();

/** A template's figures by key and its paragraph texts by their figures' keys. */
function indexOf(t: ReportTemplate): Index {
  let i = INDEXES.get(t);
  if (!i) {
    i = {
      specs: new Map(t.achievements.flatMap((s) => s.paragraphs.flatMap((p) => p.figures.map((f) => [f.key, f] as const)))),
      texts: new Map(t.achievements.flatMap((s) => s.paragraphs.map((p) => [p.figures.map((f) => f.key).join('|'), p.text] as const))),
    };
    INDEXES.set(t, i);
  }
  return i;
}

function specOf(key: string | undefined, template?: ReportTemplate): FigureSpec | undefined {
  if (!key) return undefined;
  return (template ? indexOf(template).specs.get(key) : undefined) ?? indexOf(DEFAULT_TEMPLATE).specs.get(key);
}

/** How a figure reads in the report's text (as the server wrote it). */
export function figureText(f: ReportFigure, template?: ReportTemplate): string {
  return formatFigure(f.value, f.unit, specOf(f.key, template)?.format ?? (f.unit === null ? 'percent' : 'count'));
}

/** Through the template: literal pieces must match exactly; a figure is what lies between them. */
function byTemplate(text: string, figures: ReportFigure[], template: ReportTemplate): Piece[] | null {
  const source = indexOf(template).texts.get(figures.map((f) => f.key).join('|'));
  if (!source) return null;
  const byKey = new Map(figures.map((f) => [f.key, f]));
  const parts = source.split(/\{\{(\w+)\}\}/);
  const pieces: Piece[] = [];
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 0) {
      if (text.slice(at, at + part.length) !== part) return null;
      if (part) pieces.push({ kind: 'text', text: part });
      at += part.length;
    } else {
      const figure = byKey.get(part);
      const next = parts[i + 1] ?? '';
      const end = next ? text.indexOf(next, at) : text.length;
      if (!figure || end < 0 || end === at) return null;
      pieces.push({ kind: 'figure', text: text.slice(at, end), figure });
      at = end;
    }
  }
  return at === text.length ? pieces : null;
}

/** By value, in order: each figure's formatted text, not inside a longer number. */
function byValue(text: string, figures: ReportFigure[], template?: ReportTemplate): { pieces: Piece[]; missing: ReportFigure[] } {
  const pieces: Piece[] = [];
  const missing: ReportFigure[] = [];
  let at = 0;
  for (const f of figures) {
    const t = figureText(f, template);
    let i = text.indexOf(t, at);
    while (i >= 0 && (/[\d.]/.test(text[i - 1] ?? '') || /[\d.]/.test(text[i + t.length] ?? ''))) i = text.indexOf(t, i + 1);
    if (i < 0) {
      missing.push(f);
      continue;
    }
    if (i > at) pieces.push({ kind: 'text', text: text.slice(at, i) });
    pieces.push({ kind: 'figure', text: t, figure: f });
    at = i + t.length;
  }
  if (at < text.length) pieces.push({ kind: 'text', text: text.slice(at) });
  return { pieces, missing };
}

/**
 * The paragraph in pieces, through the template it was written from (the street's own, else the
 * default); figures not found in the text are returned apart (shown after it).
 */
export function splitParagraph(p: Paragraph, template?: ReportTemplate): { pieces: Piece[]; missing: ReportFigure[] } {
  if (p.figures.length === 0) return { pieces: [{ kind: 'text', text: p.text }], missing: [] };
  const exact = (template && byTemplate(p.text, p.figures, template)) || byTemplate(p.text, p.figures, DEFAULT_TEMPLATE);
  if (exact) return { pieces: exact, missing: [] };
  return byValue(p.text, p.figures, template);
}

/** A figure's query as a path (the API may carry it as an object of parameters). */
export function queryPath(q: string | Record<string, string>): string {
  return typeof q === 'string' ? q : `/api/metrics/query?${new URLSearchParams(q)}`;
}

/** The records behind a figure: the same parameters on /api/metrics/records. */
export function recordsPath(q: string | Record<string, string>): string {
  return queryPath(q).replace(/^\/api\/metrics\/query\?/, '/api/metrics/records?');
}

/** The query's parameters, decoded, for people to read. */
export function queryParams(q: string | Record<string, string>): Array<[string, string]> {
  const path = queryPath(q);
  const i = path.indexOf('?');
  return i < 0 ? [] : [...new URLSearchParams(path.slice(i + 1))];
}

/** The path as people read it: parameters decoded (the Chinese names kept). */
export function readablePath(q: string | Record<string, string>): string {
  const path = queryPath(q);
  const i = path.indexOf('?');
  if (i < 0) return path;
  return `${path.slice(0, i)}?${queryParams(q)
    .map(([k, v]) => `${k}=${v}`)
    .join('&')}`;
}

/** Money arrives as a yuan string: "2638400.00" → "2,638,400.00". */
export function groupDigits(v: number | string): string {
  const s = String(v);
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
  if (!m) return s;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** A figure's value with its unit, in full (the text may read it shorter: 123.45万元). */
export function fullValue(f: { value: number | string | null; unit: string | null; key?: string }, template?: ReportTemplate): string {
  if (f.value === null) return '—';
  const spec = specOf(f.key, template);
  if (spec?.format === 'percent' || (!spec && f.unit === null)) {
    const pct = Number(f.value) * 100;
    return `${Number.isInteger(pct) ? pct : pct.toFixed(1)}%`;
  }
  if (f.unit === '元') return `${groupDigits(f.value)} 元`;
  return `${groupDigits(f.value)}${f.unit ? ' ' + f.unit : ''}`;
}

/** What a measure counts, in words. */
export function measureWords(measure: string | undefined, fieldLabel: (name: string) => string): string {
  if (!measure || measure === 'count') return '记录条数';
  const [kind, rest = ''] = measure.split(/:(.*)/s) as [string, string?];
  if (kind === 'sum') return `“${fieldLabel(rest)}”合计`;
  if (kind === 'distinct') return `不同的“${fieldLabel(rest)}”个数`;
  if (kind === 'coverage') return `记录所在的${rest}个数（覆盖范围）`;
  if (kind === 'rate') {
    const [field = '', values = ''] = rest.split('=');
    return `“${fieldLabel(field)}”为${values.split(',').join('、')}的比率（在填写了该项的记录中）`;
  }
  return measure;
}

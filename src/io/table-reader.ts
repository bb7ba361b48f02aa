/**
 * Reads an uploaded table — .xlsx streamed row by row, or .csv in UTF-8 (with or without BOM) or
 * GB18030/GBK as Excel and WPS save it in China — into header names and rows of plain values.
 * Row numbers are those the spreadsheet shows (the header is row 1).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import ExcelJS, { type Row as ExcelRow } from './excel.ts';
import { parse } from 'csv-parse/sync';
import { AppError } from '../shared/errors.ts';

export type CellValue = string | number | boolean | Date | null;

export interface TableRow {
  row: number;
  values: CellValue[];
}

export interface Table {
  headers: string[];
  rows: AsyncIterable<TableRow>;
}

export function tableKind(filename: string): 'xlsx' | 'csv' {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  throw new AppError('BAD_REQUEST', '只支持 .xlsx 或 .csv 文件（.xls 请在Excel中另存为 .xlsx）');
}

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), else GB18030 (a superset of GBK and GB2312). */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function normalizeCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text: string }>).map((t) => t.text).join('');
    if ('text' in o && typeof o.text === 'string') return o.text; // hyperlink
    if ('result' in o) return normalizeCell(o.result); // formula: its cached value, never re-evaluated
    if ('error' in o) return null;
  }
  return String(v);
}

function isBlank(values: CellValue[]): boolean {
  return values.every((v) => v === null || (typeof v === 'string' && v.trim() === ''));
}

async function readCsv(path: string): Promise<Table> {
  const text = decodeText(await readFile(path));
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (e) {
    throw new AppError('BAD_REQUEST', `CSV文件格式错误：${(e as Error).message}`);
  }
  const headers = (records[0] ?? []).map((h) => h.trim());
  async function* rows(): AsyncGenerator<TableRow> {
    for (let i = 1; i < records.length; i++) {
      const values = records[i]!.map((v) => (v === '' ? null : v));
      if (!isBlank(values)) yield { row: i + 1, values };
    }
  }
  return { headers, rows: rows() };
}

async function readXlsx(path: string): Promise<Table> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(path), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const iterator = (async function* () {
    for await (const sheet of reader) {
      // Only the first worksheet is read: one file, one ledger.
      for await (const row of sheet as AsyncIterable<ExcelRow>) {
        const raw = row.values as unknown[];
        const values: CellValue[] = [];
        for (let c = 1; c < raw.length; c++) values.push(normalizeCell(raw[c]));
        yield { row: row.number, values };
      }
      return;
    }
  })();
  let first: IteratorResult<TableRow>;
  try {
    first = await iterator.next();
  } catch (e) {
    // exceljs's streaming reader fails when a sheet is stored before xl/workbook.xml (its
    // model is not read yet); such files are valid, so read them whole instead.
    if (e instanceof TypeError && /sheets/.test(e.message)) return readXlsxWhole(path);
    throw new AppError('BAD_REQUEST', `无法读取Excel文件，文件可能已损坏：${(e as Error).message}`);
  }
  if (first.done) return { headers: [], rows: (async function* () {})() };
  const headerRow = first.value;
  const headers = headerRow.values.map((v) => (v === null ? '' : String(v).trim()));
  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (!isBlank(next.value.values)) yield next.value;
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('BAD_REQUEST', `读取Excel文件时出错，文件可能已损坏：${(e as Error).message}`);
    }
  }
  return { headers, rows: rows() };
}

/** The first worksheet read in one go (for the files the streaming reader cannot take in order). */
async function readXlsxWhole(path: string): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (e) {
    throw new AppError('BAD_REQUEST', `无法读取Excel文件，文件可能已损坏：${(e as Error).message}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) return { headers: [], rows: (async function* () {})() };
  const all: TableRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const raw = row.values as unknown[];
    const values: CellValue[] = [];
    for (let c = 1; c < raw.length; c++) values.push(normalizeCell(raw[c]));
    all.push({ row: row.number, values });
  });
  const [head, ...rest] = all;
  const headers = (head?.values ?? []).map((v) => (v === null ? '' : String(v).trim()));
  async function* rows(): AsyncGenerator<TableRow> {
    for (const r of rest) if (!isBlank(r.values)) yield r;
  }
  return { headers, rows: rows() };
}

export async function readTable(path: string, filename: string): Promise<Table> {
  return tableKind(filename) === 'xlsx' ? readXlsx(path) : readCsv(path);
}

/** A cell as trimmed text; Excel dates become YYYY-MM-DD, whole numbers lose their ".0". */
export function cellText(v: CellValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  const t = v.trim();
  return t === '' ? null : t;
}

/** Parses the date forms CONTRACTS §3 accepts: 2023-05-06, 2023/5/6, 2023年5月6日, Excel dates. */
export function parseDateCell(v: CellValue | undefined): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const t = String(v).trim();
  if (t === '') return null;
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

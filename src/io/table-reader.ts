/**
 * Reads an uploaded table — .xlsx streamed row by row, or .csv in UTF-8 (with or without BOM) or
 * GB18030/GBK as Excel and WPS save it in China — into header names and rows of plain values.
 * Row numbers are those the spreadsheet shows (the header is row 1).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';
// exceljs is loaded when an .xlsx is read (usually in the reading worker), not at start-up.
import type { Row as ExcelRow } from './excel.ts';
import { parse as parseCsv } from 'csv-parse';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorDetail } from '../shared/errors.ts';
import { checkActualSizes, inspectXlsx } from './zip-inspect.ts';

export type CellValue = string | number | boolean | Date | null;

export interface TableRow {
  row: number;
  values: CellValue[];
}

export interface Table {
  headers: string[];
  rows: AsyncIterable<TableRow>;
  /** The same rows in the reader's batches, when it reads in batches; read one or the other. */
  batches?: AsyncIterable<TableRow[]>;
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
    if ('formula' in o || 'sharedFormula' in o || 'result' in o) {
      // A formula cell: its cached value, never re-evaluated; without one, the formula as text.
      if (o.result !== undefined && o.result !== null) return normalizeCell(o.result);
      return typeof o.formula === 'string' ? `=${o.formula}` : null;
    }
    if ('error' in o) return null;
  }
  return String(v);
}

function isBlank(values: CellValue[]): boolean {
  return values.every((v) => v === null || (typeof v === 'string' && v.trim() === ''));
}

/** Most data rows one file may carry (ledger or tree import, web or CLI); checked while reading. */
export const IMPORT_MAX_ROWS = 1_000_000;

function tooManyRows(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `文件超过${limit}行数据的上限（单个文件最多导入${limit}行），请拆分为多个文件分批导入`);
}

export interface ReadOptions {
  /** Defaults to IMPORT_MAX_ROWS. */
  maxRows?: number;
  /** Read an .xlsx in the calling thread instead of a worker. */
  inThread?: boolean;
}

// ---- CSV ------------------------------------------------------------------------------------

type CsvEncoding = 'utf-8' | 'gb18030';

/** How many UTF-8-encoded CJK ideographs a line holds (stops counting at `enough`). */
function utf8Ideographs(line: Buffer, enough: number): number {
  let n = 0;
  for (let i = 0; i + 2 < line.length; i++) {
    const b = line[i]!;
    if (b >= 0xe4 && b <= 0xe9 && (line[i + 1]! & 0xc0) === 0x80 && (line[i + 2]! & 0xc0) === 0x80) {
      if (++n >= enough) return n;
      i += 2;
    }
  }
  return n;
}

function hasHighBytes(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) if (line[i]! >= 0x80) return true;
  return false;
}

const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * First pass over a CSV's bytes (streamed, bounded memory): the encoding, decided by the first
 * line with non-ASCII bytes (normally the header); every line checked against it, so a file
 * mixing UTF-8 and GB18030, or with bytes valid in neither, is refused naming its row instead of
 * being stored as mojibake; and the number of records (line ends outside quotes), so a file over
 * the row limit is refused before anything is imported.
 */
async function scanCsv(path: string): Promise<{ encoding: CsvEncoding; records: number; problem: { row: number; message: string } | null }> {
  let encoding: CsvEncoding | null = null;
  let records = 0;
  let inQuotes = false;
  let problem: { row: number; message: string } | null = null;
  let carry: Buffer | null = null;
  let first = true;
  const gb = new TextDecoder('gb18030', { fatal: true });

  const checkLine = (line: Buffer) => {
    if (first) {
      first = false;
      if (line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) {
        encoding = 'utf-8';
        line = line.subarray(3);
      }
    }
    const row = records + 1;
    if (!problem) {
      const utf8 = isUtf8(line);
      if (encoding === null) {
        if (!utf8) encoding = 'gb18030';
        else if (hasHighBytes(line)) encoding = 'utf-8';
      }
      if (encoding === 'utf-8' && !utf8) {
        problem = { row, message: `第${row}行含有不是UTF-8编码的字符（文件中混有GBK/GB18030等其他编码，或内容已损坏）；请把整个文件另存为“CSV UTF-8”后再导入` };
      } else if (encoding === 'gb18030') {
        if (utf8) {
          if (utf8Ideographs(line, 2) >= 2) {
            problem = { row, message: `第${row}行是UTF-8编码，而文件其余部分是GB18030（GBK）编码；请把整个文件统一另存为一种编码（推荐“CSV UTF-8”）后再导入` };
          }
        } else {
          try {
            gb.decode(line);
          } catch {
            problem = { row, message: `第${row}行含有无法识别的字符（既不是UTF-8也不是GB18030/GBK编码），文件可能已损坏；请检查该行后重新保存再导入` };
          }
        }
      }
    }
    // A line ends its record unless a quoted field runs on (an odd number of quotes toggles).
    let q = line.indexOf(0x22);
    while (q !== -1) {
      inQuotes = !inQuotes;
      q = line.indexOf(0x22, q + 1);
    }
    if (!inQuotes) records++;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    let nl = buf.indexOf(0x0a);
    while (nl !== -1) {
      checkLine(buf.subarray(start, nl + 1));
      start = nl + 1;
      nl = buf.indexOf(0x0a, start);
    }
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
    if (carry && carry.length > MAX_LINE_BYTES && !problem) {
      problem = { row: records + 1, message: `第${records + 1}行超过${MAX_LINE_BYTES / 1024 / 1024}MB，文件格式可能有误（例如缺少换行或引号不配对）` };
      break;
    }
  }
  if (carry && carry.length && !problem) checkLine(carry);
  else if (carry && carry.length) records++;
  return { encoding: encoding ?? 'utf-8', records, problem };
}

/** Decodes a byte stream as it flows (a character split across chunks is kept for the next). */
function decoding(encoding: CsvEncoding): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

async function readCsv(path: string, maxRows: number): Promise<Table> {
  const scan = await scanCsv(path);
  if (scan.records - 1 > maxRows) throw tooManyRows(maxRows);
  if (scan.problem) throw new AppError('BAD_REQUEST', scan.problem.message, [{ row: scan.problem.row, message: scan.problem.message }]);
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const parser = source.pipe(decoding(scan.encoding)).pipe(parseCsv({ relax_column_count: true, skip_empty_lines: false, bom: true }));
  source.on('error', (e) => parser.destroy(e));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const next = async (): Promise<IteratorResult<string[]>> => {
    try {
      return await records.next();
    } catch (e) {
      if (e instanceof AppError) throw e;
      const line = (e as { lines?: number }).lines;
      throw new AppError('BAD_REQUEST', `CSV文件${line ? `第${line}行` : ''}格式错误（如引号不配对），请用Excel重新另存为CSV后再导入`);
    }
  };
  const head = await next();
  const headers = head.done ? [] : head.value.map((h) => h.trim());
  async function* rows(): AsyncGenerator<TableRow> {
    let n = 1;
    try {
      for (;;) {
        const r = await next();
        if (r.done) return;
        n++;
        if (n - 1 > maxRows) throw tooManyRows(maxRows);
        const values = r.value.map((v) => (v === '' ? null : v));
        if (!isBlank(values)) yield { row: n, values };
      }
    } finally {
      source.destroy();
    }
  }
  if (head.done) source.destroy();
  return { headers, rows: rows() };
}

// ---- XLSX -----------------------------------------------------------------------------------

async function readXlsx(path: string, maxRows: number): Promise<Table> {
  const entries = await inspectXlsx(path);
  const input = createReadStream(path);
  // The inflation cap (src/io/excel.ts) fails the input stream, and exceljs then waits forever:
  // every read also ends when the input fails. (Not Promise.race with one long-lived promise: each
  // race leaves a reaction on it, so 100,000 rows kept 100,000 rows' worth of promises alive.)
  let inputError: unknown = null;
  let rejectPending: ((e: unknown) => void) | null = null;
  input.on('error', (e) => {
    inputError = e;
    rejectPending?.(e);
  });
  const { default: ExcelJS } = await import('./excel.ts');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
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
  const next = (): Promise<IteratorResult<TableRow>> => {
    if (inputError) return Promise.reject(inputError);
    return new Promise((resolve, reject) => {
      rejectPending = reject;
      iterator.next().then(
        (v) => {
          rejectPending = null;
          resolve(v);
        },
        (e) => {
          rejectPending = null;
          reject(e);
        },
      );
    });
  };
  const stop = () => {
    input.destroy();
    void iterator.return(undefined).catch(() => {});
  };
  let first: IteratorResult<TableRow>;
  try {
    first = await next();
  } catch (e) {
    stop();
    if (e instanceof AppError) throw e;
    // exceljs's streaming reader fails when a sheet is stored before xl/workbook.xml (its
    // model is not read yet); such files are valid, so read them whole instead.
    if (e instanceof TypeError && /sheets/.test(e.message)) {
      await checkActualSizes(path, entries);
      return readXlsxWhole(path, maxRows);
    }
    throw new AppError('BAD_REQUEST', `无法读取Excel文件，文件可能已损坏：${(e as Error).message}`);
  }
  if (first.done) {
    stop();
    return { headers: [], rows: (async function* () {})() };
  }
  const headerRow = first.value;
  const headers = headerRow.values.map((v) => (v === null ? '' : String(v).trim()));
  async function* rows(): AsyncGenerator<TableRow> {
    let n = 0;
    try {
      for (;;) {
        const r = await next();
        if (r.done) return;
        if (++n > maxRows) throw tooManyRows(maxRows);
        if (!isBlank(r.value.values)) yield r.value;
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('BAD_REQUEST', `读取Excel文件时出错，文件可能已损坏：${(e as Error).message}`);
    } finally {
      stop();
    }
  }
  return { headers, rows: rows() };
}

/** The first worksheet read in one go (for the files the streaming reader cannot take in order). */
async function readXlsxWhole(path: string, maxRows: number): Promise<Table> {
  const { default: ExcelJS } = await import('./excel.ts');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (e) {
    throw new AppError('BAD_REQUEST', `无法读取Excel文件，文件可能已损坏：${(e as Error).message}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) return { headers: [], rows: (async function* () {})() };
  if (ws.actualRowCount - 1 > maxRows) throw tooManyRows(maxRows);
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

/**
 * Opens an uploaded table for reading. Hostile files are refused here with a Chinese message:
 * not a spreadsheet, cut off, no worksheet, a zip bomb, mixed encodings, more than the row limit.
 */
export async function readTable(path: string, filename: string, options: ReadOptions = {}): Promise<Table> {
  // An .xlsx is parsed in a worker thread (xlsx-worker.mjs): unzipping and parsing XML is the
  // costly half of an import, and there it runs beside the checking and inserting.
  if (tableKind(filename) === 'xlsx' && !options.inThread) return readXlsxOffThread(path, filename, options);
  return readTableInThread(path, filename, options);
}

/** The reading itself, in the calling thread. */
export async function readTableInThread(path: string, filename: string, options: ReadOptions = {}): Promise<Table> {
  const maxRows = options.maxRows ?? IMPORT_MAX_ROWS;
  return tableKind(filename) === 'xlsx' ? readXlsx(path, maxRows) : readCsv(path, maxRows);
}

async function readXlsxOffThread(path: string, filename: string, options: ReadOptions): Promise<Table> {
  const worker = new Worker(new URL('./xlsx-worker.mjs', import.meta.url), { workerData: { path, filename, options: { ...options, inThread: true } } });
  type Message = { type: 'headers'; headers: string[] } | { type: 'rows'; rows: TableRow[] } | { type: 'end' } | { type: 'error'; error: { name?: string; code?: string; message: string; details?: ErrorDetail[] } };
  const queue: Message[] = [];
  let waiting: (() => void) | null = null;
  const push = (m: Message) => {
    queue.push(m);
    waiting?.();
    waiting = null;
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ type: 'error', error: { message: e.message } }));
  worker.on('exit', (code) => {
    if (code !== 0) push({ type: 'error', error: { message: `读取线程异常退出（${code}）` } });
  });
  // The worker keeps the process alive only while someone waits for its rows: a table whose rows
  // are never read (an import refused at its header) must not hold a command or a test open.
  worker.unref();
  const take = async (): Promise<Message> => {
    if (!queue.length) {
      worker.ref();
      while (!queue.length) await new Promise<void>((resolve) => (waiting = resolve));
      worker.unref();
    }
    return queue.shift()!;
  };
  const raise = (m: Extract<Message, { type: 'error' }>): never => {
    void worker.terminate();
    const e = m.error;
    if (e.name === 'AppError' && e.code && e.code in ERROR_CODES) throw new AppError(e.code as ErrorCode, e.message, e.details);
    throw new AppError('BAD_REQUEST', `无法读取Excel文件，文件可能已损坏：${e.message}`);
  };
  const first = await take();
  if (first.type === 'error') raise(first);
  if (first.type !== 'headers') throw new Error('xlsx worker: headers expected');
  async function* batches(): AsyncGenerator<TableRow[]> {
    try {
      for (;;) {
        const m = await take();
        if (m.type === 'error') raise(m);
        if (m.type === 'end') return;
        if (m.type === 'rows') {
          worker.postMessage('more');
          yield m.rows;
        }
      }
    } finally {
      void worker.terminate();
    }
  }
  const source = batches();
  async function* rows(): AsyncGenerator<TableRow> {
    for await (const b of source) yield* b;
  }
  const table: Table = { headers: first.headers, rows: rows(), batches: source };
  // A table dropped unread (an import refused at its header) still ends its worker, when collected.
  abandoned.register(table, worker);
  return table;
}

const abandoned = new FinalizationRegistry<Worker>((worker) => void worker.terminate());

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

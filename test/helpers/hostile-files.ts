/**
 * Hostile files for the tests under test/hostile/, made in the test itself: a zip writer that
 * can lie about sizes, a deflate stream of gigabytes built from one small block, truncated and
 * sheetless workbooks, streamed huge CSVs, and a few HTTP helpers (streamed uploads, RSS).
 */
import { once } from 'node:events';
import { createWriteStream, openAsBlob } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import ExcelJS from '../../src/io/excel.ts';

export interface ZipInput {
  name: string;
  /** Plain content, deflated by the writer. */
  data?: Buffer;
  /** Already deflated content and its real inflated size (for bombs). */
  deflated?: { bytes: Buffer; size: number };
  /** The uncompressed size written in the headers (a lie when it differs from the content). */
  declaredSize?: number;
}

/** A zip (no zip64) whose headers say exactly what the caller asks. */
export function writeZip(entries: ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compressed = e.deflated ? e.deflated.bytes : deflateRawSync(e.data ?? Buffer.alloc(0));
    const realSize = e.deflated ? e.deflated.size : (e.data?.length ?? 0);
    const size = Math.min(e.declaredSize ?? realSize, 0xffffffff);
    const crc = e.data ? crc32(e.data) : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A raw deflate stream inflating to `prefix` + `megabytes` MiB of spaces + `suffix`, built from
 * one deflated MiB repeated (each copy a non-final block ending on a byte boundary): a few kB
 * per GB, and no need to ever hold the inflated content.
 */
export function spacesBomb(prefix: string, megabytes: number, suffix: string): { bytes: Buffer; size: number } {
  const sync = { finishFlush: constants.Z_SYNC_FLUSH };
  const head = deflateRawSync(Buffer.from(prefix), sync);
  const mib = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), sync);
  const tail = deflateRawSync(Buffer.from(suffix));
  const parts: Buffer[] = [head];
  for (let i = 0; i < megabytes; i++) parts.push(mib);
  parts.push(tail);
  return { bytes: Buffer.concat(parts), size: Buffer.byteLength(prefix) + megabytes * 1024 * 1024 + Buffer.byteLength(suffix) };
}

/** A real .xlsx made by exceljs: one sheet with these headers and rows. */
export async function xlsxOf(headers: string[], rows: Array<Array<string | number | null>>, sheetName = 'Sheet1'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The entries of a zip, in stored order. */
export async function zipEntries(zip: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
  const z = await JSZip.loadAsync(zip);
  const out: Array<{ name: string; data: Buffer }> = [];
  for (const f of Object.values(z.files)) if (!f.dir) out.push({ name: f.name, data: await f.async('nodebuffer') });
  return out;
}

const SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_CLOSE = '</sheetData></worksheet>';

/**
 * A workbook (from a real one) whose first sheet inflates to `megabytes` MiB of whitespace.
 * `honest`: the headers declare that size; otherwise they declare 2 kB (a lie only inflating shows).
 */
export async function xlsxBomb(megabytes: number, honest: boolean): Promise<Buffer> {
  const real = await zipEntries(await xlsxOf(['日期', '名称'], [['2023-05-06', 'x']]));
  const bomb = spacesBomb(SHEET_OPEN, megabytes, SHEET_CLOSE);
  return writeZip(
    real.map((e) =>
      e.name === 'xl/worksheets/sheet1.xml' ? { name: e.name, deflated: bomb, ...(honest ? {} : { declaredSize: 2048 }) } : { name: e.name, data: e.data },
    ),
  );
}

/** Writes a CSV of `count` data rows to `path`, streamed (the file is never in memory). */
export async function writeCsv(path: string, header: string, count: number, row: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  const flushAt = 4096;
  let chunk = `\uFEFF${header}\r\n`;
  for (let i = 0; i < count; i++) {
    chunk += `${row(i)}\r\n`;
    if (i % flushAt === flushAt - 1) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export function rssMB(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Multipart upload of bytes (or a file on disk, streamed from it) as field `file`. */
export async function upload(
  base: string,
  path: string,
  name: string,
  content: Buffer | { file: string },
  auth: { cookie?: string | null; csrf?: string | null; token?: string | null },
): Promise<{ status: number; body: any; ms: number }> {
  const fd = new FormData();
  const blob = Buffer.isBuffer(content) ? new Blob([new Uint8Array(content)]) : await openAsBlob(content.file);
  fd.append('file', blob, name);
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.csrf) headers['x-csrf-token'] = auth.csrf;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const started = Date.now();
  const res = await fetch(base + path, { method: 'POST', body: fd, headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, ms: Date.now() - started };
}

/**
 * Sends a body of `totalBytes` zero bytes in 1 MiB writes, without holding it, and stops sending
 * as soon as the server answers. With `chunked`, no Content-Length is announced.
 */
export function streamUpload(
  base: string,
  path: string,
  totalBytes: number,
  opts: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; sentBytes: number; ms: number }> {
  const url = new URL(base + path);
  const boundary = '----jicenghostile';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const payload = totalBytes - head.length - tail.length;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(totalBytes) }),
          ...opts.headers,
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, sentBytes: sent, ms: Date.now() - started });
          req.destroy();
        });
      },
    );
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const block = Buffer.alloc(1024 * 1024, 0x41);
    const pump = () => {
      if (answered) return;
      if (sent === 0) {
        req.write(head);
        sent += head.length;
      }
      while (sent < head.length + payload && !answered) {
        const n = Math.min(block.length, head.length + payload - sent);
        sent += n;
        if (!req.write(n === block.length ? block : block.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end(tail);
    };
    pump();
  });
}

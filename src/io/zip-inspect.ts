/**
 * Looks at an .xlsx (a zip) before anything inflates it: only the end-of-central-directory record
 * and the central directory are read (a few kB at the end of the file), so the check costs the
 * same for a 10-row file and a 50 MB one. It refuses, with a Chinese message naming the problem:
 * a file that is not a zip at all (random bytes, an old .xls, an encrypted workbook), a cut-off
 * file, a zip without a worksheet, and a would-be zip bomb — declared sizes beyond the limit or
 * an extreme compression ratio (CONTRACTS §4 "Hostile files").
 *
 * Declared sizes can lie, so the reading itself is capped too: src/io/excel.ts counts every byte
 * exceljs inflates and stops at XLSX_LIMITS.maxInflatedBytes.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { AppError } from '../shared/errors.ts';

export const XLSX_LIMITS = {
  /** Sum of the entries' inflated sizes (CONTRACTS §4: "would inflate beyond 50 MB"). */
  maxInflatedBytes: 50 * 1024 * 1024,
  /** Inflated ÷ compressed for an entry of more than `ratioFloorBytes`; real sheets stay far below (about 10–30). */
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 10_000,
  maxCentralDirectoryBytes: 4 * 1024 * 1024,
};

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

const mb = (n: number) => `${Math.round(n / 1024 / 1024)}MB`;

function broken(message: string): AppError {
  return new AppError('BAD_REQUEST', message);
}

const NOT_XLSX = '文件不是有效的Excel（.xlsx）文件：内容已损坏，或只是把其他文件的扩展名改成了.xlsx';
const TRUNCATED = 'Excel文件不完整（可能在上传或复制时被截断），请重新保存后再导入';

/** Reads the directory of the zip at `path` and checks it; returns the entries. */
export async function inspectXlsx(path: string, limits = XLSX_LIMITS): Promise<ZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size === 0) throw broken('上传的Excel文件是空的');
    const head = Buffer.alloc(Math.min(8, size));
    await fh.read(head, 0, head.length, 0);
    if (head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1) {
      // An OLE compound file: an old .xls, or an .xlsx protected with an opening password.
      throw broken('这是旧版.xls文件或设置了打开密码的Excel文件，请取消密码并在Excel中另存为.xlsx后再导入');
    }
    const looksLikeZip = head.length >= 4 && head.readUInt32LE(0) === LOCAL_SIG;
    // The end record sits in the last 22 bytes + up to 64 kB of comment.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw broken(looksLikeZip ? TRUNCATED : NOT_XLSX);
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR_SIG) throw broken(NOT_XLSX);
      const z64Offset = Number(tail.readBigUInt64LE(loc + 8));
      const z64 = Buffer.alloc(56);
      if (z64Offset + 56 > size) throw broken(TRUNCATED);
      await fh.read(z64, 0, 56, z64Offset);
      if (z64.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw broken(NOT_XLSX);
      count = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    if (count > limits.maxEntries) throw broken(`Excel文件包含${count}个内部文件，超过上限${limits.maxEntries}，疑似恶意文件，已拒绝`);
    if (cdSize > limits.maxCentralDirectoryBytes) throw broken('Excel文件的目录区过大，疑似恶意文件，已拒绝');
    if (cdOffset + cdSize > size) throw broken(looksLikeZip ? TRUNCATED : NOT_XLSX);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);

    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIG) throw broken(NOT_XLSX);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      let uncompressedSize = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      let localHeaderOffset = cd.readUInt32LE(p + 42);
      if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw broken(NOT_XLSX);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      // zip64: the 0xffffffff fields continue, in order, in extra field 0x0001.
      if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
        let e = p + 46 + nameLength;
        const end = e + extraLength;
        while (e + 4 <= end) {
          const id = cd.readUInt16LE(e);
          const len = cd.readUInt16LE(e + 2);
          if (id === 0x0001) {
            let q = e + 4;
            if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + len) (uncompressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
            if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
            if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = Number(cd.readBigUInt64LE(q));
          }
          e += 4 + len;
        }
      }
      p += 46 + nameLength + extraLength + commentLength;
      if (flags & 0x1) throw broken('Excel文件已加密，请取消密码后再导入');
      if (method !== 0 && method !== 8) throw broken(`Excel文件使用了不支持的压缩方式（${method}），请在Excel中重新保存后再导入`);
      if (localHeaderOffset + 30 + compressedSize > cdOffset) throw broken(TRUNCATED);
      entries.push({ name, flags, method, compressedSize, uncompressedSize, localHeaderOffset });
    }

    if (!entries.some((e) => e.name === 'xl/workbook.xml') || !entries.some((e) => /^xl\/worksheets\/[^/]+\.xml$/.test(e.name))) {
      throw broken('Excel文件中没有工作表（缺少 xl/workbook.xml 或 xl/worksheets/sheet1.xml），文件可能已损坏或不是Excel文件');
    }
    const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (total > limits.maxInflatedBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `Excel文件解压后约${mb(total)}，超过${mb(limits.maxInflatedBytes)}的上限；请拆分为多个文件，或另存为CSV后导入`);
    }
    for (const e of entries) {
      if (e.method === 8 && e.uncompressedSize > limits.ratioFloorBytes) {
        const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
        if (ratio > limits.maxRatio) {
          throw broken(`Excel文件中的“${e.name}”压缩比异常（约${Math.round(ratio)}倍，解压后${mb(e.uncompressedSize)}），疑似压缩炸弹，已拒绝`);
        }
      }
    }
    return entries;
  } finally {
    await fh.close();
  }
}

export function inflatedTooLarge(limit = XLSX_LIMITS.maxInflatedBytes): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `Excel文件解压后超过${mb(limit)}的上限（文件记录的大小与实际内容不符，疑似压缩炸弹），已停止读取`);
}

/**
 * Inflates every entry to nowhere, counting, and stops at the limit: for the rare path that reads
 * a workbook whole in memory (exceljs's non-streaming reader trusts the declared sizes).
 */
export async function checkActualSizes(path: string, entries: ZipEntry[], limit = XLSX_LIMITS.maxInflatedBytes): Promise<void> {
  const fh = await open(path, 'r');
  const starts: number[] = [];
  try {
    for (const e of entries) {
      const local = Buffer.alloc(30);
      await fh.read(local, 0, 30, e.localHeaderOffset);
      if (local.readUInt32LE(0) !== LOCAL_SIG) throw broken(NOT_XLSX);
      starts.push(e.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28));
    }
  } finally {
    await fh.close();
  }
  let total = 0;
  for (const [i, e] of entries.entries()) {
    if (e.compressedSize === 0) continue;
    const source = createReadStream(path, { start: starts[i]!, end: starts[i]! + e.compressedSize - 1 });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        total += chunk.length;
        done(total > limit ? inflatedTooLarge(limit) : null);
      },
    });
    try {
      if (e.method === 8) await pipeline(source, createInflateRaw(), sink);
      else await pipeline(source, sink);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw broken(`Excel文件已损坏（“${e.name}”无法解压），请重新保存后再导入`);
    }
  }
}

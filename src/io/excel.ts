/**
 * exceljs, with one repair: its streaming reader decodes every compressed chunk of a sheet to
 * text on its own, so a Chinese character whose UTF-8 bytes straddle two chunks turns into "��"
 * (seen here in 1 row of ~4,000 of a real import). We give its XML parser a decoder that keeps
 * the incomplete bytes for the next chunk. It must run before exceljs is loaded, so every module
 * imports exceljs from here.
 */
import { createRequire } from 'node:module';
import { inflatedTooLarge, XLSX_LIMITS } from './zip-inspect.ts';

const require = createRequire(import.meta.url);
const parseSaxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
// saxes is exceljs's own dependency: resolve it from there.
const { SaxesParser } = createRequire(parseSaxPath)('saxes') as { SaxesParser: new () => SaxParser };

interface SaxParser {
  on(event: string, fn: (value: unknown) => void): void;
  write(text: string): void;
}

async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }) {
  const parser = new SaxesParser();
  let error: unknown;
  parser.on('error', (err) => {
    error = err;
  });
  let events: Array<{ eventType: string; value: unknown }> = [];
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

const cached = require.cache[parseSaxPath];
if (!cached) {
  // Seed the module cache so exceljs's own require of parse-sax gets this version.
  const Module = require('node:module') as { new (id: string): NodeJS.Module } & typeof import('node:module');
  const m = new (Module as unknown as new (id: string) => NodeJS.Module)(parseSaxPath);
  m.filename = parseSaxPath;
  m.loaded = true;
  m.exports = parseSax;
  require.cache[parseSaxPath] = m;
} else if (cached.exports !== parseSax) {
  throw new Error('exceljs was loaded before src/io/excel.ts; import exceljs from src/io/excel.ts only');
}

/**
 * The second repair: a cap on what the streaming reader inflates. Every entry exceljs's unzipper
 * emits is written to by its inflater; counting those writes per workbook and stopping at
 * XLSX_LIMITS.maxInflatedBytes bounds memory, disk (worksheets it parks in temp files) and time
 * even when a zip's declared sizes lie. The overflow destroys the input stream with a 413 error,
 * which the reader (src/io/table-reader.ts) waits on beside every row.
 */
interface ZipEntryStream {
  path?: unknown;
  write: (chunk: Buffer, ...rest: unknown[]) => boolean;
}
interface ParseStream {
  push: (chunk: unknown, encoding?: unknown) => boolean;
  on(event: 'pipe', fn: (source: { destroy(err?: Error): void }) => void): void;
}
const unzipper = createRequire(require.resolve('exceljs/lib/stream/xlsx/workbook-reader.js'))('unzipper') as { Parse: (opts?: unknown) => ParseStream };
const realParse = unzipper.Parse;
if (!(realParse as { capped?: boolean }).capped) {
  const capped = function cappedParse(opts?: unknown): ParseStream {
    const parse = realParse(opts);
    let source: { destroy(err?: Error): void } | null = null;
    parse.on('pipe', (src) => {
      source = src;
    });
    let total = 0;
    let failed = false;
    const push = parse.push;
    parse.push = function (chunk: unknown, encoding?: unknown) {
      const entry = chunk as ZipEntryStream | null;
      if (entry && typeof entry === 'object' && typeof entry.path === 'string' && typeof entry.write === 'function') {
        const write = entry.write;
        entry.write = function (data: Buffer, ...rest: unknown[]) {
          total += data.length;
          if (total > XLSX_LIMITS.maxInflatedBytes) {
            if (!failed) {
              failed = true;
              source?.destroy(inflatedTooLarge());
            }
            return false; // the inflater waits for a drain that never comes: inflating stops
          }
          return write.call(this, data, ...rest);
        };
      }
      return push.call(this, chunk, encoding);
    };
    return parse;
  };
  (capped as { capped?: boolean }).capped = true;
  unzipper.Parse = capped;
}

const ExcelJS = require('exceljs') as typeof import('exceljs');
export default ExcelJS;
export type { Row, Workbook, Worksheet } from 'exceljs';

/**
 * Files of a ledger: the import template, and exports (.xlsx streamed, .csv UTF-8 with BOM)
 * whose headers are the import headers, so an export imports back as it was.
 */
import { PassThrough, type Readable } from 'node:stream';
// exceljs (some 190 modules) is loaded when a file is written, not when the server starts.
import type { ColumnDef } from '../domain/tree-import.ts';
import type { FieldDef, LedgerDef } from '../domain/ledgers/types.ts';
import { neutralizeFormula } from '../domain/ledgers/values.ts';
import { idCheckChar } from '../domain/id-number.ts';
import { templateWorkbook } from './template.ts';

function exampleValue(f: FieldDef, areaCode: string, orgCode: string): string {
  switch (f.type) {
    case 'enum':
      return f.values![0]!;
    case 'date':
      return '2023-05-06';
    case 'integer':
      return '1';
    case 'amount':
      return '100.00';
    case 'quantity':
      return '1.5';
    case 'boolean':
      return '否';
    case 'area':
      return areaCode;
    case 'org':
      return orgCode;
    case 'unit':
      return areaCode;
    case 'idNumber': {
      const body = '11010119900307123';
      return body + idCheckChar(body);
    }
    case 'phone':
      return '13800000000';
    default:
      return `示例${f.label}`;
  }
}

export function ledgerColumns(def: LedgerDef, example: { areaCode: string; orgCode: string }): ColumnDef[] {
  return def.fields
    .filter((f) => !f.derived)
    .map((f) => ({
      header: f.label,
      key: f.key,
      required: Boolean(f.required),
      kind: f.type === 'enum' || f.type === 'boolean' ? 'enum' : f.type === 'date' ? 'date' : f.type === 'area' || f.type === 'org' || f.type === 'unit' ? 'code' : 'text',
      ...(f.type === 'enum' ? { values: f.values! } : f.type === 'boolean' ? { values: ['是', '否'] } : {}),
      example: exampleValue(f, example.areaCode, example.orgCode),
      ...(f.hint ? { note: f.hint } : f.areaKind ? { note: `填写${f.areaKind}的编码` } : {}),
    }));
}

export function ledgerTemplate(def: LedgerDef, example: { areaCode: string; orgCode: string }): Promise<Buffer> {
  return templateWorkbook(def.title, ledgerColumns(def, example));
}

export type ExportCell = string | number | boolean | null;

function csvCell(v: ExportCell): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? neutralizeFormula(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Streams an export. `rows` yields pages of records already presented (codes, yuan, 是/否);
 * the file is written as the pages come, so a large export does not sit in memory.
 */
export function exportStream(def: LedgerDef, format: 'xlsx' | 'csv', rows: AsyncIterable<Array<Record<string, ExportCell>>>): Readable {
  const fields = def.fields.filter((f) => !f.derived);
  const out = new PassThrough();
  if (format === 'csv') {
    (async () => {
      out.write(`\uFEFF${fields.map((f) => csvCell(f.label)).join(',')}\r\n`);
      for await (const page of rows) {
        const chunk = page.map((r) => fields.map((f) => csvCell(cell(f, r[f.key] ?? null))).join(',')).join('\r\n');
        if (chunk) out.write(`${chunk}\r\n`);
      }
      out.end();
    })().catch((e) => out.destroy(e as Error));
    return out;
  }
  (async () => {
    const { default: ExcelJS } = await import('./excel.ts');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet(def.title);
    ws.columns = fields.map((f) => ({ header: f.label, key: f.key, width: Math.max(12, f.label.length * 3 + 2) }));
    for await (const page of rows) {
      for (const r of page) {
        const values: Record<string, ExportCell> = {};
        for (const f of fields) {
          const v = cell(f, r[f.key] ?? null);
          values[f.key] = typeof v === 'string' ? neutralizeFormula(v) : v;
        }
        ws.addRow(values).commit();
      }
    }
    ws.commit();
    await wb.commit();
  })().catch((e) => out.destroy(e as Error));
  return out;
}

/** Numbers stay numbers in a spreadsheet; money keeps its two decimals as text-free numbers. */
function cell(f: FieldDef, v: ExportCell): ExportCell {
  if (v === null) return null;
  if (f.type === 'integer') return Number(v);
  return v;
}

/**
 * How a ledger's fields map to table columns. Pure, so the migration that creates the tables, the
 * store that reads and writes them, and the test that checks they agree all use one mapping.
 */
import type { FieldDef, LedgerDef } from './types.ts';

export interface ColumnSpec {
  name: string;
  type: 'text' | 'integer' | 'bigint';
  references?: 'areas' | 'orgs';
}

export function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function ledgerTable(key: string): string {
  return `lg_${key}`;
}

/** The columns holding one field. */
const columnsMemo = new WeakMap<FieldDef, ColumnSpec[]>();

/** The columns a field is stored in (the same answer every time: memoized per field, as imports ask per row). */
export function fieldColumns(f: FieldDef): ColumnSpec[] {
  let cols = columnsMemo.get(f);
  if (!cols) columnsMemo.set(f, (cols = columnsOf(f)));
  return cols;
}

function columnsOf(f: FieldDef): ColumnSpec[] {
  const c = snake(f.key);
  switch (f.type) {
    case 'text':
    case 'longtext':
    case 'enum':
    case 'date':
      return [{ name: c, type: 'text' }];
    case 'integer':
    case 'boolean':
      return [{ name: c, type: 'integer' }];
    case 'amount':
    case 'quantity':
      return [{ name: c, type: 'bigint' }];
    case 'area':
      return [{ name: `${c}_ref`, type: 'integer', references: 'areas' }];
    case 'org':
      return [{ name: `${c}_ref`, type: 'integer', references: 'orgs' }];
    case 'unit':
      // A unit is an area or an organization; the area column always holds the unit's area.
      return [
        { name: `${c}_area_ref`, type: 'integer', references: 'areas' },
        { name: `${c}_org_ref`, type: 'integer', references: 'orgs' },
      ];
    case 'idNumber':
    case 'phone':
      // Ciphertext, and a keyed hash for uniqueness and exact search.
      return [
        { name: `${c}_enc`, type: 'text' },
        { name: `${c}_hash`, type: 'text' },
      ];
  }
}

/** Columns every ledger table has besides its fields. */
export const SYSTEM_COLUMNS: ColumnSpec[] = [
  { name: 'area_id', type: 'integer', references: 'areas' },
  { name: 'root_id', type: 'integer', references: 'areas' },
  { name: 'version', type: 'integer' },
  { name: 'created_at', type: 'text' },
  { name: 'created_by', type: 'integer' },
  { name: 'updated_at', type: 'text' },
  { name: 'updated_by', type: 'integer' },
  { name: 'deleted_at', type: 'text' },
  { name: 'deleted_by', type: 'integer' },
  { name: 'import_id', type: 'integer' },
];

export interface TableSpec {
  table: string;
  columns: ColumnSpec[];
  /** Columns to index (besides id): the date field, the area, search keys. */
  indexes: string[][];
  /** Columns unique among live (not deleted) records. */
  unique: string[];
}

export function ledgerTableSpec(def: LedgerDef): TableSpec {
  const columns = [...def.fields.flatMap(fieldColumns), ...SYSTEM_COLUMNS];
  const dateCol = snake(def.dateField);
  const indexes: string[][] = [['area_id', dateCol], [dateCol], ['root_id', dateCol]];
  const unique: string[] = [];
  if (def.naturalKey) {
    const f = def.fields.find((x) => x.key === def.naturalKey)!;
    const cols = fieldColumns(f);
    unique.push(f.type === 'idNumber' || f.type === 'phone' ? cols[1]!.name : cols[0]!.name);
  }
  return { table: ledgerTable(def.key), columns, indexes, unique };
}

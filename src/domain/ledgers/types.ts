/**
 * The shape of a ledger definition. Everything generic about ledgers — tables, validation,
 * import templates, parsing, export, the record API, list and form pages, metric fields — is
 * derived from these definitions; adding a ledger is adding a definition.
 */
import type { AreaKind } from '../../shared/constants.ts';

export type FieldType =
  | 'text'
  | 'longtext'
  | 'enum'
  | 'date'
  | 'integer'
  /** Money in yuan at the edge (at most 2 decimals), integer fen inside. */
  | 'amount'
  /** A measured quantity (at most 3 decimals), integer thousandths inside. */
  | 'quantity'
  /** 是 / 否 at the edge, 1 / 0 inside. */
  | 'boolean'
  /** An area code. */
  | 'area'
  /** A Party organization code. */
  | 'org'
  /** A code naming either an area or an organization (责任单位, 发布单位, 承办单位). */
  | 'unit'
  /** 公民身份号码: checked, encrypted at rest, masked when shown. */
  | 'idNumber'
  /** 手机号码: encrypted at rest, masked when shown. */
  | 'phone';

export interface FieldDef {
  key: string;
  /** The import column header and the label users see. */
  label: string;
  type: FieldType;
  required?: boolean;
  values?: readonly string[];
  /** Unit shown beside a number (人, 元, 公顷 …). */
  unit?: string;
  /** For `area` fields: the kind the area must be (网格编码 → 网格). */
  areaKind?: AreaKind;
  /** Computed from other fields when a record is written; not imported, not editable. */
  derived?: boolean;
  /** A short hint shown in the template and the form. */
  hint?: string;
}

/** Values of a record as the domain sees them: dates as text, money in fen, refs as codes. */
export type LedgerValues = Record<string, string | number | null>;

export interface FieldProblem {
  field: string;
  message: string;
}

export interface LedgerContext {
  /** Today in Asia/Shanghai, for rules that look at "now". */
  today: string;
}

export interface LedgerDef {
  key: string;
  title: string;
  fields: FieldDef[];
  /** The date field ranges and months apply to by default. */
  dateField: string;
  /** The field whose area (or organization's area) is the record's area; null: the importer's. */
  areaField: string | null;
  /** A field unique among live records (工单编号, 事项编号, 设施编码, 公民身份号码). */
  naturalKey?: string;
  /** Checks across fields, beyond each field's own type: errors refuse the record. */
  check?: (v: LedgerValues, ctx: LedgerContext) => { errors: FieldProblem[]; warnings: FieldProblem[] };
  /** Fills the derived fields from the others. */
  derive?: (v: LedgerValues) => LedgerValues;
}

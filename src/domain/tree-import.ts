/**
 * Import columns of the `areas` and `orgs` ledgers (CONTRACTS §3) and the checks of one row
 * that need nothing but the row itself. Checks against stored nodes are the store's.
 */
import { AREA_KINDS, GRID_TYPES, ORG_CATEGORIES, ORG_KINDS, type AreaKind, type OrgKind } from '../shared/constants.ts';
import { CODE_HINT, CODE_PATTERN } from './tree.ts';
import { nameProblem, normalizeText } from '../shared/text.ts';

export interface ColumnDef {
  header: string;
  key: string;
  required: boolean;
  kind: 'code' | 'text' | 'enum' | 'date';
  values?: readonly string[];
  example: string;
  note?: string;
}

export const TREE_COLUMNS: Record<'areas' | 'orgs', ColumnDef[]> = {
  areas: [
    { header: '编码', key: 'code', required: true, kind: 'code', example: 'JD01-SQ01' },
    { header: '名称', key: 'name', required: true, kind: 'text', example: '幸福社区' },
    { header: '类型', key: 'kind', required: true, kind: 'enum', values: AREA_KINDS, example: '社区' },
    { header: '上级编码', key: 'parentCode', required: false, kind: 'code', example: 'JD01', note: '只有根区域可以为空' },
    { header: '网格类型', key: 'gridType', required: false, kind: 'text', example: '', note: `仅网格填写，如：${GRID_TYPES.slice(0, 3).join('、')}` },
  ],
  orgs: [
    { header: '编码', key: 'code', required: true, kind: 'code', example: 'DZ-SQ01-01' },
    { header: '名称', key: 'name', required: true, kind: 'text', example: '幸福社区第一党支部' },
    { header: '类型', key: 'kind', required: true, kind: 'enum', values: ORG_KINDS, example: '党支部' },
    { header: '上级编码', key: 'parentCode', required: false, kind: 'code', example: 'DW-SQ01' },
    { header: '所在区域编码', key: 'areaCode', required: true, kind: 'code', example: 'JD01-SQ01' },
    { header: '类别', key: 'category', required: false, kind: 'enum', values: ORG_CATEGORIES, example: '社区' },
    { header: '成立日期', key: 'foundedOn', required: false, kind: 'date', example: '2020-07-01', note: '为空表示一直存在' },
    { header: '撤销日期', key: 'dissolvedOn', required: false, kind: 'date', example: '' },
  ],
};

export interface RowProblem {
  column: string;
  message: string;
}

export interface AreaRowInput {
  code: string;
  name: string;
  kind: AreaKind;
  parentCode: string | null;
  gridType: string | null;
}

export interface OrgRowInput {
  code: string;
  name: string;
  kind: OrgKind;
  parentCode: string | null;
  areaCode: string;
  category: string | null;
  foundedOn: string | null;
  dissolvedOn: string | null;
}

/**
 * Checks one row's cells (already as text; dates already parsed or `undefined` when unparseable)
 * and returns the typed input or the problems, each naming its column.
 */
export function checkTreeRow(
  ledger: 'areas' | 'orgs',
  cells: Record<string, string | null | undefined>,
): { input: AreaRowInput | OrgRowInput | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  for (const col of TREE_COLUMNS[ledger]) {
    const v = cells[col.key];
    if (v === undefined) {
      if (col.kind === 'date') problems.push({ column: col.header, message: `“${col.header}”不是有效日期，请写成2023-05-06、2023/5/6或2023年5月6日` });
      continue;
    }
    if (v === null) {
      if (col.required) problems.push({ column: col.header, message: `“${col.header}”不能为空` });
      continue;
    }
    if (col.kind === 'code' && !CODE_PATTERN.test(v)) problems.push({ column: col.header, message: `“${col.header}”格式不正确：${CODE_HINT}` });
    if (col.kind === 'enum' && !col.values!.includes(v)) problems.push({ column: col.header, message: `“${col.header}”只能填写：${col.values!.join('、')}` });
    if (col.kind === 'text') {
      const text = normalizeText(v);
      cells[col.key] = text;
      if ([...text].length > 100) problems.push({ column: col.header, message: `“${col.header}”不能超过100个字` });
      const problem = nameProblem(text, col.header);
      if (problem) problems.push({ column: col.header, message: problem });
    }
  }
  if (ledger === 'areas' && cells.gridType && cells.kind && cells.kind !== '网格') {
    problems.push({ column: '网格类型', message: '只有类型为“网格”的区域才填写网格类型' });
  }
  if (ledger === 'orgs' && cells.foundedOn && cells.dissolvedOn && cells.dissolvedOn < cells.foundedOn) {
    problems.push({ column: '撤销日期', message: '撤销日期不能早于成立日期' });
  }
  if (problems.length) return { input: null, problems };
  if (ledger === 'areas') {
    return {
      input: { code: cells.code!, name: cells.name!, kind: cells.kind as AreaKind, parentCode: cells.parentCode ?? null, gridType: cells.gridType ?? null },
      problems,
    };
  }
  return {
    input: {
      code: cells.code!,
      name: cells.name!,
      kind: cells.kind as OrgKind,
      parentCode: cells.parentCode ?? null,
      areaCode: cells.areaCode!,
      category: cells.category ?? null,
      foundedOn: cells.foundedOn ?? null,
      dissolvedOn: cells.dissolvedOn ?? null,
    },
    problems,
  };
}

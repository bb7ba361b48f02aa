/**
 * 工作台: the year's key figures with last year beside them, compliance and targets at a glance,
 * petition and hotline trends, inspections by community and member structure — each a metric
 * query whose records are one click away (every item carries its query).
 */
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { parseGroupBy, parseMeasure, parseRecordQuery } from '../domain/ledgers/query.ts';
import { todayInShanghai } from '../domain/workdays.ts';
import { compliance } from './compliance.ts';
import type { Store } from './db.ts';
import { runMetric, type MetricResult } from './metrics.ts';
import type { Scope } from './scope.ts';
import { listTargets } from './targets.ts';

interface Spec {
  key: string;
  label: string;
  ledger: string;
  measure: string;
  filters?: Record<string, string>;
  dateField?: string;
  groupBy?: string;
}

const ON_REGISTER = { 党籍状态: '正常,停止党籍' };

const KEY_FIGURES: Spec[] = [
  { key: 'projects', label: '服务群众项目', ledger: 'projects', measure: 'count' },
  { key: 'activities', label: '开展活动', ledger: 'activities', measure: 'count' },
  { key: 'participants', label: '活动参与人次', ledger: 'activities', measure: 'sum:参与人数' },
  { key: 'recruited', label: '发展党员', ledger: 'applicants', measure: 'count', dateField: '上级党委批准日期' },
  { key: 'visits', label: '来访人次', ledger: 'petitions', measure: 'sum:人数', filters: { 信访形式: '来访' } },
  { key: 'hotline', label: '热线工单', ledger: 'hotline', measure: 'count' },
  { key: 'hotlineOnTime', label: '热线按时办结率', ledger: 'hotline', measure: 'rate:按时办结=是' },
  { key: 'inspections', label: '安全排查户次', ledger: 'inspections', measure: 'count' },
  { key: 'hazards', label: '发现隐患', ledger: 'inspections', measure: 'sum:发现隐患数' },
  { key: 'services', label: '承办事项', ledger: 'services', measure: 'count' },
  { key: 'relief', label: '救助金（元）', ledger: 'funds', measure: 'sum:金额(元)', filters: { 资金类别: '低保,五保,特困供养,慰问金,奖扶,其他救助' } },
];

async function run(store: Store, scope: Scope, areaCode: string, spec: Spec, from: string, to: string): Promise<MetricResult & { query: string }> {
  const def = ledgerByKey(spec.ledger)!;
  const params: Record<string, string> = { ledger: spec.ledger, measure: spec.measure, area: areaCode, from, to };
  if (spec.dateField) params.dateField = spec.dateField;
  if (spec.groupBy) params.groupBy = spec.groupBy;
  for (const [k, v] of Object.entries(spec.filters ?? {})) params[`f.${k}`] = v;
  const r = await runMetric(store, def, scope, parseRecordQuery(def, params), parseMeasure(def, spec.measure), parseGroupBy(def, spec.groupBy));
  return { ...r, query: `/api/metrics/query?${new URLSearchParams(params)}` };
}

export async function dashboard(store: Store, scope: Scope, areaCode: string, year: number) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const today = todayInShanghai();
  const asOf = today <= to ? today : `${year + 1}-01-01`;
  // Independent queries, run together: on SQLite the read pool's workers answer them side by side.
  const [figures, comp, targetViews, petitions, hotline, inspectionsByCommunity, gender, age] = await Promise.all([
    Promise.all(
      KEY_FIGURES.map(async (spec) => {
        const [now, last] = await Promise.all([run(store, scope, areaCode, spec, from, to), run(store, scope, areaCode, spec, `${year - 1}-01-01`, `${year - 1}-12-31`)]);
        return { key: spec.key, label: spec.label, value: now.value, unit: now.unit, lastYear: last.value, query: now.query };
      }),
    ),
    compliance(store, scope, year, asOf),
    listTargets(store, scope, year, asOf),
    run(store, scope, areaCode, { key: 'p', label: '信访', ledger: 'petitions', measure: 'count', groupBy: 'month' }, from, to),
    run(store, scope, areaCode, { key: 'h', label: '热线', ledger: 'hotline', measure: 'count', groupBy: 'month' }, from, to),
    run(store, scope, areaCode, { key: 'i', label: '安全排查', ledger: 'inspections', measure: 'count', groupBy: 'area:社区' }, from, to),
    // Members on the register: those who left (出党, 去世, 已转出) are not counted.
    run(store, scope, areaCode, { key: 'g', label: '性别', ledger: 'members', measure: 'count', groupBy: 'gender', filters: ON_REGISTER }, '1900-01-01', to),
    run(store, scope, areaCode, { key: 'a', label: '年龄', ledger: 'members', measure: 'count', groupBy: 'age:出生日期', filters: ON_REGISTER }, '1900-01-01', to),
  ]);
  const cells = comp.rows.flatMap((r) => r.cells);
  const complianceSummary = {
    organizations: comp.rows.length,
    met: cells.filter((c) => c.status === 'met').length,
    missed: cells.filter((c) => c.status === 'missed').length,
    due: cells.filter((c) => c.status === 'due').length,
    findings: comp.findings.slice(0, 20),
    query: `/api/compliance?${new URLSearchParams({ area: areaCode, year: String(year), asOf })}`,
  };
  const targets = targetViews.map((t) => ({ id: t.id, title: t.title, status: t.status, statusLabel: t.statusLabel, value: t.value, threshold: t.threshold, query: t.query }));
  const trends = { petitions, hotline };
  const members = { gender, age };
  return { area: areaCode, year, figures, compliance: complianceSummary, targets, trends, inspectionsByCommunity, members };
}

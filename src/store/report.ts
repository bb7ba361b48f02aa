/**
 * The annual report composed from records: every figure of the template run as a metric query
 * for the report's area and year (the query travels with the figure), the 问题清单 drafted from
 * compliance findings, overdue petitions and tickets and overdue 发展党员 steps, and the plans.
 */
import { AppError } from '../shared/errors.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import { parseGroupBy, parseMeasure, parseRecordQuery } from '../domain/ledgers/query.ts';
import { DEFAULT_TEMPLATE, formatFigure, type FigureSpec, type ReportTemplate } from '../domain/report/template.ts';
import { todayInShanghai } from '../domain/workdays.ts';
import { compliance } from './compliance.ts';
import type { Store } from './db.ts';
import { runMetric } from './metrics.ts';
import { reminders } from './recruitment.ts';
import type { Scope } from './scope.ts';
import { withWrite } from './unit-of-work.ts';
import { listTargets, type TargetView } from './targets.ts';

export interface ReportFigure {
  key: string;
  label: string;
  value: number | string;
  unit: string | null;
  /** The metric query that produced `value` (CONTRACTS §4). */
  query: string;
}

export interface AnnualReport {
  title: string;
  area: { code: string; name: string };
  year: number;
  opening: string;
  sections: Array<{ title: string; paragraphs: Array<{ text: string; figures: ReportFigure[] }> }>;
  problems: Array<{ text: string; evidence: { query?: string; items?: unknown[] } }>;
  causes: string[];
  /** Next year's targets when defined (each with its live progress), else the template's plans. */
  plans: Array<{ text: string; target: TargetView | null }>;
  /** This year's targets and how they stand. */
  targets: TargetView[];
  generatedAt: string;
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}

async function figure(store: Store, scope: Scope, areaCode: string, year: number, spec: FigureSpec, committee: string | null): Promise<ReportFigure & { text: string }> {
  const def = ledgerByKey(spec.ledger);
  if (!def) throw new AppError('VALIDATION_FAILED', `报告模板中的台账“${spec.ledger}”不存在`);
  const params: Record<string, string> = { ledger: spec.ledger, measure: spec.measure, area: areaCode };
  if (spec.range !== 'yearEnd') params.from = `${year}-01-01`;
  params.to = `${year}-12-31`;
  if (spec.dateField) params.dateField = spec.dateField;
  for (const [k, v] of Object.entries(spec.filters ?? {})) params[`f.${k}`] = v === '{{workingCommittee}}' ? (committee ?? '—') : v;
  const rq = parseRecordQuery(def, params);
  const result = await runMetric(store, def, scope, rq, parseMeasure(def, spec.measure), parseGroupBy(def, undefined));
  return {
    key: spec.key,
    label: spec.label,
    value: result.value,
    unit: result.unit,
    query: `/api/metrics/query?${new URLSearchParams(params).toString()}`,
    text: formatFigure(result.value, result.unit, spec.format),
  };
}

export async function composeAnnualReport(store: Store, scope: Scope, areaCode: string, year: number, given?: ReportTemplate): Promise<AnnualReport> {
  const template = given ?? (await getTemplate(store, areaCode, year)).template;
  const area = await store.db.selectFrom('areas').select(['id', 'code', 'name']).where('code', '=', areaCode).executeTakeFirst();
  if (!area) throw new AppError('NOT_FOUND', `没有找到编码为“${areaCode}”的区域`);
  // The report area's 党工委 (党组织 of kind 党工委 located in it), for figures about its own meetings.
  const committee = await store.db.selectFrom('orgs').select('code').where('area_id', '=', area.id).where('kind', '=', '党工委').orderBy('id').executeTakeFirst();
  // Every figure at once (independent queries; on SQLite the read pool answers them side by side), in template order.
  const sections: AnnualReport['sections'] = await Promise.all(
    template.achievements.map(async (s) => ({
      title: s.title,
      paragraphs: await Promise.all(
        s.paragraphs.map(async (p) => {
          const figures = await Promise.all(p.figures.map((spec) => figure(store, scope, area.code, year, spec, committee?.code ?? null)));
          const vars = Object.fromEntries(figures.map((x) => [x.key, x.text]));
          return { text: fill(p.text, vars), figures: figures.map(({ text, ...rest }) => (void text, rest)) };
        }),
      ),
    })),
  );

  // 问题清单, drafted from the data; the secretary adds the causes.
  const today = todayInShanghai();
  const asOf = today <= `${year}-12-31` ? today : `${year + 1}-01-01`;
  const problems: AnnualReport['problems'] = [];
  const count = async (ledger: string, filters: Record<string, string>, dateField?: string) => {
    const def = ledgerByKey(ledger)!;
    const params: Record<string, string> = { ledger, measure: 'count', area: area.code, from: `${year}-01-01`, to: `${year}-12-31`, ...(dateField ? { dateField } : {}) };
    for (const [k, v] of Object.entries(filters)) params[`f.${k}`] = v;
    const r = await runMetric(store, def, scope, parseRecordQuery(def, params), { kind: 'count' }, null);
    return { n: Number(r.value), query: `/api/metrics/records?${new URLSearchParams(params)}` };
  };
  const [comp, lateP, lateH, due, targets] = await Promise.all([
    compliance(store, scope, year, asOf),
    count('petitions', { 办理时效: '超期办结' }),
    count('hotline', { 按时办结: '否' }),
    reminders(store, scope, asOf, 0),
    listTargets(store, scope, year, asOf),
  ]);
  if (comp.findings.length) {
    const orgs = new Set(comp.findings.map((f) => f.org)).size;
    const byType = new Map<string, number>();
    for (const f of comp.findings) byType.set(f.meetingType, (byType.get(f.meetingType) ?? 0) + 1);
    const parts = [...byType].map(([t, n]) => `${t}${n}次`).join('、');
    problems.push({
      text: `“三会一课”等组织生活制度落实有差距：${orgs}个党组织共${comp.findings.length}个期间未按规定召开会议（${parts}）。`,
      evidence: { query: `/api/compliance?${new URLSearchParams({ area: area.code, year: String(year), asOf })}`, items: comp.findings },
    });
  }
  if (lateP.n) problems.push({ text: `信访事项办理时效有待提高：${lateP.n}件信访事项超过法定期限（受理之日起60日，延长不超过30日）办结。`, evidence: { query: lateP.query } });
  if (lateH.n) problems.push({ text: `热线工单按时办结率有待提升：${lateH.n}件工单超出办理时限办结。`, evidence: { query: lateH.query } });
  const overdue = due.filter((r) => r.action.overdue && r.action.latest !== null && r.action.latest <= `${year}-12-31`);
  if (overdue.length) {
    problems.push({
      text: `发展党员工作程序衔接不够及时：${overdue.length}个环节超过规定时限尚未办理。`,
      evidence: { items: overdue.map((o) => ({ applicantId: o.applicantId, name: o.name, org: o.org, step: o.action.label, latest: o.action.latest })) },
    });
  }

  const missed = targets.filter((t) => t.status === 'missed');
  if (missed.length) {
    problems.push({
      text: `部分年度目标未完成：${missed
        .map((t) =>
          t.period === 'year'
            ? `“${t.title}”（目标${t.comparison === '<=' ? '不超过' : ''}${t.threshold}，实际${t.value}）`
            : `“${t.title}”（${t.periods.filter((p) => p.status === 'missed').map((p) => p.period).join('、')}未达到）`,
        )
        .join('；')}。`,
      evidence: { items: missed.map((t) => ({ title: t.title, threshold: t.threshold, value: t.value, periods: t.periods, query: t.query })) },
    });
  }
  const next = await listTargets(store, scope, year + 1, today);
  const plans = next.length
    ? next.map((t, i) => ({ text: `${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'][i] ?? i + 1}是${t.title}。`, target: t }))
    : template.plans.map((text) => ({ text, target: null }));

  const vars = { year: String(year), areaName: area.name };
  return {
    title: fill(template.title, vars),
    area: { code: area.code, name: area.name },
    year,
    opening: fill(template.opening, vars),
    sections,
    problems,
    causes: template.causes,
    plans,
    targets,
    generatedAt: new Date().toISOString(),
  };
}

/** The template a report of (area, year) is written from: the street's saved wording, else the default. */
export async function getTemplate(store: Store, areaCode: string, year: number): Promise<{ template: ReportTemplate; saved: boolean }> {
  const row = await store.db
    .selectFrom('report_templates as t')
    .innerJoin('areas as a', 'a.id', 't.area_id')
    .select('t.template')
    .where('a.code', '=', areaCode)
    .where('t.year', '=', year)
    .executeTakeFirst();
  return row ? { template: JSON.parse(row.template) as ReportTemplate, saved: true } : { template: DEFAULT_TEMPLATE, saved: false };
}

/**
 * Saves a street's edited template — wording, paragraphs and figures added, moved or removed.
 * Every figure is checked by running its query once, so a broken figure is refused now.
 */
export async function saveTemplate(store: Store, actor: import('./unit-of-work.ts').Actor, scope: Scope, areaCode: string, year: number, template: ReportTemplate): Promise<void> {
  const area = await store.db.selectFrom('areas').select(['id', 'path']).where('code', '=', areaCode).executeTakeFirst();
  if (!area) throw new AppError('NOT_FOUND', `没有找到编码为“${areaCode}”的区域`);
  for (const s of template.achievements) {
    for (const p of s.paragraphs) {
      const keys = new Set(p.figures.map((f) => f.key));
      for (const m of p.text.matchAll(/\{\{(\w+)\}\}/g)) {
        if (!keys.has(m[1]!)) throw new AppError('VALIDATION_FAILED', `段落“${p.text.slice(0, 20)}…”中的数字“${m[1]}”没有对应的指标`);
      }
      for (const f of p.figures) await figure(store, scope, areaCode, year, f, null);
    }
  }
  const json = JSON.stringify(template);
  await withWrite(store, actor, async (w) => {
    const exists = await w.trx.selectFrom('report_templates').select('id').where('area_id', '=', area.id).where('year', '=', year).executeTakeFirst();
    if (exists) await w.trx.updateTable('report_templates').set({ template: json, updated_at: w.now.toISOString(), updated_by: actor.userId }).where('id', '=', exists.id).execute();
    else await w.trx.insertInto('report_templates').values({ area_id: area.id, year, template: json, updated_at: w.now.toISOString(), updated_by: actor.userId }).execute();
    await w.audit({ action: 'update', entity: 'report_template', entityId: `${areaCode}-${year}`, areaPath: area.path, after: { sections: template.achievements.length } });
  });
}

/**
 * 年度述职报告: the report of the chosen area (the header's picker) and year, composed from the
 * records on every visit, set like a document with every figure a link to the records behind it;
 * Word (公文 format) and Markdown downloads; 定稿封账 for leaders, after which the stored report
 * (定稿版, byte for byte, with its SHA-256) and the 差异 of figures changed since are shown.
 */
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Empty, Grid, Result, Select, Skeleton, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckCircleOutlined, DiffOutlined, FileMarkdownOutlined, FileWordOutlined, LockOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam, useAreas } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { formatInstant } from '../../lib/format.ts';
import { useFetch } from '../../lib/useFetch.ts';
import { fullValue, type AnnualReport, type ReportDiff, type ReportFigure, type ReportTemplate } from './figures.ts';
import { EvidenceDrawer, ReportDocument, figureTarget } from './ReportDocument.tsx';
import { RecordsDrawer, type RecordsTarget } from './RecordsDrawer.tsx';
import './report.css';

type Problem = AnnualReport['problems'][number];

const YEAR_KEY = 'jiceng.report.year';
const THIS_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

/** Years that have records (组织生活 by quarter), to offer and to default to the last full one. */
function useYears(area: string | null): { years: number[]; loading: boolean } {
  const { data, loading, error } = useFetch<{ groups?: Array<{ key: string }> }>(withArea('/api/metrics/query', area, { ledger: 'meetings', measure: 'count', groupBy: 'quarter' }));
  const years = useMemo(() => {
    const set = new Set<number>((data?.groups ?? []).map((g) => Number(g.key.slice(0, 4))).filter((y) => y >= 2000 && y <= THIS_YEAR));
    return [...set].sort((a, b) => b - a);
  }, [data]);
  return { years, loading: loading && !error };
}

export function ReportPage() {
  const me = useMe();
  const { modal, message } = App.useApp();
  const phone = Grid.useBreakpoint().md === false;
  const [params, setParams] = useSearchParams();
  const [areaParam] = useAreaParam();
  const areas = useAreas();
  const area = areaParam ?? me.area?.code ?? null;
  const areaName = (area && areas.byCode.get(area)?.name) ?? me.area?.name ?? '';
  const canFinalize = me.permissions.includes('reports.finalize');

  const { years, loading: yearsLoading } = useYears(areaParam);
  // The year chosen last (this tab) when the URL names none: the menu keeps only the area.
  const asked = Number(params.get('year')) || Number(sessionStorage.getItem(YEAR_KEY));
  const year = asked >= 2000 && asked <= 2100 ? asked : yearsLoading ? null : (years.find((y) => y < THIS_YEAR) ?? years[0] ?? THIS_YEAR - 1);
  useEffect(() => {
    if (year && params.get('year') === String(year)) sessionStorage.setItem(YEAR_KEY, String(year));
  }, [year, params]);
  const tab = params.get('tab') ?? 'report';
  const setParam = (k: string, v: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (v === null) next.delete(k);
      else next.set(k, v);
      return next;
    });

  const q = year ? { year: String(year) } : {};
  const report = useFetch<AnnualReport>(year ? withArea('/api/reports/annual', area, q) : null);
  // The 差异 answer says whether (and when, and with which hash) the year is finalized: 404 if not.
  const status = useFetch<ReportDiff>(year ? withArea('/api/reports/annual/diff', area, q) : null);
  const finalized = status.data;
  const notFinalized = status.error?.status === 404;
  // The wording the report is written from (the street's own, or the default): where each figure stands.
  const template = useFetch<{ template: ReportTemplate; saved: boolean }>(year ? withArea('/api/reports/annual/template', area, q) : null);
  const final = useFetch<AnnualReport>(year && finalized && tab === 'final' ? withArea('/api/reports/annual/finalized', area, q) : null);

  const [target, setTarget] = useState<RecordsTarget | null>(null);
  const [evidence, setEvidence] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const yearOptions = useMemo(() => {
    const set = new Set<number>(years);
    if (year) set.add(year);
    for (let y = THIS_YEAR; y >= THIS_YEAR - 4; y--) set.add(y);
    return [...set].sort((a, b) => b - a).map((y) => ({ value: y, label: `${y}年度` }));
  }, [years, year]);

  const download = (format: 'docx' | 'md', stored = false) => withArea(stored ? '/api/reports/annual/finalized' : '/api/reports/annual', area, { ...q, format });

  function openEvidence(p: Problem) {
    if (p.evidence.query?.startsWith('/api/metrics/')) setTarget({ label: p.text.replace(/：.*$/, ''), query: p.evidence.query, note: p.text });
    else setEvidence(p);
  }

  function confirmFinalize() {
    if (!year) return;
    modal.confirm({
      title: `定稿封账：${areaName}${year}年度述职报告`,
      icon: <LockOutlined />,
      width: 520,
      content: (
        <div data-testid="finalize-confirm">
          <p>定稿后，系统按当前记录保存报告全文、各项数字和Word文件，并计算校验码（SHA-256），今后“查看定稿版”原样调出，不再变化。</p>
          <p style={{ marginBottom: 0 }}>
            同时<b>{year}年度封账</b>：该年度的台账记录不能再直接修改、删除或导入，只能提交更正申请，经另一位领导审批后生效；已定稿的报告不会因此改变，“差异”页列出定稿后发生变化的数字。此操作不能撤销。
          </p>
        </div>
      ),
      okText: '确认定稿封账',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'finalize-ok' } as ButtonProps,
      onOk: async () => {
        setBusy(true);
        try {
          const r = await api.post<{ sha256: string }>('/api/reports/annual/finalize', { ...(area ? { area } : {}), year });
          message.success(`已定稿封账，校验码 ${r.sha256.slice(0, 12)}…`);
          status.reload();
        } catch (e) {
          message.error(errorMessage(e));
          status.reload();
        } finally {
          setBusy(false);
        }
      },
    });
  }

  const finalNote = (f: ReportFigure) => {
    const c = finalized?.changed.find((x) => x.key === f.key);
    if (!c) return undefined;
    return <Tag color="warning">定稿后有变化：定稿时 {fullValue({ ...f, value: c.finalValue })}，按当前记录 {fullValue({ ...f, value: c.currentValue })}</Tag>;
  };

  const statusLine = finalized ? (
    <Space size={6} wrap data-testid="report-finalized">
      <Tag color="success" icon={<CheckCircleOutlined />} style={{ marginInlineEnd: 0 }}>
        已定稿
      </Tag>
      <Typography.Text type="secondary">{formatInstant(finalized.finalizedAt)}</Typography.Text>
      <Tooltip title={<span style={{ wordBreak: 'break-all' }}>SHA-256：{finalized.sha256}</span>}>
        <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }} data-testid="report-sha">
          <SafetyCertificateOutlined /> {finalized.sha256.slice(0, 12)}
        </Typography.Text>
      </Tooltip>
    </Space>
  ) : notFinalized ? (
    <Tag data-testid="report-draft" style={{ marginInlineEnd: 0 }}>
      未定稿 · 按当前记录生成
    </Tag>
  ) : null;

  const toolbar = (
    <div className="report-toolbar">
      <Space wrap size={8}>
        <Select<number>
          data-testid="report-year"
          aria-label="年度"
          value={year ?? undefined}
          loading={yearsLoading}
          options={yearOptions}
          onChange={(y) => setParam('year', String(y))}
          style={{ width: 116 }}
        />
        <Button icon={<FileWordOutlined />} href={year ? download('docx') : undefined} disabled={!year} download data-testid="report-docx">
          下载Word
        </Button>
        <Button icon={<FileMarkdownOutlined />} href={year ? download('md') : undefined} disabled={!year} download data-testid="report-md">
          下载Markdown
        </Button>
        {canFinalize && notFinalized && (
          <Button type="primary" icon={<LockOutlined />} loading={busy} onClick={confirmFinalize} disabled={!report.data} data-testid="report-finalize">
            定稿封账
          </Button>
        )}
      </Space>
      {statusLine}
    </div>
  );

  const live = (
    <>
      {report.error && <Alert type="error" showIcon title={report.error.message} style={{ marginBottom: 12 }} />}
      {!report.data && (report.loading || !year) ? (
        <div className="report-paper">
          <Skeleton active paragraph={{ rows: 14 }} />
        </div>
      ) : report.data ? (
        <ReportDocument report={report.data} onFigure={setTarget} onEvidence={openEvidence} figureNote={finalNote} template={template.data?.template} />
      ) : null}
    </>
  );

  const stored = (
    <>
      <Alert
        type="info"
        showIcon
        icon={<LockOutlined />}
        style={{ marginBottom: 12 }}
        title={finalized ? `${formatInstant(finalized.finalizedAt)} 定稿时保存的报告，原样调出，校验码 ${finalized.sha256.slice(0, 12)}…` : ''}
        description="文中数字即定稿时的数字；点击数字列出的是按同一查询的当前记录。"
        action={
          <Button size="small" icon={<FileWordOutlined />} href={download('docx', true)} download data-testid="final-docx">
            下载定稿Word
          </Button>
        }
      />
      {final.error && <Alert type="error" showIcon title={final.error.message} />}
      {final.data ? (
        <ReportDocument report={final.data} onFigure={setTarget} onEvidence={openEvidence} figureNote={finalNote} testId="report-final-doc" />
      ) : (
        !final.error && (
          <div className="report-paper">
            <Skeleton active paragraph={{ rows: 14 }} />
          </div>
        )
      )}
    </>
  );

  const diff = finalized && (
    <div data-testid="report-diff">
      <Typography.Paragraph type="secondary">
        与 {formatInstant(finalized.finalizedAt)} 的定稿版相比，按当前记录重新计算后不同的数字。封账后记录只能经审批的更正改变，这里列出的即更正带来的变化。
      </Typography.Paragraph>
      <Table
        size="middle"
        rowKey="key"
        dataSource={finalized.changed}
        pagination={false}
        scroll={{ x: 560 }}
        locale={{ emptyText: <Empty description="定稿以来，报告中的各项数字均未变化" /> }}
        columns={[
          { key: 'label', dataIndex: 'label', title: '指标', width: 220 },
          { key: 'final', title: '定稿时', width: 140, align: 'right', render: (_: unknown, c: ReportDiff['changed'][number]) => fullValue({ key: c.key, value: c.finalValue, unit: c.unit }) },
          {
            key: 'current',
            title: '按当前记录',
            width: 140,
            align: 'right',
            render: (_: unknown, c: ReportDiff['changed'][number]) => <b>{fullValue({ key: c.key, value: c.currentValue, unit: c.unit })}</b>,
          },
          {
            key: 'records',
            title: '记录',
            width: 100,
            render: (_: unknown, c: ReportDiff['changed'][number]) => (
              <a
                role="button"
                data-testid={`diff-${c.key}`}
                onClick={() =>
                  setTarget({
                    ...figureTarget({ key: c.key, label: c.label, value: c.currentValue ?? 0, unit: c.unit, query: c.query }, null),
                    note: <Tag color="warning">定稿时 {fullValue({ key: c.key, value: c.finalValue, unit: c.unit })}</Tag>,
                  })
                }
              >
                查看记录
              </a>
            ),
          },
        ]}
      />
    </div>
  );

  if (!me.permissions.includes('reports.read')) return <Result status="403" title="无权访问" subTitle="您的角色不能查看述职报告。" />;

  return (
    <Card
      className="report-card"
      data-testid="report-page"
      title={
        <div className="report-card-title">
          <span>年度述职报告</span>
          {!phone && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              {areaName}
              {year ? ` · ${year}年度` : ''} · 文中带下划线的数字均可点击，列出其背后的记录
            </Typography.Text>
          )}
        </div>
      }
    >
      {toolbar}
      {finalized ? (
        <Tabs
          activeKey={tab === 'final' || tab === 'diff' ? tab : 'report'}
          onChange={(k) => setParam('tab', k === 'report' ? null : k)}
          items={[
            { key: 'report', label: '当前记录生成', children: live },
            { key: 'final', label: <span data-testid="tab-final">查看定稿版</span>, children: stored },
            {
              key: 'diff',
              label: (
                <span data-testid="tab-diff">
                  <DiffOutlined /> 差异{finalized.changed.length ? <Tag color="warning" style={{ marginInlineStart: 6, marginInlineEnd: 0 }}>{finalized.changed.length}</Tag> : null}
                </span>
              ),
              children: diff,
            },
          ]}
        />
      ) : (
        live
      )}
      {status.error && status.error.status !== 404 && <Alert type="warning" showIcon title={`定稿状态暂不可用：${status.error.message}`} style={{ marginTop: 12 }} />}
      {target && <RecordsDrawer target={target} onClose={() => setTarget(null)} />}
      {evidence && <EvidenceDrawer problem={evidence} onClose={() => setEvidence(null)} onRecords={setTarget} />}
    </Card>
  );
}

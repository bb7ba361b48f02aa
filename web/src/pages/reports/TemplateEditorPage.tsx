/**
 * 报告模板: the wording the annual report is written from — the street's own copy or the default.
 * Sections of paragraphs whose figures are `{{key}}` tokens bound to metric queries: edit a
 * paragraph's text, move it, remove it, add one; add a figure (ledger, measure, filters, format,
 * with its live value) which inserts its token. Saving sends the whole template; the server checks
 * every query and token and answers in Chinese when one is wrong.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Select, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, FunctionOutlined, PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import type { FigureSpec, ParagraphSpec, ReportTemplate } from '../../../../src/domain/report/template.ts';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { useLedgers } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { useYearParam, YearPicker } from '../dashboard/year.tsx';
import { EMPTY_METRIC, MetricBuilder, measureOptions, type Metric } from '../targets/MetricBuilder.tsx';
import '../dashboard/dashboard.css';
import './report.css';

const FORMATS: Array<{ value: NonNullable<FigureSpec['format']>; label: string }> = [
  { value: 'count', label: '整数' },
  { value: 'wan', label: '万元' },
  { value: 'percent', label: '百分比' },
  { value: 'decimal', label: '小数' },
];

function move<T>(list: T[], i: number, d: number): T[] {
  const j = i + d;
  if (j < 0 || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

export function TemplateEditorPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [areaParam] = useAreaParam();
  const [year, setYear] = useYearParam();
  const area = areaParam ?? me.area?.code ?? null;
  const canWrite = ['leader', 'clerk', 'admin'].includes(me.user.role);
  const loaded = useFetch<{ template: ReportTemplate; saved: boolean }>(withArea('/api/reports/annual/template', areaParam, { year: String(year) }));
  const [tpl, setTpl] = useState<ReportTemplate | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [adding, setAdding] = useState<{ s: number; p: number } | null>(null);
  const [savedNow, setSavedNow] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setTpl(loaded.data.template);
      setDirty(false);
      setSavedNow(false);
    }
  }, [loaded.data]);

  const edit = (fn: (t: ReportTemplate) => ReportTemplate) => {
    setTpl((t) => (t ? fn(t) : t));
    setDirty(true);
    setResult(null);
  };
  const editSection = (s: number, fn: (ps: ParagraphSpec[]) => ParagraphSpec[]) =>
    edit((t) => ({ ...t, achievements: t.achievements.map((sec, i) => (i === s ? { ...sec, paragraphs: fn(sec.paragraphs) } : sec)) }));
  const editParagraph = (s: number, p: number, fn: (x: ParagraphSpec) => ParagraphSpec) => editSection(s, (ps) => ps.map((x, i) => (i === p ? fn(x) : x)));

  async function save() {
    if (!tpl) return;
    setBusy(true);
    setResult(null);
    try {
      await api.put('/api/reports/annual/template', { area, year, template: tpl });
      setResult({ ok: true, text: '模板已保存，述职报告将按新模板生成' });
      message.success('模板已保存');
      setSavedNow(true);
      setDirty(false);
    } catch (e) {
      setResult({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  const allKeys = new Set(tpl?.achievements.flatMap((s) => s.paragraphs.flatMap((p) => p.figures.map((f) => f.key))) ?? []);

  return (
    <div data-testid="template-editor">
      <div className="dash-toolbar">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            报告模板
          </Typography.Title>
          {loaded.data && <Tag color={loaded.data.saved || savedNow ? 'red' : 'default'} data-testid="template-kind">{loaded.data.saved || savedNow ? '本区域模板' : '默认模板'}</Tag>}
          {dirty && <Tag color="orange">有未保存的修改</Tag>}
          <Link to={{ pathname: '/reports/annual', search: `?${new URLSearchParams({ ...(areaParam ? { area: areaParam } : {}), year: String(year) })}` }}>查看述职报告</Link>
        </Space>
        <Space wrap>
          <YearPicker year={year} onChange={setYear} testId="template-year" />
          <Button icon={<UndoOutlined />} disabled={!dirty} onClick={() => loaded.data && (setTpl(loaded.data.template), setDirty(false), setResult(null))}>
            放弃修改
          </Button>
          {canWrite && (
            <Button type="primary" icon={<SaveOutlined />} loading={busy} disabled={!tpl} onClick={save} data-testid="template-save">
              保存模板
            </Button>
          )}
        </Space>
      </div>
      {result && <Alert type={result.ok ? 'success' : 'error'} showIcon title={result.text} style={{ marginBottom: 12 }} data-testid="template-result" closable={{ onClose: () => setResult(null) }} />}
      {loaded.error && <Alert type="error" showIcon title={loaded.error.message} />}
      {!tpl && loaded.loading && <Skeleton active paragraph={{ rows: 10 }} />}
      {tpl && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Card size="small" title="标题与开头">
            <Form layout="vertical">
              <Form.Item label="标题（{{year}}、{{areaName}} 自动填入）" style={{ marginBottom: 8 }}>
                <Input value={tpl.title} onChange={(e) => edit((t) => ({ ...t, title: e.target.value }))} data-testid="template-title" />
              </Form.Item>
              <Form.Item label="开头" style={{ marginBottom: 0 }}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} value={tpl.opening} onChange={(e) => edit((t) => ({ ...t, opening: e.target.value }))} />
              </Form.Item>
            </Form>
          </Card>
          {tpl.achievements.map((sec, s) => (
            <Card
              key={s}
              size="small"
              data-testid={`section-${s}`}
              title={<Input variant="borderless" value={sec.title} onChange={(e) => edit((t) => ({ ...t, achievements: t.achievements.map((x, i) => (i === s ? { ...x, title: e.target.value } : x)) }))} style={{ fontWeight: 600, padding: 0 }} />}
              extra={
                <Button size="small" icon={<PlusOutlined />} onClick={() => editSection(s, (ps) => [...ps, { text: '', figures: [] }])} data-testid={`add-paragraph-${s}`}>
                  添加段落
                </Button>
              }
            >
              {sec.paragraphs.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本节没有段落" />}
              {sec.paragraphs.map((para, p) => {
                const tokens = new Set([...para.text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!));
                return (
                  <div key={p} className="tpl-paragraph" data-testid={`paragraph-${s}-${p}`}>
                    <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} value={para.text} onChange={(e) => editParagraph(s, p, (x) => ({ ...x, text: e.target.value }))} data-testid={`paragraph-text-${s}-${p}`} />
                    <div className="tpl-figures">
                      {para.figures.map((f) => (
                        <Tooltip key={f.key} title={`${f.ledger} · ${f.measure}${Object.keys(f.filters ?? {}).length ? ' · ' + Object.entries(f.filters ?? {}).map(([k, v]) => `${k}=${v}`).join('；') : ''}`}>
                          <Tag
                            color={tokens.has(f.key) ? 'red' : 'default'}
                            closable
                            onClose={(e) => {
                              e.preventDefault();
                              editParagraph(s, p, (x) => ({ ...x, figures: x.figures.filter((y) => y.key !== f.key), text: x.text.split(`{{${f.key}}}`).join('') }));
                            }}
                          >
                            {`{{${f.key}}}`} {f.label}
                          </Tag>
                        </Tooltip>
                      ))}
                      <Space size={2} style={{ marginLeft: 'auto' }}>
                        <Button size="small" icon={<FunctionOutlined />} onClick={() => setAdding({ s, p })} data-testid={`add-figure-${s}-${p}`}>
                          添加数字
                        </Button>
                        <Tooltip title="上移">
                          <Button size="small" icon={<ArrowUpOutlined />} disabled={p === 0} onClick={() => editSection(s, (ps) => move(ps, p, -1))} aria-label="上移" />
                        </Tooltip>
                        <Tooltip title="下移">
                          <Button size="small" icon={<ArrowDownOutlined />} disabled={p === sec.paragraphs.length - 1} onClick={() => editSection(s, (ps) => move(ps, p, 1))} aria-label="下移" />
                        </Tooltip>
                        <Tooltip title="删除段落">
                          <Button size="small" danger icon={<DeleteOutlined />} onClick={() => editSection(s, (ps) => ps.filter((_, i) => i !== p))} aria-label="删除段落" data-testid={`remove-paragraph-${s}-${p}`} />
                        </Tooltip>
                      </Space>
                    </div>
                  </div>
                );
              })}
            </Card>
          ))}
          <Card size="small" title="原因分析与下一步工作思路">
            <Typography.Text type="secondary">原因分析（每行一条）</Typography.Text>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} value={tpl.causes.join('\n')} onChange={(e) => edit((t) => ({ ...t, causes: e.target.value.split('\n') }))} style={{ marginBottom: 8 }} />
            <Typography.Text type="secondary">下一步工作思路（每行一条）</Typography.Text>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} value={tpl.plans.join('\n')} onChange={(e) => edit((t) => ({ ...t, plans: e.target.value.split('\n') }))} />
          </Card>
        </Space>
      )}
      {adding && tpl && (
        <AddFigure
          area={area}
          year={year}
          taken={allKeys}
          onClose={(f) => {
            if (f) editParagraph(adding.s, adding.p, (x) => ({ ...x, figures: [...x.figures, f], text: `${x.text}{{${f.key}}}` }));
            setAdding(null);
          }}
        />
      )}
    </div>
  );
}

function AddFigure({ area, year, taken, onClose }: { area: string | null; year: number; taken: Set<string>; onClose: (f: FigureSpec | null) => void }) {
  const { byKey } = useLedgers();
  const [metric, setMetric] = useState<Metric>(EMPTY_METRIC);
  const [label, setLabel] = useState('');
  const [format, setFormat] = useState<NonNullable<FigureSpec['format']>>('count');
  const [error, setError] = useState<string | null>(null);
  let n = 1;
  while (taken.has(`fig${n}`)) n++;
  const [key, setKey] = useState(`fig${n}`);

  function ok() {
    if (!/^[A-Za-z]\w*$/.test(key)) return setError('标记只能用字母、数字和下划线，并以字母开头');
    if (taken.has(key)) return setError(`标记 {{${key}}} 已被其他数字使用`);
    if (!metric.ledger) return setError('请选择台账');
    const filters = Object.fromEntries(Object.entries(metric.filters).filter(([, v]) => v));
    const measureLabel = measureOptions(byKey.get(metric.ledger)).find((m) => m.value === metric.measure)?.label ?? '';
    onClose({ key, label: label.trim() || `${byKey.get(metric.ledger)?.title ?? metric.ledger}${measureLabel}`, ledger: metric.ledger, measure: metric.measure, ...(Object.keys(filters).length ? { filters } : {}), format });
  }

  return (
    <Modal open title="添加数字" width={700} onCancel={() => onClose(null)} onOk={ok} okText="插入" cancelText="取消" destroyOnHidden data-testid="figure-form">
      <Form layout="horizontal" labelCol={{ flex: '90px' }}>
        <Form.Item label="名称" style={{ marginBottom: 12 }}>
          <Input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="如：宣传教育活动" data-testid="figure-label" />
        </Form.Item>
        <Form.Item label="标记" style={{ marginBottom: 12 }} extra="插入正文的 {{标记}} 在报告中换成数字">
          <Input value={key} onChange={(e) => setKey(e.target.value.trim())} style={{ width: 200 }} data-testid="figure-key" />
        </Form.Item>
        <MetricBuilder value={metric} onChange={setMetric} area={area} year={year} testId="figure-builder" />
        <Form.Item label="数字格式" style={{ marginBottom: 0 }}>
          <Select value={format} onChange={setFormat} options={FORMATS} style={{ width: 160 }} data-testid="figure-format" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

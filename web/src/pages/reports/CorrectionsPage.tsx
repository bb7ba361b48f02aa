/**
 * 更正审批: records of a finalized (封账) year change only through corrections — requested by a
 * writer with a reason, decided by a leader other than the requester, applied through the ordinary
 * write path. The list shows each request's record, what changes (now → requested) and why;
 * writers file new requests here (the ledger's 409 tells them to).
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Empty, Form, Grid, Input, Modal, Popconfirm, Result, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { formatInstant } from '../../lib/format.ts';
import { formFields, isEmpty, shownLabel, useLedgers, type LedgerField, type LedgerInfo, type LedgerRecord, type RecordPage } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';
import { FieldInput, useCodeNames, valueText, type CodeNames } from '../ledgers/fields.tsx';
import './report.css';

type Status = 'pending' | 'approved' | 'rejected';

export interface Correction {
  id: number;
  ledger: string;
  record_id: number;
  changes: Record<string, unknown>;
  reason: string;
  status: Status;
  requested_at: string;
  decided_at?: string | null;
  requested_by: string | null;
  area: string;
}

const STATUS: Record<Status, { label: string; color: string }> = {
  pending: { label: '待审批', color: 'processing' },
  approved: { label: '已同意', color: 'success' },
  rejected: { label: '已驳回', color: 'default' },
};

function fieldOf(ledger: LedgerInfo | undefined, name: string): LedgerField | undefined {
  return ledger?.fields.find((f) => f.key === name || f.label === name);
}

/** A record in one line: its name-like text and its date. */
function recordLine(ledger: LedgerInfo, r: LedgerRecord): string {
  const text = ledger.fields.find((f) => f.type === 'text' && !isEmpty(r[f.key]));
  const date = r[ledger.dateField];
  return [text ? String(r[text.key]) : null, isEmpty(date) ? null : String(date)].filter(Boolean).join(' · ') || `#${r.id}`;
}

/** The record a correction is for, and each change as 现值 → 更正为. */
function ChangeCell({ c, ledger }: { c: Correction; ledger: LedgerInfo | undefined }) {
  const names = useCodeNames(ledger);
  const { data, error } = useFetch<LedgerRecord>(ledger ? `/api/ledgers/${ledger.key}/records/${c.record_id}` : null);
  return (
    <div data-testid={`correction-changes-${c.id}`}>
      <div style={{ marginBottom: 4 }}>
        <Typography.Text strong>{ledger ? ledger.title : c.ledger}</Typography.Text>{' '}
        <Typography.Text type="secondary">
          {data && ledger ? recordLine(ledger, data) : error ? `记录 #${c.record_id}（${error.message}）` : `记录 #${c.record_id}`}
        </Typography.Text>
      </div>
      {Object.entries(c.changes).map(([k, v]) => {
        const f = fieldOf(ledger, k);
        const now = f && data ? valueText(f, data[f.key], names) : null;
        const next = f ? valueText(f, v, names) : String(v);
        return (
          <div key={k} className="correction-change">
            <Typography.Text type="secondary">{f ? shownLabel(f) : k}：</Typography.Text>
            {c.status === 'pending' && now !== null && (
              <>
                <Typography.Text delete type="secondary">
                  {now}
                </Typography.Text>
                {' → '}
              </>
            )}
            <Typography.Text mark>{next}</Typography.Text>
          </div>
        );
      })}
    </div>
  );
}

export function CorrectionsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const phone = Grid.useBreakpoint().md === false;
  const [area] = useAreaParam();
  const [params, setParams] = useSearchParams();
  const { byKey } = useLedgers();
  const status = (['pending', 'approved', 'rejected'] as const).find((s) => s === params.get('status')) ?? 'pending';
  const { data, loading, error, reload } = useFetch<{ items: Correction[] }>(withArea('/api/corrections', area, { status }));
  const canDecide = me.permissions.includes('reports.finalize');
  const canRequest = canLedger(me.user.role, 'corrections', 'write');
  const [busy, setBusy] = useState<number | null>(null);
  const [requesting, setRequesting] = useState(Boolean(params.get('ledger') && params.get('record')));

  async function decide(c: Correction, approve: boolean) {
    setBusy(c.id);
    try {
      await api.post(`/api/corrections/${c.id}/decision`, { approve });
      message.success(approve ? '已同意，更正已写入记录' : '已驳回');
      reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const columns: ColumnsType<Correction> = [
    { key: 'at', title: '申请时间', dataIndex: 'requested_at', width: 110, render: (v: string) => <span style={{ whiteSpace: 'pre-line' }}>{formatInstant(v).replace(' ', '\n')}</span> },
    { key: 'changes', title: '记录与更正内容', width: 320, render: (_: unknown, c) => <ChangeCell c={c} ledger={byKey.get(c.ledger)} /> },
    { key: 'reason', title: '更正原因', dataIndex: 'reason', width: 220, render: (v: string) => <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{v}</span> },
    { key: 'by', title: '申请人', dataIndex: 'requested_by', width: 90, render: (v: string | null) => v ?? '—' },
    ...(status === 'pending'
      ? []
      : [{ key: 'decided', title: '审批时间', dataIndex: 'decided_at', width: 110, render: (v: string | null) => <span style={{ whiteSpace: 'pre-line' }}>{formatInstant(v).replace(' ', '\n')}</span> }]),
    {
      key: 'status',
      title: '状态',
      dataIndex: 'status',
      width: status === 'pending' && canDecide ? 170 : 90,
      fixed: phone ? undefined : ('right' as const),
      render: (s: Status, c) => {
        if (s !== 'pending' || !canDecide) return <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag>;
        const own = c.requested_by === me.user.username;
        return (
          <Space size={6} wrap>
            <Tooltip title={own ? '不能审批自己提交的更正申请' : undefined}>
              <Popconfirm
                title="同意这项更正？"
                description="同意后更正立即写入记录（留痕），该年度报告的“差异”页将列出由此变化的数字。"
                okText="同意"
                cancelText="取消"
                disabled={own}
                onConfirm={() => decide(c, true)}
              >
                <Button type="primary" size="small" icon={<CheckOutlined />} disabled={own} loading={busy === c.id} data-testid={`approve-${c.id}`}>
                  同意
                </Button>
              </Popconfirm>
            </Tooltip>
            <Popconfirm title="驳回这项更正？" okText="驳回" okButtonProps={{ danger: true }} cancelText="取消" disabled={own} onConfirm={() => decide(c, false)}>
              <Button size="small" danger icon={<CloseOutlined />} disabled={own || busy === c.id} data-testid={`reject-${c.id}`}>
                驳回
              </Button>
            </Popconfirm>
          </Space>
        );
      },
    },
  ];

  if (!me.permissions.includes('reports.read')) return <Result status="403" title="无权访问" subTitle="您的角色不能查看更正申请。" />;

  return (
    <Card
      data-testid="corrections-page"
      title={
        <div className="report-card-title">
          <span>更正审批</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            已定稿封账年度的记录，只能经审批的更正改变
          </Typography.Text>
        </div>
      }
      extra={
        canRequest ? (
          <Button icon={<EditOutlined />} onClick={() => setRequesting(true)} data-testid="correction-new">
            提出更正申请
          </Button>
        ) : null
      }
    >
      <Segmented<Status>
        value={status}
        onChange={(s) =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            if (s === 'pending') next.delete('status');
            else next.set('status', s);
            return next;
          })
        }
        options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: STATUS[s].label }))}
        style={{ marginBottom: 12 }}
        data-testid="correction-status"
      />
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      {phone ? (
        <PhoneList items={data?.items ?? []} loading={loading} status={status} render={(c) => columns.find((x) => x.key === 'status')!.render!(c.status, c, 0) as ReactNode} byKey={byKey} />
      ) : (
      <Table<Correction>
        data-testid="correction-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: columns.reduce((s, c) => s + (Number(c.width) || 120), 0) }}
        pagination={(data?.items.length ?? 0) > 20 ? { pageSize: 20 } : false}
        locale={{ emptyText: loading ? <div style={{ height: 80 }} /> : <Empty description={status === 'pending' ? '没有待审批的更正申请' : '没有记录'} /> }}
      />
      )}
      {requesting && (
        <RequestForm
          initialLedger={params.get('ledger')}
          initialRecord={Number(params.get('record')) || null}
          onClose={() => {
            setRequesting(false);
            if (params.get('ledger') || params.get('record'))
              setParams((prev) => {
                const next = new URLSearchParams(prev);
                next.delete('ledger');
                next.delete('record');
                return next;
              });
          }}
          onSaved={() => {
            setRequesting(false);
            reload();
          }}
        />
      )}
    </Card>
  );
}

/** On a phone: one card per request, the same contents as the table's row. */
function PhoneList(props: { items: Correction[]; loading: boolean; status: Status; byKey: ReadonlyMap<string, LedgerInfo>; render: (c: Correction) => ReactNode }) {
  if (props.loading && props.items.length === 0) return <Card loading size="small" />;
  if (props.items.length === 0) return <Empty description={props.status === 'pending' ? '没有待审批的更正申请' : '没有记录'} />;
  return (
    <div data-testid="correction-table">
      {props.items.map((c) => (
        <Card key={c.id} size="small" className="correction-item">
          <ChangeCell c={c} ledger={props.byKey.get(c.ledger)} />
          <Typography.Paragraph style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}>
            <Typography.Text type="secondary">原因：</Typography.Text>
            {c.reason}
          </Typography.Paragraph>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.requested_by ?? '—'} · {formatInstant(c.requested_at)}
            </Typography.Text>
            {props.render(c)}
          </div>
        </Card>
      ))}
    </div>
  );
}

/** 提出更正申请: the ledger, the record (searched), the field, its corrected value, the reason. */
function RequestForm(props: { initialLedger: string | null; initialRecord: number | null; onClose: () => void; onSaved: () => void }) {
  const { items, byKey } = useLedgers();
  const me = useMe();
  const [area] = useAreaParam();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const ledgerKey = Form.useWatch<string | undefined>('ledger', form);
  const fieldKey = Form.useWatch<string | undefined>('field', form);
  const ledger = ledgerKey ? byKey.get(ledgerKey) : undefined;
  const names: CodeNames = useCodeNames(ledger);
  const field = ledger && fieldKey ? ledger.fields.find((f) => f.key === fieldKey) : undefined;
  const [q, setQ] = useState('');
  const list = useFetch<RecordPage>(ledger ? withArea(`/api/ledgers/${ledger.key}/records`, area, { q, pageSize: '20' }) : null);
  const one = useFetch<LedgerRecord>(ledger && props.initialRecord && ledger.key === props.initialLedger ? `/api/ledgers/${ledger.key}/records/${props.initialRecord}` : null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (props.initialLedger) form.setFieldsValue({ ledger: props.initialLedger, ...(props.initialRecord ? { record: props.initialRecord } : {}) });
  }, [form, props.initialLedger, props.initialRecord]);

  const ledgers = useMemo(() => items.filter((l) => canLedger(me.user.role, l.key, 'write')), [items, me.user.role]);
  const recordOptions = useMemo(() => {
    const rows = [...(one.data ? [one.data] : []), ...(list.data?.items ?? [])];
    const seen = new Set<number>();
    return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => ({ value: r.id, label: ledger ? `${recordLine(ledger, r)}（#${r.id}）` : `#${r.id}` }));
  }, [one.data, list.data, ledger]);

  async function submit() {
    const v = (await form.validateFields()) as { ledger: string; record: number; field: string; value: unknown; reason: string };
    const raw = v.value;
    const value = raw && typeof raw === 'object' && 'format' in raw ? (raw as Dayjs).format('YYYY-MM-DD') : (raw ?? null);
    setSaving(true);
    setProblem(null);
    try {
      await api.post('/api/corrections', { ledger: v.ledger, recordId: v.record, changes: { [v.field]: value }, reason: v.reason });
      message.success('更正申请已提交，待领导审批');
      props.onSaved();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title="提出更正申请" onCancel={props.onClose} onOk={() => void submit()} okText="提交申请" cancelText="取消" confirmLoading={saving} destroyOnHidden data-testid="correction-form">
      <Typography.Paragraph type="secondary">已定稿封账年度的记录不能直接修改。说明更正的内容和原因，经另一位领导同意后写入记录。</Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="ledger" label="台账" rules={[{ required: true, message: '请选择台账' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择台账"
            options={ledgers.map((l) => ({ value: l.key, label: l.title }))}
            onChange={() => form.setFieldsValue({ record: undefined, field: undefined, value: undefined })}
          />
        </Form.Item>
        <Form.Item name="record" label="记录" rules={[{ required: true, message: '请选择要更正的记录' }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: (s: string) => setQ(s.trim()) }}
            placeholder={ledger ? '输入关键词搜索记录' : '先选择台账'}
            disabled={!ledger}
            loading={list.loading}
            options={recordOptions}
            notFoundContent={list.loading ? '搜索中…' : '没有匹配的记录'}
          />
        </Form.Item>
        <Form.Item name="field" label="更正的字段" rules={[{ required: true, message: '请选择字段' }]}>
          <Select
            placeholder="选择字段"
            disabled={!ledger}
            options={(ledger ? formFields(ledger) : []).map((f) => ({ value: f.key, label: shownLabel(f) }))}
            onChange={() => form.setFieldsValue({ value: undefined })}
          />
        </Form.Item>
        {field && (
          <Form.Item name="value" label={`更正为（${shownLabel(field)}）`} rules={field.required ? [{ required: true, message: `请填写${field.label}` }] : []}>
            <FieldInput field={field} names={names} editing={false} />
          </Form.Item>
        )}
        <Form.Item name="reason" label="更正原因" rules={[{ required: true, min: 2, message: '请说明更正原因' }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount placeholder="例如：原始登记笔误，以会议记录本为准" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

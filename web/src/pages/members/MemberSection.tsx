/**
 * What a member's record shows beyond the generic ledger detail: 组织关系转接 (within the street,
 * out of it, into it) with its history, and — for the administrator — the unmasked 公民身份号码 or
 * 手机号码, each view confirmed first and recorded in the audit log.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, DatePicker, Empty, Form, Input, Modal, Radio, Select, Space, Spin, Timeline, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { EyeOutlined, SwapOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { api, errorMessage } from '../../lib/api.ts';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useOrgs, type LedgerRecord } from '../../lib/ledgers.tsx';
import { collator } from '../../lib/tree.ts';
import { useFetch } from '../../lib/useFetch.ts';
import '../reports/report.css';

export interface Transfer {
  id: number;
  kind: 'between' | 'out' | 'in';
  date: string;
  from: string | null;
  fromName: string | null;
  to: string | null;
  toName: string | null;
  note: string | null;
}

const KIND_LABEL: Record<Transfer['kind'], string> = { between: '街道内转接', out: '转出', in: '转入' };
const KIND_COLOR: Record<Transfer['kind'], string> = { between: 'blue', out: 'red', in: 'green' };

export function MemberSection({ record, onChanged }: { record: LedgerRecord; onChanged: () => void }) {
  const me = useMe();
  const { modal, message } = App.useApp();
  const canWrite = canLedger(me.user.role, 'members', 'write');
  const canReveal = me.permissions.includes('pii.reveal');
  const history = useFetch<{ items: Transfer[] }>(`/api/members/${record.id}/transfers`);
  const [transferring, setTransferring] = useState(false);

  function reveal(field: 'idNumber' | 'phone') {
    const what = field === 'idNumber' ? '公民身份号码' : '手机号码';
    modal.confirm({
      title: `查看${String(record.name ?? '')}的完整${what}？`,
      content: `本次查看将记入审计日志（查看人、时间、对象和字段），请仅在工作需要时查看。`,
      okText: '查看并留痕',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'reveal-ok' } as ButtonProps,
      onOk: async () => {
        try {
          const { value } = await api.post<{ value: string | null }>(`/api/ledgers/members/records/${record.id}/reveal`, { field });
          modal.info({
            title: what,
            content: value ? (
              <Typography.Text copyable strong style={{ fontSize: 18, fontFamily: 'monospace' }} data-testid="revealed-value">
                {value}
              </Typography.Text>
            ) : (
              '未登记'
            ),
            okText: '关闭',
            okButtonProps: { 'data-testid': 'reveal-close' } as ButtonProps,
          });
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  }

  const items = history.data?.items ?? [];
  return (
    <div className="member-section" data-testid="member-section">
      <div className="member-section-head">
        <Typography.Title level={5} style={{ margin: 0 }}>
          组织关系转接
        </Typography.Title>
        <Space size={6} wrap>
          {canReveal && (
            <>
              <Button size="small" icon={<EyeOutlined />} onClick={() => reveal('idNumber')} data-testid="reveal-id">
                查看身份证号
              </Button>
              {record.phone ? (
                <Button size="small" icon={<EyeOutlined />} onClick={() => reveal('phone')} data-testid="reveal-phone">
                  查看手机号
                </Button>
              ) : null}
            </>
          )}
          {canWrite && (
            <Button size="small" type="primary" ghost icon={<SwapOutlined />} onClick={() => setTransferring(true)} data-testid="member-transfer">
              转接
            </Button>
          )}
        </Space>
      </div>
      {history.error ? (
        <Alert type="error" showIcon title={history.error.message} />
      ) : history.loading && !history.data ? (
        <Spin size="small" />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有转接记录" style={{ margin: '8px 0' }} />
      ) : (
        <Timeline
          style={{ marginTop: 12 }}
          data-testid="transfer-history"
          items={[...items].reverse().map((t) => ({
            key: t.id,
            color: KIND_COLOR[t.kind],
            content: (
              <div>
                <div>
                  <b>{t.date}</b> {KIND_LABEL[t.kind]}
                </div>
                <div style={{ color: 'rgba(0,0,0,0.65)' }}>
                  {t.fromName ?? t.from ?? '街道外'} → {t.toName ?? t.to ?? '街道外'}
                </div>
                {t.note && <div style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{t.note}</div>}
              </div>
            ),
          }))}
        />
      )}
      {transferring && (
        <TransferForm
          record={record}
          last={items.at(-1)?.date ?? null}
          onClose={() => setTransferring(false)}
          onSaved={() => {
            setTransferring(false);
            history.reload();
            onChanged();
          }}
        />
      )}
    </div>
  );
}

interface TransferValues {
  kind: Transfer['kind'];
  date: Dayjs;
  toOrg?: string;
  outsideUnit?: string;
  note?: string;
}

function TransferForm(props: { record: LedgerRecord; last: string | null; onClose: () => void; onSaved: () => void }) {
  const { record } = props;
  const { message } = App.useApp();
  const [form] = Form.useForm<TransferValues>();
  const out = record.status === '已转出';
  const kind = Form.useWatch('kind', form) ?? (out ? 'in' : 'between');
  const orgs = useOrgs(true);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const today = todayShanghai();

  const branches = useMemo(
    () =>
      orgs.items
        .filter((o) => (o.kind === '党支部' || o.kind === '党总支' || o.kind === '党委') && !o.dissolvedOn && o.code !== record.org)
        .sort((a, b) => collator.compare(a.path, b.path))
        .map((o) => ({ value: o.code, label: `${o.name}（${o.code}）`, search: `${o.name} ${o.code} ${o.areaName}`.toLowerCase() })),
    [orgs.items, record.org],
  );

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    setProblem(null);
    try {
      await api.post(`/api/members/${record.id}/transfers`, {
        kind: v.kind,
        date: v.date.format('YYYY-MM-DD'),
        ...(v.kind === 'between' ? { toOrg: v.toOrg } : { outsideUnit: v.outsideUnit?.trim() }),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      message.success(v.kind === 'between' ? '已转接' : v.kind === 'out' ? '已转出' : '已记录转入');
      props.onSaved();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={`组织关系转接：${String(record.name ?? '')}`} onCancel={props.onClose} onOk={() => void submit()} okText="确定" cancelText="取消" confirmLoading={saving} destroyOnHidden data-testid="transfer-form">
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ kind: out ? 'in' : 'between', date: dayjs(today) }}>
        <Form.Item name="kind" label="转接类型">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'between', label: '街道内转接', disabled: out },
              { value: 'out', label: '转出街道', disabled: out },
              { value: 'in', label: '从外单位转入' },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="date"
          label="转接日期"
          rules={[{ required: true, message: '请选择日期' }]}
          extra={props.last ? `上一次转接：${props.last}` : undefined}
        >
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today || (props.last !== null && d.format('YYYY-MM-DD') < props.last)} />
        </Form.Item>
        {kind === 'between' ? (
          <Form.Item name="toOrg" label="转入的党组织" rules={[{ required: true, message: '请选择转入的党支部' }]}>
            <Select
              showSearch={{ filterOption: (input: string, o?: { search?: string }) => String(o?.search ?? '').includes(input.trim().toLowerCase()) }}
              options={branches}
              loading={orgs.loading}
              placeholder="选择党支部（可输入名称或编码搜索）"
              popupMatchSelectWidth={false}
              styles={{ popup: { root: { maxWidth: '92vw' } } }}
              data-testid="transfer-to-org"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="outsideUnit"
            label={kind === 'out' ? '转往的单位（街道外）' : '转出的单位（街道外）'}
            rules={[{ required: true, whitespace: true, message: kind === 'out' ? '请填写转往的单位' : '请填写转出单位' }]}
          >
            <Input maxLength={100} placeholder="例如：某区某街道某社区党支部" />
          </Form.Item>
        )}
        <Form.Item name="note" label="备注">
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder="介绍信编号等（可不填）" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

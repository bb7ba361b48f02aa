/**
 * 记录会议 / 补录会议: a new 组织生活 ledger record, prefilled from where it was asked for (the
 * organization, the type and a date inside the period a compliance cell or a due item names).
 * The server checks it; its messages go under the inputs they name. Saved, the caller usually
 * opens the meeting's full record to take attendance.
 */
import { useMemo, useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Form, Grid, Input, Radio, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useLedgers } from '../../lib/ledgers.tsx';
import { OrgInput, useCodeNames } from '../ledgers/fields.tsx';
import { MEETING_TYPES, periodLabel, periodRange, type MeetingRow } from './common.tsx';

export interface MeetingPrefill {
  org?: string;
  type?: string;
  date?: string;
  /** The period the meeting is recorded for: the date should lie inside it. */
  period?: string;
}

interface Values {
  date: Dayjs | null;
  org: string | null;
  type: string | null;
  topic: string;
  firstAgendaItem: '是' | '否' | null;
}

const KEYS: Record<string, keyof Values> = { date: 'date', org: 'org', type: 'type', topic: 'topic', firstAgendaItem: 'firstAgendaItem' };

export function MeetingCreateForm(props: { prefill: MeetingPrefill; title?: string; onClose: () => void; onSaved: (m: MeetingRow) => void }) {
  const { prefill } = props;
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [area] = useAreaParam();
  const phone = Grid.useBreakpoint().md === false;
  const ledgers = useLedgers();
  const names = useCodeNames(ledgers.byKey.get('meetings'));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const initial = useMemo<Values>(
    () => ({ date: dayjs(prefill.date ?? todayShanghai()), org: prefill.org ?? null, type: prefill.type ?? null, topic: '', firstAgendaItem: null }),
    [prefill],
  );
  const date = Form.useWatch('date', form);
  const range = prefill.period ? periodRange(prefill.period) : null;
  const chosen = date ? date.format('YYYY-MM-DD') : null;
  const outside = range && chosen ? chosen < range.from || chosen > range.to : false;

  async function submit(v: Values) {
    setBusy(true);
    setProblem(null);
    try {
      const body: Record<string, unknown> = { date: v.date!.format('YYYY-MM-DD'), org: v.org, type: v.type, topic: v.topic.trim() };
      if (v.firstAgendaItem) body.firstAgendaItem = v.firstAgendaItem;
      const saved = await api.post<MeetingRow>(withArea('/api/ledgers/meetings/records', area), body);
      message.success('已记录会议，请继续填写议程和考勤');
      props.onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.details.length) {
        const rest: string[] = [];
        const fields: Array<{ name: keyof Values; errors: string[] }> = [];
        for (const d of e.details) {
          const k = d.field ? KEYS[d.field] : undefined;
          if (k) fields.push({ name: k, errors: [d.message] });
          else rest.push(d.message);
        }
        form.setFields(fields);
        setProblem(rest.length ? rest.join('；') : '请按提示改正标红的内容后再保存');
      } else setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer
      open
      title={props.title ?? '记录会议'}
      size={phone ? '100%' : 480}
      onClose={props.onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="meeting-create"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={props.onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="meeting-create-save">
            保存并填写会议记录
          </Button>
        </Space>
      }
    >
      {prefill.period && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`补录${periodLabel(prefill.period)}的会议`}
          description={`会议日期在 ${range!.from} 至 ${range!.to} 之间，才计入该期的落实情况。`}
        />
      )}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} data-testid="meeting-create-problem" />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} requiredMark>
        <Form.Item
          name="date"
          label="日期"
          rules={[{ required: true, message: '请选择“日期”' }]}
          {...(outside ? { validateStatus: 'warning' as const, help: `不在${periodLabel(prefill.period!)}内，不计入该期` } : {})}
          data-testid="meeting-create-date"
        >
          <DatePicker format="YYYY-MM-DD" style={{ width: '100%' }} inputReadOnly={phone} />
        </Form.Item>
        <Form.Item name="org" label="党组织" rules={[{ required: true, message: '请选择“党组织”' }]} data-testid="meeting-create-org">
          <OrgInput names={names} />
        </Form.Item>
        <Form.Item name="type" label="会议类型" rules={[{ required: true, message: '请选择“会议类型”' }]} data-testid="meeting-create-type">
          <Select placeholder="选择会议类型" options={MEETING_TYPES.map((t) => ({ value: t.type, label: t.type }))} />
        </Form.Item>
        <Form.Item name="topic" label="主题" rules={[{ required: true, whitespace: true, message: '请填写“主题”' }]} data-testid="meeting-create-topic">
          <Input maxLength={200} placeholder="如：学习贯彻党的二十届三中全会精神" />
        </Form.Item>
        <Form.Item name="firstAgendaItem" label="第一议题" tooltip="会议是否把学习习近平总书记最新重要讲话和重要指示批示精神作为第一议题">
          <Radio.Group
            options={[
              { value: '是', label: '是' },
              { value: '否', label: '否' },
            ]}
          />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          保存后进入会议记录页，登记主持人、议程、考勤、纪要和附件；应到、实到人数由考勤自动计算。
        </Typography.Text>
      </Form>
    </Drawer>
  );
}

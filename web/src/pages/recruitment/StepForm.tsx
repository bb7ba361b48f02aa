/**
 * 记录环节: one step of a person's 发展党员 process. Only steps whose prior steps are done are
 * offered; each asks for what it needs (联系人 and 介绍人 from the branch's full members, 政审结论,
 * 培训时间, 公示起止, the branch-meeting vote …). While the form is filled the server checks the
 * step against the rules (POST …/steps/check, debounced) and the panel shows each refusal with its
 * article, in red, and each warning in amber; 保存 stays disabled while an error stands. The server
 * checks again on save and its refusal is shown the same way.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Checkbox, DatePicker, Drawer, Form, Grid, Input, InputNumber, Radio, Select, Space, Spin, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { tallyVote } from '../../../../src/domain/recruitment/vote.ts';
import { ApiError, api, errorMessage } from '../../lib/api.ts';
import { todayShanghai } from '../../lib/format.ts';
import type { LedgerRecord, RecordPage } from '../../lib/ledgers.tsx';
import { availableSteps, citationText, type DueAction, type RuleSetInfo, type StepData, type StepInfo, type StepsAnswer, type Timeline, type Violation } from '../../lib/recruitment.ts';
import { useFetch } from '../../lib/useFetch.ts';

interface Values {
  code?: string;
  date?: Dayjs | null;
  memberIds?: number[];
  conclusion?: 'passed' | 'failed';
  days?: number | null;
  hours?: number | null;
  notice?: [Dayjs | null, Dayjs | null] | null;
  leavingWithinThreeMonths?: boolean;
  shouldAttend?: number | null;
  present?: number | null;
  yes?: number | null;
  no?: number | null;
  abstain?: number | null;
  writtenYes?: number | null;
  writtenNo?: number | null;
  months?: number | null;
  note?: string;
}

interface StepBody {
  code: string;
  date: string;
  data?: StepData;
}

const VOTE_STEPS = new Set(['admissionVote', 'conversionVote']);
const num = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The form as the API takes it; null until a step and a date are chosen. */
function toBody(v: Values): StepBody | null {
  if (!v.code || !v.date) return null;
  const data: StepData = {};
  switch (v.code) {
    case 'mentors':
    case 'sponsors':
      data.memberIds = v.memberIds ?? [];
      break;
    case 'politicalReview':
      if (v.conclusion) data.conclusion = v.conclusion;
      break;
    case 'training':
      if (num(v.days) !== undefined) data.days = num(v.days);
      if (num(v.hours) !== undefined) data.hours = num(v.hours);
      break;
    case 'publicNotice':
      if (v.notice?.[0]) data.from = v.notice[0].format('YYYY-MM-DD');
      if (v.notice?.[1]) data.to = v.notice[1].format('YYYY-MM-DD');
      break;
    case 'prereview':
      if (v.leavingWithinThreeMonths) data.leavingWithinThreeMonths = true;
      break;
    case 'admissionVote':
    case 'conversionVote': {
      const counts = [v.shouldAttend, v.present, v.yes, v.no, v.abstain].map(num);
      if (counts.every((n) => n !== undefined)) {
        const [shouldAttend, present, yes, no, abstain] = counts as number[];
        data.vote = { shouldAttend: shouldAttend!, present: present!, yes: yes!, no: no!, abstain: abstain! };
        if (num(v.writtenYes)) data.vote.writtenYes = num(v.writtenYes);
        if (num(v.writtenNo)) data.vote.writtenNo = num(v.writtenNo);
      }
      break;
    }
    case 'extension':
      if (num(v.months) !== undefined) data.months = num(v.months);
      break;
  }
  const note = v.note?.trim();
  if (note) data.note = note;
  return { code: v.code, date: v.date.format('YYYY-MM-DD'), ...(Object.keys(data).length ? { data } : {}) };
}

interface Checked {
  key: string;
  violations: Violation[];
  /** The check itself failed (bad input the API refused, network). */
  failure?: string;
}

const STAGE_NO = ['一', '二', '三', '四', '五'];

export function StepForm(props: {
  timeline: Timeline;
  defs: StepsAnswer;
  orgName: string | null;
  due: DueAction[];
  initialCode?: string;
  onClose: () => void;
  onSaved: (t: Timeline, warnings: Violation[], label: string) => void;
}) {
  const { timeline, defs } = props;
  const id = timeline.applicant.id;
  const { message } = App.useApp();
  const phone = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<Values>();
  const today = todayShanghai();
  const available = useMemo(() => availableSteps(defs.steps, timeline.steps), [defs, timeline]);
  const dueCodes = useMemo(() => new Set(props.due.map((d) => d.code)), [props.due]);
  const first = props.initialCode && available.some((s) => s.code === props.initialCode) ? props.initialCode : undefined;
  const [initial] = useState<Values>(() => ({ code: first, date: dayjs(today), ...(first === 'sponsors' ? { memberIds: mentorIds(timeline) } : {}) }));
  const [values, setValues] = useState<Values>(initial);
  const step = defs.steps.find((s) => s.code === values.code);
  const body = toBody(values);
  const bodyKey = body ? JSON.stringify(body) : null;

  // The live check: debounced, the latest answer wins.
  const [checked, setChecked] = useState<Checked | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    if (!bodyKey) return;
    const timer = setTimeout(() => {
      api
        .post<{ ok: boolean; violations: Violation[] }>(`/api/recruitment/${id}/steps/check`, JSON.parse(bodyKey))
        .then((r) => {
          if (mine === seq.current) setChecked({ key: bodyKey, violations: r.violations });
        })
        .catch((e: unknown) => {
          if (mine === seq.current) setChecked({ key: bodyKey, violations: [], failure: errorMessage(e) });
        });
    }, 350);
    return () => clearTimeout(timer);
  }, [bodyKey, id]);

  const [saving, setSaving] = useState(false);
  const [refused, setRefused] = useState<{ key: string; error: ApiError | Error } | null>(null);

  const current = checked && checked.key === bodyKey ? checked : null;
  const checking = Boolean(bodyKey) && !current;
  const blocked = current ? Boolean(current.failure) || current.violations.some((v) => v.severity === 'error') : false;
  const refusal = refused && refused.key === bodyKey ? refused.error : null;

  async function save() {
    if (!body || !bodyKey) return;
    setSaving(true);
    try {
      const r = await api.post<{ warnings: Violation[]; timeline: Timeline }>(`/api/recruitment/${id}/steps`, body);
      message.success(`已记录“${step?.label ?? body.code}”`);
      props.onSaved(r.timeline, r.warnings, step?.label ?? body.code);
    } catch (e) {
      setRefused({ key: bodyKey, error: e instanceof Error ? e : new Error(errorMessage(e)) });
    } finally {
      setSaving(false);
    }
  }

  const options = defs.stages
    .map((st, i) => ({
      label: `${STAGE_NO[i]}、${st.label}`,
      title: st.label,
      options: available
        .filter((s) => s.stage === st.key)
        .map((s) => ({
          value: s.code,
          label: (
            <span className="step-option">
              {s.no !== null ? `${s.no}. ` : ''}
              {s.label}
              {s.repeatable && <Typography.Text type="secondary">（可多次）</Typography.Text>}
              {dueCodes.has(s.code) && (
                <Tag color="processing" style={{ marginInlineStart: 6 }}>
                  待办
                </Tag>
              )}
            </span>
          ),
          title: s.label,
        })),
    }))
    .filter((g) => g.options.length > 0);

  return (
    <Drawer
      open
      title={`记录环节 · ${timeline.applicant.name}`}
      size={phone ? '100%' : 600}
      onClose={props.onClose}
      destroyOnHidden
      data-testid="step-form"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={props.onClose}>取消</Button>
          <Button type="primary" loading={saving} disabled={!body || blocked} onClick={() => void save()} data-testid="step-save">
            保存
          </Button>
        </Space>
      }
    >
      {available.length === 0 ? (
        <Alert type="info" showIcon title="没有可以记录的环节" description="该人员的发展程序已结束。" />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={initial}
          onValuesChange={(changed, all) => {
            // A new step starts from its own fields; the date stays.
            if ('code' in changed) {
              const keep = { code: all.code, date: all.date, note: all.note };
              form.resetFields();
              form.setFieldsValue({ ...keep, ...(all.code === 'sponsors' ? { memberIds: mentorIds(timeline) } : {}) });
              setValues({ ...keep, ...(all.code === 'sponsors' ? { memberIds: mentorIds(timeline) } : {}) });
            } else setValues(all);
          }}
          className="step-form"
        >
          <div className="step-form-row">
            <Form.Item name="code" label="环节" rules={[{ required: true, message: '请选择环节' }]} className="step-form-code">
              <Select
                data-testid="step-code"
                placeholder="选择要记录的环节"
                options={options}
                showSearch={{ optionFilterProp: 'title' }}
                listHeight={phone ? 300 : 400}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
            <Form.Item name="date" label={step?.code === 'publicNotice' ? '记录日期' : '日期'} rules={[{ required: true, message: '请选择日期' }]} className="step-form-date">
              <DatePicker
                data-testid="step-date"
                format="YYYY-MM-DD"
                style={{ width: '100%' }}
                allowClear={false}
                inputReadOnly={phone}
                disabledDate={(d) => d.format('YYYY-MM-DD') > today}
              />
            </Form.Item>
          </div>
          {step && <StepFields step={step} timeline={timeline} orgName={props.orgName} rules={defs.ruleSet} values={values} />}
          {step && (
            <Form.Item name="note" label="备注">
              <Input.TextArea rows={2} maxLength={500} showCount placeholder="会议名称、文号、说明等（可不填）" />
            </Form.Item>
          )}
        </Form>
      )}
      {available.length > 0 && <CheckPanel hasBody={Boolean(body)} checking={checking} checked={current} previous={checked} refusal={refusal} />}
    </Drawer>
  );
}

/** The 培养联系人 recorded earlier: usually they become the 入党介绍人 (art. 14). */
function mentorIds(t: Timeline): number[] | undefined {
  const m = t.steps.find((s) => s.code === 'mentors');
  return m?.data?.memberIds?.length ? m.data.memberIds : undefined;
}

function StepFields({ step, timeline, orgName, rules, values }: { step: StepInfo; timeline: Timeline; orgName: string | null; rules: RuleSetInfo; values: Values }) {
  const r = rules as RuleSetInfo & {
    mentors?: { min: number; max: number };
    sponsors?: number;
    training?: { minDays: number; minHours: number };
    publicNoticeWorkdays?: number;
    extension?: { minMonths: number; maxMonths: number };
  };
  switch (step.code) {
    case 'mentors':
    case 'sponsors': {
      const max = step.code === 'mentors' ? (r.mentors?.max ?? 2) : (r.sponsors ?? 2);
      const what = step.code === 'mentors' ? `培养联系人（${r.mentors?.min ?? 1}至${r.mentors?.max ?? 2}名）` : `入党介绍人（${r.sponsors ?? 2}名）`;
      return <MemberPicker org={timeline.applicant.org} orgName={orgName} label={what} max={max} />;
    }
    case 'politicalReview':
      return (
        <Form.Item name="conclusion" label="政审结论" rules={[{ required: true, message: '请选择政审结论' }]} extra="须形成结论性材料；政审不合格的不能发展入党。">
          <Radio.Group data-testid="step-conclusion">
            <Radio.Button value="passed">合格</Radio.Button>
            <Radio.Button value="failed">不合格</Radio.Button>
          </Radio.Group>
        </Form.Item>
      );
    case 'training':
      return (
        <>
          <div className="step-form-row">
            <Form.Item name="days" label="培训天数">
              <InputNumber min={0} max={365} step={0.5} suffix="天" style={{ width: '100%' }} data-testid="step-days" />
            </Form.Item>
            <Form.Item name="hours" label="培训学时">
              <InputNumber min={0} max={10000} step={1} suffix="学时" style={{ width: '100%' }} data-testid="step-hours" />
            </Form.Item>
          </div>
          <Typography.Paragraph type="secondary" className="step-hint">
            集中培训时间不少于{r.training?.minDays ?? 3}天或不少于{r.training?.minHours ?? 24}个学时（满足其一即可）。
          </Typography.Paragraph>
        </>
      );
    case 'publicNotice':
      return (
        <Form.Item
          name="notice"
          label="公示起止日期"
          rules={[{ required: true, message: '请选择公示起止日期' }]}
          extra={`不少于${r.publicNoticeWorkdays ?? 5}个工作日：节假日不计，调休上班日计入，由系统按节假日日历计算。`}
        >
          <DatePicker.RangePicker format="YYYY-MM-DD" style={{ width: '100%' }} placeholder={['公示开始', '公示结束']} data-testid="step-notice" />
        </Form.Item>
      );
    case 'prereview':
      return (
        <Form.Item name="leavingWithinThreeMonths" valuePropName="checked" extra="发展对象未来三个月内将离开工作、学习单位的，一般不办理接收预备党员的手续。">
          <Checkbox data-testid="step-leaving">发展对象未来三个月内将离开工作、学习单位</Checkbox>
        </Form.Item>
      );
    case 'admissionVote':
    case 'conversionVote':
      return <VoteFields values={values} />;
    case 'extension':
      return (
        <Form.Item
          name="months"
          label="延长时间"
          rules={[{ required: true, message: '请填写延长的月数' }]}
          extra={`延长预备期只能一次，不少于${r.extension?.minMonths ?? 6}个月，不超过${r.extension?.maxMonths ?? 12}个月。`}
        >
          <InputNumber min={1} max={24} precision={0} suffix="个月" style={{ width: 180 }} data-testid="step-months" />
        </Form.Item>
      );
    default:
      return null;
  }
}

/** 正式党员 of the person's branch, from the 党员 ledger. */
function MemberPicker({ org, orgName, label, max }: { org: string; orgName: string | null; label: string; max: number }) {
  const q = new URLSearchParams({ 'f.org': org, 'f.category': '正式党员', pageSize: '500' });
  const { data, loading, error } = useFetch<RecordPage>(`/api/ledgers/members/records?${q}`);
  const options = useMemo(
    () =>
      (data?.items ?? []).map((m: LedgerRecord) => ({
        value: m.id,
        label: String(m.name),
        title: `${String(m.name)} ${String(m.joinedOn ?? '')}`,
        desc: `入党${String(m.joinedOn ?? '—')}${m.confirmedOn ? `，转正${String(m.confirmedOn)}` : ''}`,
      })),
    [data],
  );
  return (
    <Form.Item
      name="memberIds"
      label={label}
      rules={[{ required: true, message: '请选择党员' }]}
      extra={
        error
          ? `党员名单加载失败：${error.message}`
          : !loading && options.length === 0
            ? `党员台账中${orgName ?? org}还没有正式党员，请先在“党员”台账中登记。`
            : `从${orgName ?? '本支部'}的正式党员中选择（共${options.length}人）。`
      }
    >
      <Select
        mode="multiple"
        data-testid="step-members"
        loading={loading}
        placeholder="选择党员"
        maxCount={max}
        options={options}
        showSearch={{ optionFilterProp: 'title' }}
        optionRender={(o) => (
          <span>
            {o.data.label} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{o.data.desc}</Typography.Text>
          </span>
        )}
      />
    </Form.Item>
  );
}

function VoteFields({ values }: { values: Values }) {
  const n = (k: keyof Values, label: string, extra?: string) => (
    <Form.Item name={k} label={label} rules={extra ? [] : [{ required: true, message: '请填写人数' }]} tooltip={extra}>
      <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} data-testid={`vote-${k}`} />
    </Form.Item>
  );
  const counts = [values.shouldAttend, values.present, values.yes, values.no, values.abstain].map(num);
  const tally = counts.every((c) => c !== undefined)
    ? tallyVote({ shouldAttend: counts[0]!, present: counts[1]!, yes: counts[2]!, no: counts[3]!, abstain: counts[4]!, writtenYes: num(values.writtenYes) ?? 0, writtenNo: num(values.writtenNo) ?? 0 })
    : null;
  const half = num(values.shouldAttend);
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="只统计有表决权的正式党员"
        description="预备党员没有表决权，不计入应到会人数、实到会人数和赞成、反对、弃权人数。"
        data-testid="vote-note"
      />
      <div className="vote-grid">
        {n('shouldAttend', '应到会（有表决权）')}
        {n('present', '实到会（有表决权）')}
        {n('yes', '赞成')}
        {n('no', '反对')}
        {n('abstain', '弃权')}
        {n('writtenYes', '书面赞成', '因故不能到会的有表决权党员，会前正式提交的书面意见')}
        {n('writtenNo', '书面反对', '因故不能到会的有表决权党员，会前正式提交的书面意见')}
      </div>
      {tally && half !== undefined && (
        <Typography.Paragraph type="secondary" className="step-hint" data-testid="vote-tally">
          到会人数{tally.quorum ? '已' : '未'}超过应到会人数的半数；赞成（含书面）{tally.yes}票，须多于{half / 2}票
          {tally.problems.length === 0 ? (tally.passed ? '，表决通过。' : '，表决未通过。') : '。'}
        </Typography.Paragraph>
      )}
    </>
  );
}

function ViolationItem({ v }: { v: Violation }) {
  const error = v.severity === 'error';
  return (
    <div className={error ? 'rule-item rule-error' : 'rule-item rule-warning'} data-testid={error ? 'check-error' : 'check-warning'}>
      {error ? <CloseCircleFilled /> : <ExclamationCircleFilled />}
      <div>
        <div className="rule-message">{v.message}</div>
        <div className="rule-citation">依据：{citationText(v.citation)}</div>
      </div>
    </div>
  );
}

function CheckPanel({ hasBody, checking, checked, previous, refusal }: { hasBody: boolean; checking: boolean; checked: Checked | null; previous: Checked | null; refusal: Error | null }) {
  // While a new answer is on its way the last one stays, faded.
  const shown = checked ?? (checking ? previous : null);
  const errors = shown?.violations.filter((v) => v.severity === 'error') ?? [];
  const warnings = shown?.violations.filter((v) => v.severity === 'warning') ?? [];
  return (
    <section className="rule-panel" data-testid="step-check" aria-live="polite">
      <div className="rule-panel-head">
        <span>规则检查</span>
        {checking && (
          <span className="rule-checking" data-testid="check-pending">
            <Spin size="small" /> 正在检查…
          </span>
        )}
      </div>
      {refusal && (
        <Alert
          type="error"
          showIcon
          data-testid="save-refused"
          style={{ marginBottom: 8 }}
          title="未保存：系统拒绝记录该环节"
          description={
            refusal instanceof ApiError && refusal.details.length > 1 ? (
              <ul className="rule-list">
                {refusal.details.map((d, i) => (
                  <li key={i}>{d.message}</li>
                ))}
              </ul>
            ) : (
              refusal.message
            )
          }
        />
      )}
      {!hasBody ? (
        <Typography.Text type="secondary">选择环节和日期后，这里会即时显示是否符合发展党员工作的规定。</Typography.Text>
      ) : shown ? (
        <div style={{ opacity: checking ? 0.55 : 1 }}>
          {shown.failure && (
            <div className="rule-item rule-error" data-testid="check-error">
              <CloseCircleFilled />
              <div className="rule-message">{shown.failure}</div>
            </div>
          )}
          {errors.map((v, i) => (
            <ViolationItem key={`e${i}`} v={v} />
          ))}
          {warnings.map((v, i) => (
            <ViolationItem key={`w${i}`} v={v} />
          ))}
          {!shown.failure && errors.length === 0 && (
            <div className="rule-item rule-ok" data-testid="check-ok">
              <CheckCircleFilled />
              <div className="rule-message">{warnings.length ? '可以保存；以上提示将作为问题记录在该人员名下。' : '符合规定，可以保存。'}</div>
            </div>
          )}
          {errors.length > 0 && <div className="rule-blocked">存在不符合规定的情况，不能保存。请按提示修改。</div>}
        </div>
      ) : null}
    </section>
  );
}

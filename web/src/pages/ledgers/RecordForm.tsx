/**
 * New / edit form of any ledger, derived from its fields (derived ones are the server's). The
 * server checks everything; its answer's details[].field puts each message under its input, and
 * what the user typed stays. An edit sends only the changed fields and the version it read.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Drawer, Form, Grid, Space } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, api, errorMessage, withArea } from '../../lib/api.ts';
import { useAreaParam } from '../../lib/areas.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { formFields, isEmpty, shownLabel, type LedgerField, type LedgerInfo, type LedgerRecord } from '../../lib/ledgers.tsx';
import { FieldInput, type CodeNames } from './fields.tsx';

type FormValues = Record<string, unknown>;

/** Inputs that take the form's whole width (long names, long text); the rest sit two to a row. */
const WIDE = new Set(['longtext', 'area', 'org', 'unit', 'idNumber']);
const WIDE_TEXT = /(名称|标题|摘要|内容|经过|说明|结果)$/;
const CHOSEN = new Set(['enum', 'boolean', 'date', 'area', 'org', 'unit']);

function wide(f: LedgerField): boolean {
  return WIDE.has(f.type) || (f.type === 'text' && WIDE_TEXT.test(f.label));
}

function toFormValue(f: LedgerField, v: unknown): unknown {
  if (isEmpty(v)) return undefined;
  if (f.type === 'date') return dayjs(String(v));
  if (f.type === 'integer') return Number(v);
  if (f.type === 'amount' || f.type === 'quantity') return String(v);
  if (f.type === 'idNumber' || f.type === 'phone') return undefined; // masked: never sent back
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v;
}

/** A form value as the API takes it; null for an empty one. */
function toApiValue(f: LedgerField, v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (f.type === 'date') return dayjs.isDayjs(v) ? (v as Dayjs).format('YYYY-MM-DD') : String(v);
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number') return v;
  return String(v);
}

export function initialValues(ledger: LedgerInfo, record: LedgerRecord | null): FormValues {
  const out: FormValues = {};
  for (const f of formFields(ledger)) {
    if (record) out[f.key] = toFormValue(f, record[f.key]);
    else if (f.key === ledger.dateField) out[f.key] = dayjs(todayShanghai());
  }
  return out;
}

/** Server problems onto the form: the fields it names get their message; the rest are returned. */
export function applyServerErrors<T>(form: FormInstance<T>, ledger: LedgerInfo, e: ApiError): string[] {
  const keys = new Set(formFields(ledger).map((f) => f.key));
  const byLabel = new Map(ledger.fields.map((f) => [f.label, f.key]));
  const perField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const d of e.details) {
    const key = d.field && keys.has(d.field) ? d.field : d.column ? byLabel.get(d.column) : undefined;
    if (key && keys.has(key)) perField.set(key, [...(perField.get(key) ?? []), d.message]);
    else rest.push(d.message);
  }
  form.setFields([...perField.entries()].map(([name, errors]) => ({ name, errors })) as Parameters<FormInstance<T>['setFields']>[0]);
  const first = [...perField.keys()][0];
  if (first) form.scrollToField(first as never, { block: 'center' });
  return rest;
}

export function RecordForm(props: {
  ledger: LedgerInfo;
  names: CodeNames;
  /** The record to edit; null: a new one. */
  record: LedgerRecord | null;
  onClose: () => void;
  onSaved: (r: LedgerRecord) => void;
}) {
  const { ledger, names, record } = props;
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [area] = useAreaParam();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ text: string; stale?: boolean } | null>(null);
  const [base, setBase] = useState<LedgerRecord | null>(record);
  const phone = Grid.useBreakpoint().md === false;
  const fields = useMemo(() => formFields(ledger), [ledger]);
  const initial = useMemo(() => initialValues(ledger, base), [ledger, base]);

  useEffect(() => {
    form.setFieldsValue(initial);
  }, [form, initial]);

  async function submit(values: FormValues) {
    setBusy(true);
    setProblem(null);
    try {
      let saved: LedgerRecord;
      if (base) {
        const body: Record<string, unknown> = {};
        for (const f of fields) {
          const now = toApiValue(f, values[f.key]);
          if ((f.type === 'idNumber' || f.type === 'phone') && now === null) continue; // left blank: unchanged
          const before = toApiValue(f, initial[f.key]);
          if (now !== before) body[f.key] = now;
        }
        if (Object.keys(body).length === 0) {
          message.info('没有修改任何内容');
          props.onClose();
          return;
        }
        saved = await api.patch<LedgerRecord>(`/api/ledgers/${ledger.key}/records/${base.id}`, { ...body, version: base.version });
        message.success(`已保存${ledger.title}记录`);
      } else {
        const body: Record<string, unknown> = {};
        for (const f of fields) {
          const v = toApiValue(f, values[f.key]);
          if (v !== null) body[f.key] = v;
        }
        saved = await api.post<LedgerRecord>(withArea(`/api/ledgers/${ledger.key}/records`, area), body);
        message.success(`已新增${ledger.title}记录`);
      }
      props.onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') setProblem({ text: e.message, stale: true });
      else if (e instanceof ApiError && e.details.length > 0) {
        const rest = applyServerErrors(form, ledger, e);
        setProblem({ text: rest.length ? rest.join('；') : e.code === 'DUPLICATE' ? e.message : '请按提示改正标红的内容后再保存' });
      } else setProblem({ text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  /** After a stale version: load the record as it is now; what the user typed is kept on top. */
  async function reloadLatest() {
    if (!base) return;
    try {
      const typed = form.getFieldsValue();
      const latest = await api.get<LedgerRecord>(`/api/ledgers/${ledger.key}/records/${base.id}`);
      const fresh = initialValues(ledger, latest);
      const kept: FormValues = {};
      for (const f of fields) {
        const t = toApiValue(f, typed[f.key]);
        if (t !== toApiValue(f, initial[f.key])) kept[f.key] = typed[f.key];
      }
      setBase(latest);
      form.setFieldsValue({ ...fresh, ...kept });
      setProblem({ text: '已载入他人修改后的最新内容，您改动的内容已保留，请核对后再保存' });
    } catch (e) {
      setProblem({ text: errorMessage(e) });
    }
  }

  return (
    <Drawer
      open
      title={record ? `编辑${ledger.title}记录` : `新增${ledger.title}记录`}
      size={phone ? '100%' : 560}
      onClose={props.onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={props.onClose}>取消</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="record-save">
            保存
          </Button>
        </Space>
      }
      data-testid="record-form"
    >
      {problem && (
        <Alert
          type={problem.stale ? 'warning' : 'error'}
          showIcon
          title={problem.text}
          style={{ marginBottom: 16 }}
          data-testid="record-form-problem"
          action={
            problem.stale ? (
              <Button size="small" onClick={() => void reloadLatest()}>
                载入最新内容
              </Button>
            ) : undefined
          }
        />
      )}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void submit(v)}
        onFinishFailed={({ errorFields }) => {
          const first = errorFields[0]?.name;
          if (first) form.scrollToField(first, { block: 'center' });
        }}
        scrollToFirstError={false}
        requiredMark
        className="record-form"
      >
        {fields.map((f) => {
          const masked = (f.type === 'idNumber' || f.type === 'phone') && record;
          const shown = masked && !isEmpty(base?.[f.key]) ? `当前：${String(base?.[f.key])}` : undefined;
          return (
            <Form.Item
              key={f.key}
              name={f.key}
              label={shownLabel(f)}
              className={wide(f) ? 'span-2' : undefined}
              tooltip={f.hint}
              extra={shown}
              required={f.required}
              rules={f.required && !masked ? [{ required: true, message: `请${CHOSEN.has(f.type) ? '选择' : '填写'}“${shownLabel(f)}”` }] : []}
              data-testid={`field-${f.key}`}
            >
              <FieldInput field={f} names={names} editing={Boolean(record)} />
            </Form.Item>
          );
        })}
      </Form>
    </Drawer>
  );
}

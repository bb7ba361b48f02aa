/**
 * 安全排查登记 on a phone, for the 网格员 (their landing page, `/m/inspection`): one big form that
 * takes well under a minute — the grid preselected (the only one in scope, or the last used), the
 * date today, the inspector the user, the object type as big buttons, the hazard counts as
 * steppers (已整改数 never above 发现隐患数). 保存并继续 keeps grid, date and inspector for the next.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Result, Select, Spin, Typography } from 'antd';
import { CheckCircleFilled, MinusOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { canLedger } from '../../../../src/domain/policy.ts';
import { ApiError, api, errorMessage } from '../../lib/api.ts';
import { useAreas } from '../../lib/areas.tsx';
import { useMe } from '../../lib/auth.tsx';
import { todayShanghai } from '../../lib/format.ts';
import { useLedgers, type LedgerRecord } from '../../lib/ledgers.tsx';
import { applyServerErrors } from './RecordForm.tsx';

const OBJECT_TYPES_FALLBACK = ['商户', '居民户', '人员密集场所', '企业', '其他'];

interface Values {
  grid?: string;
  date?: Dayjs;
  inspector?: string;
  objectType?: string;
  objectName?: string;
  campaign?: string;
  hazards: number;
  rectified: number;
}

interface Remembered {
  grid?: string;
  inspector?: string;
  campaign?: string;
}

function storageKey(username: string) {
  return `jiceng.m.inspection.${username}`;
}

function recall(username: string): Remembered {
  try {
    return JSON.parse(localStorage.getItem(storageKey(username)) ?? '{}') as Remembered;
  } catch {
    return {};
  }
}

function remember(username: string, r: Remembered) {
  try {
    localStorage.setItem(storageKey(username), JSON.stringify(r));
  } catch {
    // private mode: nothing remembered, nothing lost
  }
}

/** − n + with big targets; the number can also be typed. */
function Stepper(props: { value?: number; onChange?: (v: number) => void; max?: number; testId: string; label: string }) {
  const v = props.value ?? 0;
  const set = (n: number) => props.onChange?.(Math.max(0, props.max !== undefined ? Math.min(props.max, n) : n));
  return (
    <div className="m-stepper" data-testid={props.testId}>
      <Button size="large" icon={<MinusOutlined />} aria-label={`${props.label}减一`} disabled={v <= 0} onClick={() => set(v - 1)} />
      <InputNumber
        size="large"
        value={v}
        min={0}
        precision={0}
        controls={false}
        inputMode="numeric"
        aria-label={props.label}
        onChange={(n) => props.onChange?.(Math.max(0, Number(n ?? 0)))}
      />
      <Button
        size="large"
        icon={<PlusOutlined />}
        aria-label={`${props.label}加一`}
        disabled={props.max !== undefined && v >= props.max}
        onClick={() => set(v + 1)}
      />
    </div>
  );
}

/** Big buttons for a short enum. */
function ChoiceButtons(props: { value?: string; onChange?: (v: string) => void; options: string[]; id?: string }) {
  return (
    <div className="m-choices" id={props.id} role="radiogroup">
      {props.options.map((o) => (
        <Button
          key={o}
          size="large"
          autoInsertSpace={false}
          type={props.value === o ? 'primary' : 'default'}
          role="radio"
          aria-checked={props.value === o}
          onClick={() => props.onChange?.(o)}
          data-testid={`m-type-${o}`}
        >
          {o}
        </Button>
      ))}
    </div>
  );
}

export function PhoneInspectionPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const { byKey, loading: catalogueLoading } = useLedgers();
  const { items: areas, byCode, loading: areasLoading } = useAreas();
  const ledger = byKey.get('inspections');
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<LedgerRecord[]>([]);
  const [todayCount, setTodayCount] = useState<number | null>(null);
  const nameRef = useRef<{ focus: () => void } | null>(null);
  const username = me.user.username;

  const grids = useMemo(() => areas.filter((a) => a.kind === '网格' && !a.retiredOn), [areas]);
  const objectTypes = ledger?.fields.find((f) => f.key === 'objectType')?.values ?? OBJECT_TYPES_FALLBACK;

  // Defaults once the grids are known: the only grid, else the one used last (if still in scope).
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (ready || areasLoading) return;
    const r = recall(username);
    const grid = grids.length === 1 ? grids[0]!.code : r.grid && grids.some((g) => g.code === r.grid) ? r.grid : undefined;
    form.setFieldsValue({
      grid,
      date: dayjs(todayShanghai()),
      inspector: r.inspector || me.user.displayName || username,
      campaign: r.campaign ?? '',
      hazards: 0,
      rectified: 0,
    });
    setReady(true);
  }, [ready, areasLoading, grids, form, username, me.user.displayName]);

  const grid = Form.useWatch('grid', form);
  const hazards = Form.useWatch('hazards', form) ?? 0;

  const countToday = useCallback(
    (code: string | undefined) => {
      if (!code) {
        setTodayCount(null);
        return;
      }
      const t = todayShanghai();
      api
        .get<{ value: number }>(`/api/metrics/query?ledger=inspections&measure=count&from=${t}&to=${t}&area=${encodeURIComponent(code)}`)
        .then((r) => setTodayCount(Number(r.value)))
        .catch(() => setTodayCount(null));
    },
    [],
  );
  useEffect(() => countToday(grid), [grid, countToday]);

  if (!canLedger(me.user.role, 'inspections', 'write')) return <Result status="403" title="无权访问" subTitle="您的角色不能登记安全排查。" />;
  if (catalogueLoading || areasLoading) return <Spin style={{ display: 'block', margin: '80px auto' }} description="正在加载…" />;
  if (grids.length === 0)
    return <Result status="info" title="您的范围内没有网格" subTitle="安全排查记录属于网格。请联系管理员把您的账号设到网格或其上级区域。" />;

  async function save(v: Values) {
    if (!ledger) return;
    setBusy(true);
    setProblem(null);
    const body = {
      date: v.date!.format('YYYY-MM-DD'),
      grid: v.grid,
      objectType: v.objectType,
      objectName: v.objectName?.trim(),
      inspector: v.inspector?.trim(),
      ...(v.campaign?.trim() ? { campaign: v.campaign.trim() } : {}),
      hazards: v.hazards ?? 0,
      rectified: v.rectified ?? 0,
    };
    try {
      const rec = await api.post<LedgerRecord>('/api/ledgers/inspections/records', body);
      remember(username, { grid: v.grid, inspector: body.inspector, campaign: v.campaign?.trim() ?? '' });
      setSaved((s) => [rec, ...s].slice(0, 5));
      message.success({ content: `已保存：${body.objectName}`, duration: 2 });
      // Next object: same grid, date, inspector and campaign.
      form.setFieldsValue({ objectType: undefined, objectName: '', hazards: 0, rectified: 0 });
      form.setFields([
        { name: 'objectType', errors: [] },
        { name: 'objectName', errors: [] },
      ]);
      countToday(v.grid);
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (e) {
      if (e instanceof ApiError && e.details.length) {
        const rest = applyServerErrors(form, ledger, e);
        setProblem(rest.length ? rest.join('；') : '请按提示改正标红的内容');
      } else setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const gridOptions = grids.map((g) => {
    const parent = g.parentCode ? byCode.get(g.parentCode)?.name : undefined;
    return { value: g.code, label: g.name, parent, search: `${g.name} ${g.code} ${parent ?? ''}`.toLowerCase() };
  });

  return (
    <div className="m-page" data-testid="phone-inspection">
      <div className="m-head" data-testid="m-today">
        {todayCount === null ? '\u00a0' : `今天本网格已登记 ${todayCount} 条`}
      </div>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="m-problem" />}
      <Form<Values> form={form} layout="vertical" size="large" onFinish={(v) => void save(v)} requiredMark className="m-form" disabled={!ready}>
        <Form.Item name="grid" label="网格" rules={[{ required: true, message: '请选择网格' }]}>
          <Select
            data-testid="m-grid"
            options={gridOptions}
            placeholder="选择网格"
            showSearch={{ filterOption: (input, o) => String(o?.search ?? '').includes(input.trim().toLowerCase()) }}
            optionRender={(o) => (
              <div style={{ display: 'flex', gap: 6, minWidth: 0, alignItems: 'baseline' }}>
                <span className="ellipsis">{o.data.label}</span>
                {o.data.parent && <span className="tree-title-meta ellipsis">{o.data.parent}</span>}
              </div>
            )}
            listHeight={300}
          />
        </Form.Item>
        <div className="m-row">
          <Form.Item name="date" label="排查日期" rules={[{ required: true, message: '请选择日期' }]} data-testid="m-date">
            <DatePicker inputReadOnly allowClear={false} format="YYYY-MM-DD" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="inspector" label="排查人" rules={[{ required: true, whitespace: true, message: '请填写排查人' }]}>
            <Input data-testid="m-inspector" maxLength={40} />
          </Form.Item>
        </div>
        <Form.Item name="objectType" label="对象类型" rules={[{ required: true, message: '请选择对象类型' }]}>
          <ChoiceButtons
            options={objectTypes}
            onChange={() => {
              setTimeout(() => nameRef.current?.focus(), 0);
            }}
          />
        </Form.Item>
        <Form.Item name="objectName" label="对象名称" rules={[{ required: true, whitespace: true, message: '请填写对象名称' }]}>
          <Input ref={(el) => void (nameRef.current = el)} placeholder="如：金色新城3号楼1单元101室、XX超市" data-testid="m-object-name" maxLength={100} />
        </Form.Item>
        <div className="m-counts">
          <Form.Item name="hazards" label="发现隐患数（处）" rules={[{ required: true, type: 'number', min: 0, message: '请填写发现隐患数' }]}>
            <Stepper testId="m-hazards" label="发现隐患数" />
          </Form.Item>
          <Form.Item
            name="rectified"
            label="已整改数（处）"
            dependencies={['hazards']}
            rules={[
              { required: true, type: 'number', min: 0, message: '请填写已整改数' },
              ({ getFieldValue }) => ({
                validator: (_, value: number) =>
                  (value ?? 0) <= (getFieldValue('hazards') ?? 0) ? Promise.resolve() : Promise.reject(new Error('已整改数不能多于发现隐患数')),
              }),
            ]}
          >
            <Stepper testId="m-rectified" label="已整改数" max={hazards} />
          </Form.Item>
        </div>
        <Form.Item name="campaign" label="专项行动（可不填）">
          <Input placeholder="如：冬春火灾防控" data-testid="m-campaign" maxLength={60} />
        </Form.Item>
        <div className="m-submit">
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="m-save">
            保存并继续
          </Button>
        </div>
      </Form>
      {saved.length > 0 && (
        <div className="m-saved" data-testid="m-saved">
          <Typography.Text type="secondary">本次已保存</Typography.Text>
          {saved.map((r) => (
            <div key={r.id} className="m-saved-item">
              <CheckCircleFilled style={{ color: '#52c41a' }} />
              <span className="ellipsis" style={{ flex: '1 1 auto' }}>
                {String(r.objectName)}
              </span>
              <span className="tree-title-meta">
                {String(r.objectType)} · 隐患{String(r.hazards)}/整改{String(r.rectified)}
              </span>
            </div>
          ))}
        </div>
      )}
      <Button
        type="link"
        block
        icon={<UnorderedListOutlined />}
        onClick={() => navigate({ pathname: '/ledgers/inspections', search: params.get('area') ? `?area=${encodeURIComponent(params.get('area')!)}` : '' })}
        style={{ marginTop: 8 }}
      >
        查看排查记录
      </Button>
    </div>
  );
}

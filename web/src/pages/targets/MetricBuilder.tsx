/**
 * A metric built by picking: ledger → measure (count, or the sum or distinct count of a field) →
 * filters (enum fields as drop-downs), with the LIVE value for the chosen area and year from
 * /api/metrics/query. Filters and measures name fields by label, as the server's queries do.
 */
import { useMemo } from 'react';
import { Alert, Button, Form, Select, Space, Spin, Statistic, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { withArea } from '../../lib/api.ts';
import { formatNumber, isNumeric, selectFilterFields, useLedgers, type LedgerInfo } from '../../lib/ledgers.tsx';
import { useFetch } from '../../lib/useFetch.ts';

export interface Metric {
  ledger: string;
  measure: string;
  filters: Record<string, string>;
}

export const EMPTY_METRIC: Metric = { ledger: '', measure: 'count', filters: {} };

export function measureOptions(l: LedgerInfo | undefined): Array<{ value: string; label: string }> {
  if (!l) return [];
  const fields = l.fields.filter((f) => f.type !== 'idNumber' && f.type !== 'phone' && f.type !== 'longtext');
  return [
    { value: 'count', label: '记录条数' },
    ...fields.filter(isNumeric).map((f) => ({ value: `sum:${f.label}`, label: `${f.label}之和` })),
    ...fields.filter((f) => f.type === 'text' || f.type === 'org' || f.type === 'area' || f.type === 'unit' || isNumeric(f)).map((f) => ({ value: `distinct:${f.label}`, label: `不同的${f.label}数` })),
  ];
}

/** The query path of a metric over a year (the records: the same path on /api/metrics/records). */
export function metricPath(m: Metric, area: string | null, year: number): string | null {
  if (!m.ledger || !m.measure) return null;
  const extra: Record<string, string> = { ledger: m.ledger, measure: m.measure, from: `${year}-01-01`, to: `${year}-12-31` };
  for (const [k, v] of Object.entries(m.filters)) if (v) extra[`f.${k}`] = v;
  return withArea('/api/metrics/query', area, extra);
}

export function MetricBuilder({ value, onChange, area, year, testId = 'metric' }: { value: Metric; onChange: (m: Metric) => void; area: string | null; year: number; testId?: string }) {
  const { items, byKey } = useLedgers();
  const ledger = byKey.get(value.ledger);
  const enumFields = ledger ? selectFilterFields(ledger) : [];
  const path = metricPath(value, area, year);
  const live = useFetch<{ value: number | string; unit: string | null }>(path);
  const measures = useMemo(() => measureOptions(ledger), [ledger]);
  const used = Object.keys(value.filters);

  return (
    <div className="metric-builder" data-testid={testId}>
      <Form.Item label="台账" required style={{ marginBottom: 12 }}>
        <Select
          data-testid={`${testId}-ledger`}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="选择台账"
          value={value.ledger || undefined}
          onChange={(k: string) => onChange({ ledger: k, measure: 'count', filters: {} })}
          options={items.map((l) => ({ value: l.key, label: l.title }))}
        />
      </Form.Item>
      <Form.Item label="统计方式" required style={{ marginBottom: 12 }}>
        <Select data-testid={`${testId}-measure`} disabled={!ledger} value={ledger ? value.measure : undefined} placeholder="先选择台账" onChange={(m: string) => onChange({ ...value, measure: m })} options={measures} />
      </Form.Item>
      <Form.Item label="筛选条件" style={{ marginBottom: 12 }}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {used.map((k) => {
            const f = enumFields.find((x) => x.label === k);
            return (
              <Space.Compact key={k} style={{ width: '100%' }}>
                <Select style={{ width: 150 }} value={k} disabled options={[{ value: k, label: k }]} />
                <Select
                  data-testid={`${testId}-filter-${k}`}
                  mode="multiple"
                  style={{ flex: 1, minWidth: 160 }}
                  placeholder="取值（可多选）"
                  value={value.filters[k] ? value.filters[k]!.split(',') : []}
                  onChange={(vs: string[]) => onChange({ ...value, filters: { ...value.filters, [k]: vs.join(',') } })}
                  options={(f?.values ?? []).map((v) => ({ value: v, label: v }))}
                />
                <Button
                  icon={<DeleteOutlined />}
                  aria-label="移除条件"
                  onClick={() => {
                    const next = { ...value.filters };
                    delete next[k];
                    onChange({ ...value, filters: next });
                  }}
                />
              </Space.Compact>
            );
          })}
          {ledger && enumFields.some((f) => !used.includes(f.label)) && (
            <Select
              data-testid={`${testId}-add-filter`}
              style={{ width: 220 }}
              value={null}
              placeholder={
                <span>
                  <PlusOutlined /> 添加筛选条件
                </span>
              }
              onChange={(k: string) => onChange({ ...value, filters: { ...value.filters, [k]: '' } })}
              options={enumFields.filter((f) => !used.includes(f.label)).map((f) => ({ value: f.label, label: f.label }))}
            />
          )}
        </Space>
      </Form.Item>
      <div className="metric-live" data-testid={`${testId}-live`}>
        {!path ? (
          <Typography.Text type="secondary">选择台账后显示实时数值</Typography.Text>
        ) : live.error ? (
          <Alert type="error" showIcon title={live.error.message} />
        ) : (
          <Spin spinning={live.loading}>
            <Statistic
              title={`${year}年实时数值`}
              value={live.data ? (value.measure.startsWith('rate:') ? `${Math.round(Number(live.data.value) * 1000) / 10}%` : formatNumber(live.data.value)) : '—'}
              suffix={live.data?.unit && !value.measure.startsWith('rate:') ? live.data.unit : undefined}
              styles={{ content: { color: '#c41d1d' } }}
            />
            <span data-testid={`${testId}-live-value`} data-value={live.loading || !live.data ? '' : String(live.data.value)} hidden />
          </Spin>
        )}
      </div>
    </div>
  );
}

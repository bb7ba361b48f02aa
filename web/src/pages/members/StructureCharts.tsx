/**
 * 党员结构 charts: gender (pie), age bands, 党龄 bands and education (bars), each from a metric
 * query grouped on the server. Loaded on demand (ECharts is a bundle of its own). A slice or bar
 * opens the members it counts. No animation under automation (screenshots are taken at once).
 */
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useChart } from '../../lib/useChart.ts';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Group {
  key: string;
  label: string;
  value: number;
}

const RED = '#c41d1d';
const PALETTE = ['#c41d1d', '#d4a017', '#1677ff', '#13a8a8', '#722ed1', '#fa8c16', '#52c41a', '#eb2f96', '#8c8c8c'];

export function PieGroups({ groups, testId, onPick }: { groups: Group[]; testId: string; onPick: (g: Group) => void }) {
  const total = groups.reduce((s, g) => s + g.value, 0);
  const el = useChart(
    () => ({
      color: [RED, '#d4a017', '#8c8c8c'],
      tooltip: { trigger: 'item', formatter: '{b}：{c}人（{d}%）', confine: true },
      legend: {
        bottom: 0,
        left: 'center',
        itemWidth: 12,
        itemHeight: 10,
        formatter: (name: string) => `${name} ${groups.find((g) => g.label === name)?.value ?? 0}人`,
      },
      series: [
        {
          type: 'pie',
          radius: ['40%', '72%'],
          center: ['50%', '45%'],
          label: {
            position: 'inside',
            color: '#fff',
            fontSize: 12,
            formatter: (p: { value: number }) => (total && p.value / total >= 0.05 ? `${Math.round((p.value / total) * 1000) / 10}%` : ''),
          },
          data: groups.map((g) => ({ name: g.label, value: g.value })),
        },
      ],
    }),
    [groups, total],
    (i) => groups[i] && onPick(groups[i]!),
  );
  return <div ref={el} className="structure-chart" data-testid={testId} />;
}

export function BarGroups({ groups, testId, onPick, horizontal }: { groups: Group[]; testId: string; onPick: (g: Group) => void; horizontal?: boolean }) {
  const el = useChart(
    () => {
      const cat = { type: 'category', data: groups.map((g) => g.label), axisTick: { show: false }, axisLabel: { fontSize: 11, color: 'rgba(0,0,0,0.7)', interval: 0, ...(horizontal ? {} : { rotate: groups.length > 6 ? 30 : 0 }) } };
      const val = { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { fontSize: 11 } };
      return {
        grid: { left: 8, right: horizontal ? 40 : 12, top: 24, bottom: 4, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, valueFormatter: (v: number) => `${v}人` },
        xAxis: horizontal ? val : cat,
        yAxis: horizontal ? { ...cat, inverse: true } : val,
        series: [
          {
            type: 'bar',
            barMaxWidth: 26,
            itemStyle: { color: (p: { dataIndex: number }) => (groups[p.dataIndex]?.key === '' ? '#bfbfbf' : PALETTE[0]), borderRadius: horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] },
            label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 11, color: 'rgba(0,0,0,0.65)' },
            data: groups.map((g) => g.value),
          },
        ],
      };
    },
    [groups, horizontal],
    (i) => groups[i] && onPick(groups[i]!),
  );
  return <div ref={el} className="structure-chart" data-testid={testId} />;
}

/**
 * 工作台 charts: bars (or a line) of groups and a pie, each from a metric query grouped on the
 * server. A bar, point or slice opens the records it counts. No animation under automation.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useChart } from '../../lib/useChart.ts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Group {
  key: string;
  label: string;
  value: number;
}

const RED = '#c41d1d';

export function GroupChart({ groups, testId, onPick, kind = 'bar', unit = '', color = RED, short }: { groups: Group[]; testId: string; onPick: (g: Group) => void; kind?: 'bar' | 'line' | 'hbar'; unit?: string; color?: string; short?: (g: Group) => string }) {
  const el = useChart(
    () => {
      const horizontal = kind === 'hbar';
      const cat = { type: 'category', data: groups.map((g) => (short ? short(g) : g.label)), axisTick: { show: false }, axisLabel: { fontSize: 11, color: 'rgba(0,0,0,0.7)', interval: 0, ...(horizontal ? {} : { rotate: groups.length > 8 && !short ? 30 : 0 }) } };
      const val = { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { fontSize: 11 } };
      return {
        grid: { left: 8, right: horizontal ? 48 : 12, top: 24, bottom: 4, containLabel: true },
        tooltip: { trigger: kind === 'line' ? 'item' : 'axis', axisPointer: { type: 'shadow' }, confine: true, valueFormatter: (v: number) => `${v}${unit}` },
        xAxis: horizontal ? val : cat,
        yAxis: horizontal ? { ...cat, inverse: true } : val,
        series: [
          kind === 'line'
            ? { type: 'line', smooth: true, symbolSize: 9, itemStyle: { color }, lineStyle: { color, width: 2 }, areaStyle: { color, opacity: 0.08 }, label: { show: true, position: 'top', fontSize: 11 }, data: groups.map((g) => g.value) }
            : {
                type: 'bar',
                barMaxWidth: 26,
                itemStyle: { color, borderRadius: horizontal ? [0, 3, 3, 0] : [3, 3, 0, 0] },
                label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 11, color: 'rgba(0,0,0,0.65)' },
                data: groups.map((g) => g.value),
              },
        ],
      };
    },
    [groups, kind, unit, color],
    (i) => groups[i] && onPick(groups[i]!),
  );
  return <div ref={el} className="dash-chart" data-testid={testId} />;
}

export function PieChartGroups({ groups, testId, onPick, unit = '' }: { groups: Group[]; testId: string; onPick: (g: Group) => void; unit?: string }) {
  const el = useChart(
    () => ({
      color: [RED, '#d4a017', '#1677ff', '#8c8c8c'],
      tooltip: { trigger: 'item', formatter: `{b}：{c}${unit}（{d}%）`, confine: true },
      legend: { bottom: 0, left: 'center', itemWidth: 12, itemHeight: 10, formatter: (name: string) => `${name} ${groups.find((g) => g.label === name)?.value ?? 0}${unit}` },
      series: [
        {
          type: 'pie',
          radius: ['30%', '72%'],
          center: ['50%', '45%'],
          label: { show: true, position: 'inside', color: '#fff', fontSize: 12, formatter: (p: { percent: number }) => `${Math.round(p.percent)}%` },
          data: groups.map((g) => ({ name: g.label, value: g.value })),
        },
      ],
    }),
    [groups, unit],
    (i) => groups[i] && onPick(groups[i]!),
  );
  return <div ref={el} className="dash-chart" data-testid={testId} />;
}

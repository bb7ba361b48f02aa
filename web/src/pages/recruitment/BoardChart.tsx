/**
 * The board as a chart: one horizontal stacked bar per branch, a segment per stage, branches with
 * the most people on top. Loaded on demand (ECharts is a large bundle of its own). A click on a
 * segment opens the people it counts.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { BOARD_STAGES, type BoardStage } from '../../lib/recruitment.ts';
import type { BranchRow } from './BoardPage.tsx';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const ROW = 26;

export default function BoardChart({ rows, phone, onPick }: { rows: BranchRow[]; phone: boolean; onPick: (org: string, stage: BoardStage) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const height = Math.max(220, rows.length * ROW + 70);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const chart = echarts.init(node, undefined, { renderer: 'canvas' });
    // Largest on top: the category axis runs bottom-up, so the list goes in reversed.
    const ordered = [...rows].reverse();
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
      xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      yAxis: {
        type: 'category',
        data: ordered.map((r) => r.orgName || r.org),
        axisTick: { show: false },
        axisLabel: { width: phone ? 110 : 220, overflow: 'truncate', fontSize: 12, color: 'rgba(0,0,0,0.75)' },
      },
      series: BOARD_STAGES.map((s) => ({
        name: s.label,
        type: 'bar',
        stack: 'people',
        barMaxWidth: 18,
        itemStyle: { color: s.color },
        emphasis: { focus: 'series' },
        label: { show: !phone, position: 'inside', fontSize: 11, color: '#fff', formatter: (p: { value: number }) => (p.value ? String(p.value) : '') },
        data: ordered.map((r) => r.counts[s.key] || 0),
      })),
    });
    chart.on('click', (p) => {
      const stage = BOARD_STAGES[p.seriesIndex ?? -1]?.key;
      const row = ordered[p.dataIndex];
      if (stage && row) pick.current(row.org, stage);
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [rows, phone]);

  return <div ref={el} data-testid="board-chart" style={{ width: '100%', height }} />;
}

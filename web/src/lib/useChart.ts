/**
 * One ECharts chart in a div: built from `build()` when `deps` change, resized with its box, a
 * click on a bar, point or slice reported by its index. No animation under automation (browser
 * tests screenshot at once). Callers register the chart types they use with `echarts.use`.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';

const ANIMATE = typeof navigator === 'undefined' || !navigator.webdriver;

export function useChart(build: () => echarts.EChartsCoreOption, deps: unknown[], onPick: (index: number) => void) {
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const chart = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.setOption({ animation: ANIMATE, ...build() });
    chart.on('click', (p) => {
      if (typeof p.dataIndex === 'number') pick.current(p.dataIndex);
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(node);
    node.dataset.rendered = 'true';
    return () => {
      ro.disconnect();
      chart.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return el;
}

/** The year a page shows (`?year=`), defaulting to the last full year; and its picker. */
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { Select } from 'antd';

export const THIS_YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

/** The year chosen last (this tab), when the URL names none: the menu keeps only the area. */
const YEAR_KEY = 'jiceng.dashboard.year';

export function useYearParam(): [number, (y: number) => void] {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('year')) || Number(sessionStorage.getItem(YEAR_KEY));
  const year = asked >= 2000 && asked <= 2100 ? asked : THIS_YEAR - 1;
  useEffect(() => {
    if (params.get('year') === String(year)) sessionStorage.setItem(YEAR_KEY, String(year));
  }, [year, params]);
  const set = (y: number) => {
    sessionStorage.setItem(YEAR_KEY, String(y));
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('year', String(y));
      return next;
    });
  };
  return [year, set];
}

export function YearPicker({ year, onChange, testId }: { year: number; onChange: (y: number) => void; testId: string }) {
  const years: number[] = [];
  for (let y = THIS_YEAR; y >= THIS_YEAR - 6; y--) years.push(y);
  if (!years.includes(year)) years.push(year);
  return <Select data-testid={testId} value={year} onChange={onChange} style={{ width: 120 }} options={years.map((y) => ({ value: y, label: `${y}年度`, title: `${y}年度` }))} />;
}

/** Instants come as UTC ISO strings; users read them in Beijing time. */
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // zh-CN gives 2026/11/29 09:04:09; show dashes like the rest of the app.
  return dateTime.format(d).replace(/\//g, '-');
}

/** Today as YYYY-MM-DD in the Asia/Shanghai calendar. */
export function todayShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

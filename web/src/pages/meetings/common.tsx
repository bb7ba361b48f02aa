/**
 * 组织生活 in the web app: the API's shapes (compliance, meetings due, a meeting's full record),
 * how meeting types and periods read, the colours of types and of compliance states, and the
 * quorum rule as the server counts it (支部工作条例 arts. 12, 14: more than half of those who
 * should attend; for a 党员大会 only full members, who have a vote).
 */
import { Tag } from 'antd';
import { useAreaParam } from '../../lib/areas.tsx';

export type CellStatus = 'met' | 'missed' | 'due' | 'na';

export interface ComplianceCell {
  meetingType: string;
  period: string;
  required: number;
  held: number;
  status: CellStatus;
  notCounted?: number;
}

export interface ComplianceRow {
  org: string;
  orgName: string;
  cells: ComplianceCell[];
}

export interface Finding {
  org: string;
  meetingType: string;
  period: string;
  message: string;
  rule: string;
}

export interface ComplianceAnswer {
  rows: ComplianceRow[];
  findings: Finding[];
}

export interface MeetingRule {
  meetingType: string;
  orgKind: string;
  period: 'month' | 'quarter' | 'year';
  min: number;
  needsCommittee?: boolean;
  quorum?: 'members' | 'committee';
  rule: string;
}

export interface DueItem {
  org: string;
  orgName: string;
  meetingType: string;
  period: string;
  required: number;
  held: number;
  deadline: string;
}

/** A meetings ledger record as the API answers it (field keys of the catalogue). */
export interface MeetingRow {
  id: number;
  version: number;
  date: string;
  org: string;
  type: string;
  topic: string;
  firstAgendaItem: boolean | null;
  expected: number | null;
  present: number | null;
  areaCode: string | null;
  areaName: string | null;
  findings?: Array<{ message: string }>;
}

export type AttendanceStatus = '出席' | '请假' | '缺席';

export interface Attendee {
  memberId: number;
  name: string;
  category: '正式党员' | '预备党员';
  partyPost: string | null;
  status: AttendanceStatus | null;
  reason: string | null;
}

export interface Attachment {
  id: number;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface MeetingRecord {
  meeting: MeetingRow;
  details: {
    host: string | null;
    recorder: string | null;
    agenda: Array<{ title: string; firstAgendaItem: boolean }>;
    minutes: string | null;
    decisions: string | null;
  };
  attendance: Attendee[];
  attachments: Attachment[];
}

/** Meeting types in the ledger's order, with a short name and a colour of their own. */
export const MEETING_TYPES: Array<{ type: string; short: string; color: string }> = [
  { type: '支部党员大会', short: '党员大会', color: '#c0392b' },
  { type: '支部委员会', short: '支委会', color: '#d4762b' },
  { type: '党小组会', short: '党小组会', color: '#a0822d' },
  { type: '党课', short: '党课', color: '#2f6fb5' },
  { type: '主题党日', short: '主题党日', color: '#2e8b57' },
  { type: '组织生活会', short: '组织生活会', color: '#7a4fb0' },
  { type: '民主评议党员', short: '民主评议', color: '#b0497a' },
  { type: '党工委会议', short: '党工委会', color: '#5b6b80' },
  { type: '党建工作专题会议', short: '专题会议', color: '#1f8a8a' },
];
const TYPE_INFO = new Map(MEETING_TYPES.map((t) => [t.type, t]));

export function typeColor(type: string): string {
  return TYPE_INFO.get(type)?.color ?? '#8c8c8c';
}
export function typeShort(type: string): string {
  return TYPE_INFO.get(type)?.short ?? type;
}

export function TypeTag({ type, short }: { type: string; short?: boolean }) {
  return (
    <Tag color={typeColor(type)} style={{ marginInlineEnd: 0 }}>
      {short ? typeShort(type) : type}
    </Tag>
  );
}

export const STATUS_INFO: Record<CellStatus, { label: string; color: string; bg: string; fg: string }> = {
  met: { label: '已落实', color: 'success', bg: '#d9f2df', fg: '#236b3a' },
  missed: { label: '未落实', color: 'error', bg: '#fbd5d2', fg: '#a3261b' },
  due: { label: '进行中', color: 'processing', bg: '#e3edfb', fg: '#2f5d9e' },
  na: { label: '不适用', color: 'default', bg: '#f4f5f7', fg: '#a8adb5' },
};

export const PERIOD_WORD: Record<MeetingRule['period'], string> = { month: '每月', quarter: '每季度', year: '每年' };

/** 2024 → 2024年, 2024-Q2 → 2024年第二季度, 2024-05 → 2024年5月. */
export function periodLabel(period: string): string {
  if (/^\d{4}$/.test(period)) return `${period}年`;
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `${q[1]}年第${'一二三四'[Number(q[2]) - 1]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return period;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** First and last day of a period (as the server's periodRange). */
export function periodRange(period: string): { from: string; to: string } {
  if (/^\d{4}$/.test(period)) return { from: `${period}-01-01`, to: `${period}-12-31` };
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) {
    const y = Number(q[1]);
    const n = Number(q[2]);
    return { from: `${y}-${pad(n * 3 - 2)}-01`, to: `${y}-${pad(n * 3)}-${pad(new Date(Date.UTC(y, n * 3, 0)).getUTCDate())}` };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(period)!;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return { from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${pad(new Date(Date.UTC(y, mo, 0)).getUTCDate())}` };
}

/** Month indexes (0–11) a period covers. */
export function periodMonths(period: string): number[] {
  const { from, to } = periodRange(period);
  const a = Number(from.slice(5, 7)) - 1;
  const b = Number(to.slice(5, 7)) - 1;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/**
 * A date to prefill when recording a meeting of a period: the 15th of its last month for a period
 * that is over, else the reference day (today) when it lies inside the period, else its first day.
 */
export function suggestedDate(period: string, today: string): string {
  const { from, to } = periodRange(period);
  if (today >= from && today <= to) return today;
  if (today < from) return from;
  return `${to.slice(0, 8)}15`;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Types whose meetings count only when more than half of those who should attend came. */
export const QUORUM_TYPES = new Set(['支部党员大会', '支部委员会']);

/** Whether a meeting counts, as the compliance query judges it from its 应到/实到人数. */
export function belowQuorum(m: Pick<MeetingRow, 'type' | 'expected' | 'present'>): boolean {
  return QUORUM_TYPES.has(m.type) && m.present !== null && m.expected !== null && m.expected > 0 && m.present * 2 <= m.expected;
}

/** `{pathname, search}` for a link that keeps `?area=`. */
export function useAreaTo(): (pathname: string, extra?: Record<string, string>) => { pathname: string; search: string } {
  const [area] = useAreaParam();
  return (pathname, extra = {}) => {
    const q = new URLSearchParams();
    if (area) q.set('area', area);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const s = q.toString();
    return { pathname, search: s ? `?${s}` : '' };
  };
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The kind of organization a compliance row is, from the rules that judge it. */
export function rowKind(row: ComplianceRow): '党工委' | '党小组' | '党支部' {
  if (row.cells.some((c) => c.meetingType === '党建工作专题会议')) return '党工委';
  if (row.cells.some((c) => c.meetingType === '党小组会')) return '党小组';
  return '党支部';
}

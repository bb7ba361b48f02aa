/**
 * Table interfaces for Kysely. Instants are ISO 8601 UTC text and calendar dates `YYYY-MM-DD`
 * text on both databases, so values and ordering mean the same everywhere; booleans are 0/1.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

interface Versioned {
  version: Generated<number>;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
}

export interface AreaTable extends Versioned {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  /** Materialized path of ids, `/1/5/23/`: a subtree is one prefix condition. */
  path: string;
  depth: number;
  grid_type: string | null;
  retired_on: string | null;
}

export interface OrgTable extends Versioned {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  path: string;
  depth: number;
  area_id: number;
  category: string | null;
  founded_on: string | null;
  dissolved_on: string | null;
}

/** Codes are unique across areas and organizations together (CONTRACTS §4): one table holds both. */
export interface UnitCodeTable {
  code: string;
  unit_type: 'area' | 'org';
}

export interface UserTable extends Versioned {
  id: Generated<number>;
  username: string;
  display_name: string | null;
  password_hash: string;
  role: string;
  /** Null: the whole database (the first admin). */
  area_id: number | null;
  must_change_password: number;
  password_changed_at: string;
  failed_logins: number;
  locked_until: string | null;
  disabled: number;
  last_login_at: string | null;
  /** Two-factor sign-in: the confirmed TOTP secret, field-encrypted; null when not enrolled. */
  totp_secret_enc: string | null;
  /** A secret shown for enrolment, not yet confirmed with a code (field-encrypted). */
  totp_pending_enc: string | null;
  totp_enabled_at: string | null;
  /** The last RFC 6238 time step accepted: a code is accepted once. */
  totp_last_step: number | null;
}

/** Single-use recovery codes of two-factor sign-in; only keyed hashes are stored. */
export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface SessionTable {
  /** sha256 of the cookie value; the value itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  name: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  user_id: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  area_path: string | null;
  before: string | null;
  after: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/** One row: the chain head, locked by every write transaction so entries append in order. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  first_seq: number;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: number | null;
}

/** Files imported into ledgers, so the same file is recognized when it comes again. */
export interface LedgerImportTable {
  id: Generated<number>;
  ledger: string;
  file_name: string;
  file_sha256: string;
  area_id: number | null;
  rows: number;
  inserted: number;
  created_at: string;
  created_by: number | null;
}

/** Warnings kept on a record: history that breaks no hard rule but deserves a look. */
export interface RecordFindingTable {
  id: Generated<number>;
  ledger: string;
  record_id: number;
  field: string | null;
  message: string;
  source: string;
  created_at: string;
}

/** A dated step of 发展党员 recorded on an applicant (lg_applicants). */
export interface RecruitmentStepTable {
  id: Generated<number>;
  applicant_id: number;
  code: string;
  date: string;
  data: string | null;
  rule_set: string;
  created_at: string;
  created_by: number | null;
}

/** 组织关系转接 of a member (lg_members): within the street, out of it, or into it. */
export interface MemberTransferTable {
  id: Generated<number>;
  member_id: number;
  kind: string;
  date: string;
  from_org_id: number | null;
  to_org_id: number | null;
  outside_unit: string | null;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

/** A branch committee (支部委员会) and the period it exists; `members` is its size (the 支委会 quorum base). */
export interface OrgCommitteeTable {
  id: Generated<number>;
  org_id: number;
  established_on: string;
  ended_on: string | null;
  members: number;
  created_at: string;
  created_by: number | null;
}

export interface MeetingDetailTable {
  meeting_id: number;
  host: string | null;
  recorder: string | null;
  /** JSON: [{title, firstAgendaItem}] */
  agenda: string | null;
  minutes: string | null;
  decisions: string | null;
  updated_at: string;
  updated_by: number | null;
}

export interface MeetingAttendanceTable {
  id: Generated<number>;
  meeting_id: number;
  member_id: number;
  /** 出席 / 请假 / 缺席 */
  status: string;
  reason: string | null;
  /** 正式党员 / 预备党员 on the meeting's day: only the former vote. */
  category: string;
}

export interface MeetingAttachmentTable {
  id: Generated<number>;
  meeting_id: number;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_at: string;
  created_by: number | null;
}

/** A finalized (封账) annual report: what was signed, byte for byte. */
export interface FinalizedReportTable {
  id: Generated<number>;
  area_id: number;
  year: number;
  report_json: string;
  docx: Buffer;
  sha256: string;
  created_at: string;
  created_by: number | null;
}

/** A change to a record of a closed period, waiting for (or decided by) a leader. */
export interface CorrectionTable {
  id: Generated<number>;
  ledger: string;
  record_id: number;
  changes: string;
  reason: string;
  /** pending / approved / rejected */
  status: string;
  area_id: number;
  requested_at: string;
  requested_by: number | null;
  decided_at: string | null;
  decided_by: number | null;
}

export interface TargetTable {
  id: Generated<number>;
  area_id: number;
  year: number;
  title: string;
  ledger: string;
  measure: string;
  /** JSON: {fieldLabel: "V1,V2"} */
  filters: string;
  date_field: string | null;
  q: string | null;
  comparison: string;
  threshold: string;
  period: string;
  due_on: string;
  parent_id: number | null;
  version: Generated<number>;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
}

export interface ReportTemplateTable {
  id: Generated<number>;
  area_id: number;
  year: number;
  /** JSON of a ReportTemplate (domain/report/template.ts). */
  template: string;
  updated_at: string;
  updated_by: number | null;
}

/** Every export of ledger records (who, what, how many, masked or not, the file's sha256). */
export interface ExportLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  username: string | null;
  ip: string | null;
  ledger: string;
  area_path: string | null;
  /** JSON of the query's filters. */
  filters: string;
  format: string;
  unmasked: number;
  /** Null until the file has been written completely. */
  rows: number | null;
  sha256: string | null;
  /** started · done · failed */
  status: string;
}

/** Users a security administrator allowed to export unmasked 公民身份号码 / 手机号码. */
export interface ExportGrantTable {
  user_id: number;
  granted_at: string;
  granted_by: number | null;
}

export interface Database {
  export_log: ExportLogTable;
  export_grants: ExportGrantTable;
  report_templates: ReportTemplateTable;
  targets: TargetTable;
  finalized_reports: FinalizedReportTable;
  corrections: CorrectionTable;
  meeting_details: MeetingDetailTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_attachments: MeetingAttachmentTable;
  org_committees: OrgCommitteeTable;
  member_transfers: MemberTransferTable;
  record_findings: RecordFindingTable;
  recruitment_steps: RecruitmentStepTable;
  ledger_imports: LedgerImportTable;
  areas: AreaTable;
  orgs: OrgTable;
  unit_codes: UnitCodeTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  recovery_codes: RecoveryCodeTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  settings: SettingTable;
}

export type AreaRow = Selectable<AreaTable>;
export type NewAreaRow = Insertable<AreaTable>;
export type AreaUpdate = Updateable<AreaTable>;
export type OrgRow = Selectable<OrgTable>;
export type NewOrgRow = Insertable<OrgTable>;
export type UserRow = Selectable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;

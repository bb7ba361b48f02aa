/**
 * The member register beyond the generic ledger: organization-relationship transfers
 * (组织关系转接) with history, the roster of a branch on any date, branch-structure findings, and
 * revealing a masked 公民身份号码 / 手机号码 (a permission, and an audited act).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { fieldColumns } from '../domain/ledgers/columns.ts';
import { ledgerByKey } from '../domain/ledgers/catalogue.ts';
import type { LedgerDef } from '../domain/ledgers/types.ts';
import type { Store } from './db.ts';
import { decryptRows, getRecordRow, presentRecord } from './ledger.repository.ts';
import { RefIndex } from './refs.ts';
import { inScope, type Scope } from './scope.ts';
import { getOrgByCode } from './trees.repository.ts';
import type { Reader, Write } from './unit-of-work.ts';

const MEMBERS = ledgerByKey('members')!;

/** 组织关系转接: within the street, out of it, or into it. */
export type TransferKind = 'between' | 'out' | 'in';

export interface TransferInput {
  kind: TransferKind;
  date: string;
  /** For `between`: the branch the member moves to. */
  toOrg?: string;
  /** For `out` / `in`: the unit outside the street. */
  outsideUnit?: string;
  note?: string;
}

export async function transferMember(w: Write, scope: Scope, memberId: number, input: TransferInput): Promise<void> {
  const db = w.trx as unknown as Kysely<any>;
  const member = await getRecordRow(w.trx, MEMBERS, scope, memberId);
  const fromOrg = Number(member.org_ref);
  const last = await w.trx.selectFrom('member_transfers').select(['date', 'kind']).where('member_id', '=', memberId).orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirst();
  if (last && input.date < last.date) throw new AppError('VALIDATION_FAILED', `转接日期不能早于上一次转接（${last.date}）`);
  if (typeof member.joined_on === 'string' && input.kind !== 'in' && input.date < member.joined_on) throw new AppError('VALIDATION_FAILED', '转接日期不能早于入党日期');
  if (member.status === '已转出' && input.kind !== 'in') throw new AppError('VALIDATION_FAILED', '该党员的组织关系已转出');
  const stamp = w.now.toISOString();
  let toOrg: number | null = null;
  let fromRecorded: number | null = fromOrg;
  if (input.kind === 'between') {
    if (!input.toOrg) throw new AppError('VALIDATION_FAILED', '请选择转入的党组织');
    const org = await getOrgByCode(w.trx, scope, input.toOrg).catch(() => {
      throw new AppError('VALIDATION_FAILED', `党组织“${input.toOrg}”不存在或不在您的管辖范围内`);
    });
    if (org.kind !== '党支部' && org.kind !== '党总支' && org.kind !== '党委') throw new AppError('VALIDATION_FAILED', '组织关系应转入党支部（或直属党委、党总支）');
    if (org.id === fromOrg) throw new AppError('VALIDATION_FAILED', '转入的党组织与现所在党组织相同');
    toOrg = org.id;
    await db
      .updateTable('lg_members')
      .set({ org_ref: org.id, area_id: org.area_id, version: sql`version + 1`, updated_at: stamp, updated_by: w.actor.userId })
      .where('id', '=', memberId)
      .execute();
  } else if (input.kind === 'out') {
    if (!input.outsideUnit) throw new AppError('VALIDATION_FAILED', '请填写转往的单位');
    await db.updateTable('lg_members').set({ status: '已转出', version: sql`version + 1`, updated_at: stamp, updated_by: w.actor.userId }).where('id', '=', memberId).execute();
  } else {
    // Arrived from outside the street: before this date the member was in no branch here.
    if (!input.outsideUnit) throw new AppError('VALIDATION_FAILED', '请填写转出单位');
    fromRecorded = null;
    toOrg = fromOrg;
    if (member.status === '已转出') await db.updateTable('lg_members').set({ status: '正常', version: sql`version + 1`, updated_at: stamp }).where('id', '=', memberId).execute();
  }
  await w.trx
    .insertInto('member_transfers')
    .values({ member_id: memberId, kind: input.kind, date: input.date, from_org_id: fromRecorded, to_org_id: toOrg, outside_unit: input.outsideUnit ?? null, note: input.note ?? null, created_at: stamp, created_by: w.actor.userId })
    .execute();
  const refs = await RefIndex.load(w.trx);
  const area = refs.areasById.get(Number(member.area_id));
  await w.audit({
    action: 'update',
    entity: 'member_transfer',
    entityId: memberId,
    areaPath: area?.path ?? null,
    after: {
      kind: input.kind,
      date: input.date,
      from: fromRecorded ? refs.orgsById.get(fromRecorded)?.code : (input.outsideUnit ?? null),
      to: toOrg ? refs.orgsById.get(toOrg)?.code : (input.outsideUnit ?? null),
    },
  });
}

export async function transferHistory(store: Store, scope: Scope, memberId: number) {
  await getRecordRow(store.db, MEMBERS, scope, memberId);
  const refs = await RefIndex.load(store.db);
  const rows = await store.db.selectFrom('member_transfers').selectAll().where('member_id', '=', memberId).orderBy('date').orderBy('id').execute();
  return rows.map((t) => ({
    id: t.id,
    kind: t.kind,
    date: t.date,
    from: t.from_org_id ? (refs.orgsById.get(t.from_org_id)?.code ?? null) : null,
    fromName: t.from_org_id ? (refs.orgsById.get(t.from_org_id)?.name ?? null) : t.kind === 'in' ? t.outside_unit : null,
    to: t.to_org_id ? (refs.orgsById.get(t.to_org_id)?.code ?? null) : null,
    toName: t.to_org_id ? (refs.orgsById.get(t.to_org_id)?.name ?? null) : t.kind === 'out' ? t.outside_unit : null,
    note: t.note,
  }));
}

/**
 * The organization a member belonged to on `date`, as SQL over member `m`: the last transfer on
 * or before the date decides; before the first transfer, its origin; without transfers, the
 * current branch. Null: in no branch of the street that day.
 */
export function orgOnDate(date: string): RawBuilder<number | null> {
  return sql<number | null>`case
    when exists (select 1 from member_transfers t where t.member_id = r.id and t.date <= ${date})
      then (select t.to_org_id from member_transfers t where t.member_id = r.id and t.date <= ${date} order by t.date desc, t.id desc limit 1)
    when exists (select 1 from member_transfers t where t.member_id = r.id)
      then (select t.from_org_id from member_transfers t where t.member_id = r.id order by t.date asc, t.id asc limit 1)
    else r.org_ref end`;
}

export interface RosterEntry {
  id: number;
  name: string;
  gender: string;
  /** 正式党员 or 预备党员 on that date: only the former vote (党章 art. 7). */
  category: '正式党员' | '预备党员';
  partyPost: string | null;
}

/** Members of an organization on a date: one query, transfers and conversions taken into account. */
export async function rosterOn(db: Reader, orgId: number, date: string): Promise<RosterEntry[]> {
  const rows = (await (db as unknown as Kysely<any>)
    .selectFrom('lg_members as r')
    .select(['r.id', 'r.name', 'r.gender', 'r.confirmed_on', 'r.party_post'])
    .where('r.deleted_at', 'is', null)
    .where('r.joined_on', '<=', date)
    .where((eb) => eb(orgOnDate(date), '=', orgId))
    .where((eb) => eb.or([eb('r.status', 'is', null), eb('r.status', 'not in', ['出党', '去世'])]))
    .orderBy('r.name')
    .execute()) as Array<{ id: number; name: string; gender: string; confirmed_on: string | null; party_post: string | null }>;
  return rows.map((m) => ({
    id: Number(m.id),
    name: m.name,
    gender: m.gender,
    category: m.confirmed_on !== null && m.confirmed_on <= date ? '正式党员' : '预备党员',
    partyPost: m.party_post,
  }));
}

export async function roster(store: Store, scope: Scope, orgCode: string, date: string): Promise<RosterEntry[]> {
  const org = await getOrgByCode(store.db, scope, orgCode);
  return rosterOn(store.db, org.id, date);
}

export interface BranchStructure {
  org: string;
  orgName: string;
  full: number;
  probationary: number;
  hasCommittee: boolean;
  findings: Array<{ message: string; rule: string }>;
}

/**
 * Members per 党支部 on a date, and the structure findings of 《中国共产党支部工作条例（试行）》
 * (2018) ch. 2: fewer than 3 full members (a joint branch is due) and more than 50 members.
 */
export async function branchStructure(store: Store, scope: Scope, date: string): Promise<BranchStructure[]> {
  const org = orgOnDate(date);
  const rows = (await (store.db as unknown as Kysely<any>)
    .selectFrom('lg_members as r')
    .select([
      org.as('org'),
      sql<number>`sum(case when r.confirmed_on is not null and r.confirmed_on <= ${date} then 1 else 0 end)`.as('full'),
      sql<number>`sum(case when r.confirmed_on is null or r.confirmed_on > ${date} then 1 else 0 end)`.as('probationary'),
    ])
    .where('r.deleted_at', 'is', null)
    .where('r.joined_on', '<=', date)
    .where((eb) => eb.or([eb('r.status', 'is', null), eb('r.status', 'not in', ['出党', '去世'])]))
    // By the output column: PostgreSQL would not see the same expression in a re-bound copy.
    .groupBy(sql`org`)
    .execute()) as Array<{ org: number | null; full: number; probationary: number }>;
  const counts = new Map(rows.filter((r) => r.org !== null).map((r) => [Number(r.org), r]));
  const branches = await store.db
    .selectFrom('orgs as o')
    .innerJoin('areas as a', 'a.id', 'o.area_id')
    .select(['o.id', 'o.code', 'o.name'])
    .where('o.kind', '=', '党支部')
    .where(inScope('a.path', scope))
    .where((eb) => eb.or([eb('o.founded_on', 'is', null), eb('o.founded_on', '<=', date)]))
    .where((eb) => eb.or([eb('o.dissolved_on', 'is', null), eb('o.dissolved_on', '>', date)]))
    .orderBy('o.path')
    .execute();
  const RULE = '《中国共产党支部工作条例（试行）》(2018) 第二章';
  const committees = await store.db
    .selectFrom('org_committees')
    .select('org_id')
    .where('established_on', '<=', date)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', date)]))
    .execute();
  const withCommittee = new Set(committees.map((c) => c.org_id));
  return branches.map((b) => {
    const c = counts.get(b.id);
    const full = Number(c?.full ?? 0);
    const probationary = Number(c?.probationary ?? 0);
    const findings: BranchStructure['findings'] = [];
    if (full < 3) findings.push({ message: `正式党员${full}人，不足3人，应与邻近单位成立联合党支部`, rule: RULE });
    if (full + probationary > 50) findings.push({ message: `党员${full + probationary}人，超过50人，一般应分设党支部或报批成立党总支`, rule: RULE });
    if (full >= 7 && !withCommittee.has(b.id)) {
      findings.push({ message: `正式党员${full}人，7人以上应当成立支部委员会，尚未成立`, rule: '《中国共产党支部工作条例（试行）》(2018) 第六章' });
    }
    return { org: b.code, orgName: b.name, full, probationary, hasCommittee: withCommittee.has(b.id), findings };
  });
}

/** The plain value of a masked field, for a user allowed to see it; every reveal is audited. */
export async function revealField(w: Write, def: LedgerDef, scope: Scope, id: number, fieldName: string): Promise<string | null> {
  const f = def.fields.find((x) => x.key === fieldName || x.label === fieldName);
  if (!f || (f.type !== 'idNumber' && f.type !== 'phone')) throw new AppError('VALIDATION_FAILED', `“${fieldName}”不是需要脱敏的字段`);
  const row = decryptRows(w.store, def, [await getRecordRow(w.trx, def, scope, id)])[0]!;
  const refs = await RefIndex.load(w.trx);
  const value = row[fieldColumns(f)[0]!.name];
  await w.audit({
    action: 'reveal',
    entity: def.key,
    entityId: id,
    areaPath: refs.areasById.get(Number(row.area_id))?.path ?? null,
    // What was revealed is named, never its value.
    detail: { field: f.label, record: presentRecord(def, row, refs).name ?? null },
  });
  return typeof value === 'string' ? value : null;
}


export interface CommitteeInput {
  establishedOn: string;
  members: number;
}

/** Records that a branch has a committee from a date (the previous one, if any, ends then). */
export async function setCommittee(w: Write, scope: Scope, orgCode: string, input: CommitteeInput): Promise<void> {
  const org = await getOrgByCode(w.trx, scope, orgCode);
  if (org.kind !== '党支部') throw new AppError('VALIDATION_FAILED', '只有党支部设支部委员会');
  if (input.members < 3 || input.members > 7) throw new AppError('VALIDATION_FAILED', '支部委员会由3至5人组成，一般不超过7人（支部工作条例第六章）');
  const open = await w.trx.selectFrom('org_committees').selectAll().where('org_id', '=', org.id).where('ended_on', 'is', null).executeTakeFirst();
  if (open && open.established_on >= input.establishedOn) throw new AppError('VALIDATION_FAILED', `现任支部委员会成立于${open.established_on}，新一届的日期应晚于它`);
  if (open) await w.trx.updateTable('org_committees').set({ ended_on: input.establishedOn }).where('id', '=', open.id).execute();
  await w.trx.insertInto('org_committees').values({ org_id: org.id, established_on: input.establishedOn, ended_on: null, members: input.members, created_at: w.now.toISOString(), created_by: w.actor.userId }).execute();
  await w.audit({ action: 'update', entity: 'org_committee', entityId: orgCode, areaPath: org.area_path, after: input, ...(open ? { before: { establishedOn: open.established_on, members: open.members } } : {}) });
}

export async function endCommittee(w: Write, scope: Scope, orgCode: string, endedOn: string): Promise<void> {
  const org = await getOrgByCode(w.trx, scope, orgCode);
  const open = await w.trx.selectFrom('org_committees').selectAll().where('org_id', '=', org.id).where('ended_on', 'is', null).executeTakeFirst();
  if (!open) throw new AppError('VALIDATION_FAILED', '该党支部没有现任支部委员会');
  if (endedOn <= open.established_on) throw new AppError('VALIDATION_FAILED', '结束日期应晚于成立日期');
  await w.trx.updateTable('org_committees').set({ ended_on: endedOn }).where('id', '=', open.id).execute();
  await w.audit({ action: 'update', entity: 'org_committee', entityId: orgCode, areaPath: org.area_path, before: { establishedOn: open.established_on }, after: { endedOn } });
}

export async function committeesOf(db: Reader, scope: Scope, orgCode: string) {
  const org = await getOrgByCode(db, scope, orgCode);
  const rows = await db.selectFrom('org_committees').select(['established_on', 'ended_on', 'members']).where('org_id', '=', org.id).orderBy('established_on').execute();
  return rows.map((r) => ({ establishedOn: r.established_on, endedOn: r.ended_on, members: r.members }));
}

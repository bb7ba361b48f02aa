/**
 * The 发展党员 pipeline as a state machine: 5 stages, 25 steps (domain-rules §1.1) plus 公示,
 * 延长预备期 and 取消预备党员资格. `checkStep` is the guard every recording of a step goes through
 * (the UI calls it too, to show the checks live): it refuses a step taken out of order or too
 * early, each refusal with its reason and the article it rests on.
 */
import { addDays, addMonths, workdaysBetween } from '../workdays.ts';

export { addMonths };
import { cite, type Citation, type RecruitmentRuleSet } from './rules.ts';
import { tallyVote, type VoteCount } from './vote.ts';

export const STAGES = [
  { key: 'applicant', label: '申请入党' },
  { key: 'activist', label: '入党积极分子的确定和培养教育' },
  { key: 'candidate', label: '发展对象的确定和考察' },
  { key: 'admission', label: '预备党员的接收' },
  { key: 'probation', label: '预备党员的教育考察和转正' },
] as const;
export type StageKey = (typeof STAGES)[number]['key'];

export interface StepDef {
  code: string;
  no: number | null;
  label: string;
  stage: StageKey;
  /** Steps that must be recorded before this one. */
  after: string[];
  /** May be recorded more than once (periodic reviews). */
  repeatable?: boolean;
}

export const STEPS: StepDef[] = [
  { code: 'apply', no: 1, label: '递交入党申请书', stage: 'applicant', after: [] },
  { code: 'talk', no: 2, label: '党组织派人谈话', stage: 'applicant', after: ['apply'] },
  { code: 'activist', no: 3, label: '推荐和确定入党积极分子', stage: 'activist', after: ['talk'] },
  { code: 'activistFiled', no: 4, label: '上级党委备案', stage: 'activist', after: ['activist'] },
  { code: 'mentors', no: 5, label: '指定培养联系人', stage: 'activist', after: ['activist'] },
  { code: 'activistReview', no: 6, label: '培养教育考察', stage: 'activist', after: ['mentors'], repeatable: true },
  { code: 'publicNotice', no: null, label: '发展对象公示', stage: 'candidate', after: ['activist'] },
  { code: 'candidate', no: 7, label: '确定发展对象', stage: 'candidate', after: ['mentors'] },
  { code: 'candidateFiled', no: 8, label: '报上级党委备案', stage: 'candidate', after: ['candidate'] },
  { code: 'sponsors', no: 9, label: '确定入党介绍人', stage: 'candidate', after: ['candidate'] },
  { code: 'politicalReview', no: 10, label: '进行政治审查', stage: 'candidate', after: ['candidate'] },
  { code: 'training', no: 11, label: '开展集中培训', stage: 'candidate', after: ['candidate'] },
  { code: 'committeeReview', no: 12, label: '支部委员会审查', stage: 'admission', after: ['sponsors', 'politicalReview', 'training'] },
  { code: 'prereview', no: 13, label: '上级党委预审', stage: 'admission', after: ['committeeReview'] },
  { code: 'applicationForm', no: 14, label: '填写入党志愿书', stage: 'admission', after: ['prereview'] },
  { code: 'admissionVote', no: 15, label: '支部大会讨论接收', stage: 'admission', after: ['applicationForm'] },
  { code: 'upperTalk', no: 16, label: '上级党委派人谈话', stage: 'admission', after: ['admissionVote'] },
  { code: 'approval', no: 17, label: '上级党委审批', stage: 'admission', after: ['upperTalk'] },
  { code: 'approvalFiled', no: 18, label: '再上一级党委组织部门备案', stage: 'admission', after: ['approval'] },
  { code: 'assigned', no: 19, label: '编入党支部和党小组', stage: 'probation', after: ['approval'] },
  { code: 'oath', no: 20, label: '入党宣誓', stage: 'probation', after: ['approval'] },
  { code: 'probationReview', no: 21, label: '继续教育考察', stage: 'probation', after: ['approval'], repeatable: true },
  { code: 'conversionRequest', no: 22, label: '提出转正申请', stage: 'probation', after: ['approval'] },
  { code: 'extension', no: null, label: '延长预备期', stage: 'probation', after: ['conversionRequest'] },
  { code: 'conversionVote', no: 23, label: '支部大会讨论转正', stage: 'probation', after: ['conversionRequest'] },
  { code: 'conversionApproval', no: 24, label: '上级党委审批转正', stage: 'probation', after: ['conversionVote'] },
  { code: 'cancellation', no: null, label: '取消预备党员资格', stage: 'probation', after: ['approval'] },
  { code: 'archive', no: 25, label: '材料归档', stage: 'probation', after: ['conversionApproval'] },
];

const BY_CODE = new Map(STEPS.map((s) => [s.code, s]));
export function stepDef(code: string): StepDef | undefined {
  return BY_CODE.get(code);
}

/** What a step carries besides its date. */
export interface StepData {
  /** 培养联系人 / 入党介绍人: whether each is a full member on the date (the store looks it up). */
  people?: Array<{ name: string; isFullMember: boolean; sameBranch?: boolean }>;
  /** 政审 conclusion. */
  conclusion?: 'passed' | 'failed';
  /** 集中培训. */
  days?: number;
  hours?: number;
  /** 公示 from … to. */
  from?: string;
  to?: string;
  /** 预审: the person will leave the unit within 3 months (art. 19). */
  leavingWithinThreeMonths?: boolean;
  /** Branch meeting votes. */
  vote?: VoteCount;
  /** 延长预备期 in months. */
  months?: number;
}

export interface RecordedStep {
  code: string;
  date: string;
  data?: StepData;
}

export interface Violation {
  code: string;
  message: string;
  citation: Citation;
  /** Errors refuse the step; warnings are findings kept on the person. */
  severity: 'error' | 'warning';
}


function latest(history: RecordedStep[], code: string): RecordedStep | undefined {
  let found: RecordedStep | undefined;
  for (const s of history) if (s.code === code && (!found || s.date >= found.date)) found = s;
  return found;
}

/** Dates of probation: it starts the day the branch meeting admitted (art. 32), one extension at most. */
export function probationPeriod(rules: RecruitmentRuleSet, history: RecordedStep[]): { start: string; end: string; extended: boolean } | null {
  const vote = latest(history, 'admissionVote');
  if (!vote) return null;
  const ext = latest(history, 'extension');
  const end = addMonths(vote.date, rules.probationMonths);
  return { start: vote.date, end: ext ? addMonths(end, ext.data?.months ?? 0) : end, extended: Boolean(ext) };
}

/**
 * Checks recording `step` on `date` after `history`. `birthDate` is the person's (from their
 * 公民身份号码). Returns every violation; the step may be recorded when none is an error.
 */
export function checkStep(rules: RecruitmentRuleSet, history: RecordedStep[], step: RecordedStep, birthDate: string | null, today?: string): Violation[] {
  const v: Violation[] = [];
  const err = (code: string, message: string, article: string) => v.push({ code, message, citation: cite(rules, article), severity: 'error' });
  const warn = (code: string, message: string, article: string) => v.push({ code, message, citation: cite(rules, article), severity: 'warning' });
  const def = stepDef(step.code);
  if (!def) return [{ code: 'UNKNOWN_STEP', message: `没有“${step.code}”这个环节`, citation: cite(rules, 'age'), severity: 'error' }];
  const d = step.date;

  if (today && d > today) err('FUTURE_DATE', `“${def.label}”的日期${d}还没有到，不能提前记录`, ruleKeyOf(step.code));
  if (!def.repeatable && history.some((s) => s.code === step.code)) err('ALREADY_RECORDED', `“${def.label}”已经记录过`, ruleKeyOf(step.code));
  if (history.some((s) => s.code === 'cancellation' || s.code === 'archive') && step.code !== 'archive') err('CLOSED', '该人员的发展程序已结束', 'archive');
  for (const prior of def.after) {
    const p = latest(history, prior);
    const pd = stepDef(prior)!;
    if (!p) err('OUT_OF_ORDER', `须先完成“${pd.label}”，才能进行“${def.label}”`, ruleKeyOf(prior));
    else if (p.date > d) err('BEFORE_PREVIOUS', `“${def.label}”的日期不能早于“${pd.label}”（${p.date}）`, ruleKeyOf(prior));
  }

  const at = (code: string) => latest(history, code)?.date;
  switch (step.code) {
    case 'apply':
      if (birthDate && d < addMonths(birthDate, rules.minAge * 12)) err('UNDER_AGE', `申请入党时须年满${rules.minAge}周岁（出生日期${birthDate}）`, 'charter');
      break;
    case 'talk': {
      const applied = at('apply');
      if (applied && d > addMonths(applied, rules.talkWithinMonths)) warn('TALK_LATE', `应在收到入党申请书后${rules.talkWithinMonths}个月内派人谈话（申请日期${applied}）`, 'talk');
      break;
    }
    case 'mentors':
    case 'sponsors': {
      const people = step.data?.people ?? [];
      const [min, max, what, key] =
        step.code === 'mentors' ? [rules.mentors.min, rules.mentors.max, '培养联系人', 'mentors'] : [rules.sponsors, rules.sponsors, '入党介绍人', 'sponsors'];
      if (people.length < min || people.length > max) err('PEOPLE_COUNT', min === max ? `${what}应为${min}名` : `${what}应为${min}至${max}名`, key);
      for (const p of people) if (!p.isFullMember) err('NOT_FULL_MEMBER', `${what}“${p.name}”须为正式党员`, key);
      // Usually members of the same branch, who know the person; another branch's is noted, not refused.
      for (const p of people) if (p.sameBranch === false) warn('OTHER_BRANCH', `${what}“${p.name}”不是本支部党员，请确认`, key);
      break;
    }
    case 'activistReview': {
      const last = at('activistReview') ?? at('activist');
      if (last && d > addMonths(last, rules.activistReviewMonths)) warn('REVIEW_LATE', `积极分子应每${rules.activistReviewMonths}个月考察一次（上次${last}）`, 'review');
      break;
    }
    case 'publicNotice': {
      const { from, to } = step.data ?? {};
      if (!from || !to) err('NOTICE_DATES', '请填写公示起止日期', 'publicNotice');
      else if (to < from) err('NOTICE_DATES', '公示结束日期不能早于开始日期', 'publicNotice');
      else if (to > d) err('NOTICE_NOT_OVER', `公示到${to}才结束，不能在${d}记为完成`, 'publicNotice');
      else {
        const n = workdaysBetween(from, to);
        if (n === null) err('CALENDAR', '公示日期超出节假日日历年份，无法计算工作日，请管理员更新日历', 'publicNotice');
        else if (n < rules.publicNoticeWorkdays) err('NOTICE_SHORT', `公示${from}至${to}只有${n}个工作日，不少于${rules.publicNoticeWorkdays}个工作日（节假日不计，调休上班日计入）`, 'publicNotice');
      }
      break;
    }
    case 'candidate': {
      const activist = at('activist');
      if (activist) {
        const earliest = addMonths(activist, rules.activistMinMonths);
        if (d < earliest) err('TOO_EARLY', `确定为入党积极分子（${activist}）一年以上才能列为发展对象，最早${earliest}`, 'candidate');
      }
      if (rules.publicNoticeBefore === 'candidate') requireNotice(rules, history, d, err);
      break;
    }
    case 'politicalReview':
      if (!step.data?.conclusion) err('CONCLUSION', '请填写政审结论', 'politicalReview');
      break;
    case 'training': {
      const days = step.data?.days ?? 0;
      const hours = step.data?.hours ?? 0;
      if (days < rules.training.minDays && hours < rules.training.minHours) {
        err('TRAINING_SHORT', `集中培训时间不少于${rules.training.minDays}天或不少于${rules.training.minHours}个学时`, 'training');
      }
      break;
    }
    case 'committeeReview': {
      const review = latest(history, 'politicalReview');
      if (review && review.data?.conclusion !== 'passed') err('REVIEW_FAILED', '政治审查不合格的，不能发展入党', 'politicalReview');
      break;
    }
    case 'prereview':
      if (rules.publicNoticeBefore === 'prereview') requireNotice(rules, history, d, err);
      if (step.data?.leavingWithinThreeMonths) err('LEAVING', '发展对象未来三个月内将离开工作、学习单位的，一般不办理接收预备党员的手续', 'prereview');
      break;
    case 'admissionVote':
    case 'conversionVote': {
      const vote = step.data?.vote;
      if (!vote) err('VOTE_MISSING', '请填写支部大会的应到会、实到会和表决人数（有表决权的正式党员）', 'vote');
      else {
        const t = tallyVote(vote);
        for (const p of t.problems) err('VOTE_INVALID', p, 'vote');
        if (!t.problems.length && !t.quorum) err('NO_QUORUM', `有表决权的到会人数（${vote.present}）必须超过应到会有表决权人数（${vote.shouldAttend}）的半数`, 'quorum');
        if (!t.problems.length && t.quorum && !t.passed) err('NOT_PASSED', `赞成人数（${t.yes}）须超过应到会有表决权人数（${vote.shouldAttend}）的半数，表决未通过`, 'vote');
      }
      if (step.code === 'admissionVote' && rules.voteWithinMonthsOfPrereview !== null) {
        const pre = at('prereview');
        if (pre && d > addMonths(pre, rules.voteWithinMonthsOfPrereview)) warn('VOTE_LATE', `预审通过后应在${rules.voteWithinMonthsOfPrereview}个月内召开支部大会`, 'vote');
      }
      if (step.code === 'conversionVote') {
        const p = probationPeriod(rules, history);
        if (p && d < p.end) err('PROBATION_NOT_OVER', `预备期到${p.end}才满，不能提前讨论转正`, 'conversion');
      }
      break;
    }
    case 'approval':
    case 'conversionApproval': {
      const from = at(step.code === 'approval' ? 'admissionVote' : 'conversionVote');
      if (from) {
        const limit = addMonths(from, step.code === 'approval' ? rules.approvalMonths : rules.conversionApprovalMonths);
        if (step.code === 'approval') {
          const max = addMonths(from, rules.approvalMaxMonths);
          if (d > max) err('APPROVAL_TOO_LATE', `上级党委应在支部大会通过后${rules.approvalMonths}个月内审批，特殊情况最长不超过${rules.approvalMaxMonths}个月（${max}）`, 'approval');
          else if (d > limit) warn('APPROVAL_LATE', `超过${rules.approvalMonths}个月审批（${limit}），须说明特殊情况`, 'approval');
        } else if (d > limit) warn('APPROVAL_LATE', `转正应在支部大会通过后${rules.conversionApprovalMonths}个月内审批（${limit}）`, 'conversion');
      }
      break;
    }
    case 'oath': {
      if (history.some((s) => s.code === 'conversionApproval')) err('OATH_AFTER_CONVERSION', '入党宣誓应在预备期内进行', 'probation');
      const appr = at('approval');
      if (appr && rules.oathWithinMonthsOfApproval !== null && d > addMonths(appr, rules.oathWithinMonthsOfApproval)) {
        warn('OATH_LATE', `应在审批后${rules.oathWithinMonthsOfApproval}个月内入党宣誓`, 'oath');
      }
      break;
    }
    case 'conversionRequest': {
      const p = probationPeriod(rules, history);
      if (p && d < addDays(p.end, -30)) err('TOO_EARLY', `预备期到${p.end}才满，转正申请一般在预备期满前一个月内提出`, 'conversion');
      break;
    }
    case 'extension': {
      const months = step.data?.months ?? 0;
      if (history.some((s) => s.code === 'extension')) err('EXTENDED_ONCE', '延长预备期只能一次', 'probation');
      if (months < rules.extension.minMonths || months > rules.extension.maxMonths) {
        err('EXTENSION_LENGTH', `延长预备期的时间不能少于${rules.extension.minMonths}个月，不能超过${rules.extension.maxMonths}个月`, 'probation');
      }
      const p = probationPeriod(rules, history);
      if (p && d < p.end) err('PROBATION_NOT_OVER', `预备期到${p.end}才满`, 'probation');
      break;
    }
  }
  return v;
}

function requireNotice(rules: RecruitmentRuleSet, history: RecordedStep[], date: string, err: (c: string, m: string, a: string) => void) {
  const notice = latest(history, 'publicNotice');
  if (!notice) err('NOTICE_MISSING', `须先公示不少于${rules.publicNoticeWorkdays}个工作日`, 'publicNotice');
  else if (notice.data?.to && notice.data.to >= date) err('NOTICE_NOT_OVER', `公示到${notice.data.to}才结束`, 'publicNotice');
}

/** The article key a step's ordering rests on, for citations of out-of-order refusals. */
function ruleKeyOf(code: string): string {
  const map: Record<string, string> = {
    apply: 'age',
    talk: 'talk',
    activist: 'activist',
    mentors: 'mentors',
    candidate: 'candidate',
    sponsors: 'sponsors',
    politicalReview: 'politicalReview',
    training: 'training',
    committeeReview: 'prereview',
    prereview: 'prereview',
    applicationForm: 'prereview',
    admissionVote: 'vote',
    upperTalk: 'approval',
    approval: 'approval',
    conversionRequest: 'conversion',
    conversionVote: 'conversion',
    conversionApproval: 'conversion',
    publicNotice: 'publicNotice',
  };
  return map[code] ?? 'probation';
}

/** The stage a person is in, from the last step recorded. */
export function currentStage(history: RecordedStep[]): StageKey | 'member' | 'cancelled' {
  if (history.some((s) => s.code === 'cancellation')) return 'cancelled';
  if (history.some((s) => s.code === 'conversionApproval')) return 'member';
  // A probationary member from the day the branch meeting admits (细则 art. 32), as the board counts.
  if (history.some((s) => s.code === 'admissionVote')) return 'probation';
  let stage: StageKey = 'applicant';
  const order = STAGES.map((s) => s.key);
  for (const s of history) {
    const def = stepDef(s.code);
    if (def && order.indexOf(def.stage) > order.indexOf(stage)) stage = def.stage;
  }
  return stage;
}

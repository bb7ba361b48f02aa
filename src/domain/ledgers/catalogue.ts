/**
 * The ledger catalogue: one declarative definition per ledger of CONTRACTS §3 (areas and orgs
 * are the trees, kept apart). Column labels are the import headers exactly.
 */
import { idBirthDate } from '../id-number.ts';
import { addDays, addMonths, addWorkdays, calendarCovers } from '../workdays.ts';
import type { FieldProblem, LedgerDef, LedgerValues } from './types.ts';

const GENDERS = ['男', '女'] as const;
/** 党籍状态: 正常 covers 正式 and 预备 members; 已转出 is set by an outgoing transfer. */
export const MEMBER_STATUSES = ['正常', '停止党籍', '出党', '去世', '已转出'] as const;
const YES_NO_NOTE = '填写“是”或“否”';

/** 工作量 categories and the one unit each is counted in (CONTRACTS §3 `works`). */
export const WORK_UNITS: Record<string, string> = {
  秸秆离田: '公顷',
  清理堆放物: '处',
  恢复绿地: '平方米',
  拆除违建: '处',
  清理垃圾: '吨',
  疏通消防通道: '次',
  设置分类垃圾桶: '组',
  清理违停车辆: '台',
  修补破损路面: '平方米',
  巡河: '次',
  河道清理垃圾: '吨',
};

/** 集体访: 5 or more people with a common matter (信访工作条例; domain-rules §5). */
export const COLLECTIVE_VISIT_MIN_PERSONS = 5;
/** Petitions are handled within 60 days of acceptance, extendable once by up to 30 (domain-rules §5). */
export const PETITION_DAYS = 60;
export const PETITION_EXTENSION_DAYS = 30;

function none(): { errors: FieldProblem[]; warnings: FieldProblem[] } {
  return { errors: [], warnings: [] };
}

function notBefore(v: LedgerValues, later: string, earlier: string, laterLabel: string, earlierLabel: string, out: FieldProblem[]) {
  const a = v[later];
  const b = v[earlier];
  if (typeof a === 'string' && typeof b === 'string' && a < b) out.push({ field: later, message: `“${laterLabel}”不能早于“${earlierLabel}”` });
}

export const LEDGERS: LedgerDef[] = [
  {
    key: 'members',
    title: '党员',
    dateField: 'joinedOn',
    areaField: 'org',
    naturalKey: 'idNumber',
    fields: [
      { key: 'name', label: '姓名', type: 'text', required: true },
      { key: 'gender', label: '性别', type: 'enum', values: GENDERS, required: true },
      { key: 'idNumber', label: '公民身份号码', type: 'idNumber', required: true },
      { key: 'ethnicity', label: '民族', type: 'text' },
      { key: 'education', label: '学历', type: 'text' },
      { key: 'phone', label: '手机号码', type: 'phone' },
      { key: 'org', label: '所在党组织编码', type: 'org', required: true },
      { key: 'category', label: '人员类别', type: 'enum', values: ['正式党员', '预备党员'], required: true },
      { key: 'joinedOn', label: '入党日期', type: 'date', required: true },
      { key: 'confirmedOn', label: '转正日期', type: 'date' },
      { key: 'nativePlace', label: '籍贯', type: 'text' },
      { key: 'employer', label: '工作单位', type: 'text' },
      { key: 'partyPost', label: '党内职务', type: 'text', hint: '如：支部书记、组织委员' },
      { key: 'mobile', label: '流动党员', type: 'boolean' },
      { key: 'status', label: '党籍状态', type: 'enum', values: MEMBER_STATUSES, hint: '为空时为“正常”；转出由组织关系转接记录' },
      { key: 'birthDate', label: '出生日期', type: 'date', derived: true, hint: '由公民身份号码得出' },
    ],
    derive(v) {
      return {
        ...v,
        status: v.status ?? '正常',
        mobile: v.mobile ?? 0,
        birthDate: typeof v.idNumber === 'string' && v.idNumber.length === 18 ? idBirthDate(v.idNumber) : null,
      };
    },
    check(v) {
      const r = none();
      if (typeof v.idNumber === 'string' && v.gender && v.idNumber.length === 18) {
        const g = Number(v.idNumber[16]) % 2 === 1 ? '男' : '女';
        if (g !== v.gender) r.errors.push({ field: 'gender', message: `公民身份号码表示性别为“${g}”，与“性别”不一致` });
      }
      notBefore(v, 'confirmedOn', 'joinedOn', '转正日期', '入党日期', r.errors);
      if (v.category === '正式党员' && !v.confirmedOn) r.warnings.push({ field: 'confirmedOn', message: '正式党员一般应填写转正日期' });
      if (v.category === '预备党员' && v.confirmedOn) r.errors.push({ field: 'confirmedOn', message: '预备党员不应有转正日期' });
      return r;
    },
  },
  {
    key: 'applicants',
    title: '发展党员',
    dateField: 'appliedOn',
    areaField: 'org',
    naturalKey: 'idNumber',
    fields: [
      { key: 'name', label: '姓名', type: 'text', required: true },
      { key: 'gender', label: '性别', type: 'enum', values: GENDERS, required: true },
      { key: 'idNumber', label: '公民身份号码', type: 'idNumber', required: true },
      { key: 'org', label: '所在党组织编码', type: 'org', required: true },
      { key: 'appliedOn', label: '申请入党日期', type: 'date', required: true },
      { key: 'activistOn', label: '确定积极分子日期', type: 'date' },
      { key: 'candidateOn', label: '确定发展对象日期', type: 'date' },
      { key: 'admittedOn', label: '支部大会接收日期', type: 'date' },
      { key: 'approvedOn', label: '上级党委批准日期', type: 'date' },
      { key: 'confirmedOn', label: '转正日期', type: 'date' },
    ],
    check(v) {
      // 发展党员工作细则 (2014) arts. 5, 10, 21, 25, 32: the steps come in this order; an applicant is at least 18.
      const r = none();
      const steps: Array<[string, string]> = [
        ['appliedOn', '申请入党日期'],
        ['activistOn', '确定积极分子日期'],
        ['candidateOn', '确定发展对象日期'],
        ['admittedOn', '支部大会接收日期'],
        ['approvedOn', '上级党委批准日期'],
        ['confirmedOn', '转正日期'],
      ];
      let prev: [string, string] | null = null;
      for (const s of steps) {
        if (typeof v[s[0]] !== 'string') continue;
        if (prev) notBefore(v, s[0], prev[0], s[1], prev[1], r.errors);
        prev = s;
      }
      if (v.approvedOn && !v.admittedOn) r.errors.push({ field: 'admittedOn', message: '已有上级党委批准日期，必须先有支部大会接收日期' });
      // Intervals shorter (or longer) than the rules allow are history to keep, flagged as findings.
      const d = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : null);
      const [activist, candidate, admitted, approved, confirmed] = [d('activistOn'), d('candidateOn'), d('admittedOn'), d('approvedOn'), d('confirmedOn')];
      if (activist && candidate && candidate < addMonths(activist, 12)) {
        r.warnings.push({ field: 'candidateOn', message: '确定积极分子不满一年即列为发展对象（细则第十三条）' });
      }
      if (admitted && approved && approved > addMonths(admitted, 6)) {
        r.warnings.push({ field: 'approvedOn', message: '支部大会通过后超过6个月才审批（细则第二十五条）' });
      } else if (admitted && approved && approved > addMonths(admitted, 3)) {
        r.warnings.push({ field: 'approvedOn', message: '支部大会通过后超过3个月才审批，须有特殊情况说明（细则第二十五条）' });
      }
      if (admitted && confirmed && confirmed < addMonths(admitted, 12)) {
        r.warnings.push({ field: 'confirmedOn', message: '预备期不满一年即转正（党章第七条、细则第三十二条）' });
      }
      if (typeof v.idNumber === 'string' && typeof v.appliedOn === 'string' && v.idNumber.length === 18) {
        const birth = idBirthDate(v.idNumber);
        const eighteen = `${Number(birth.slice(0, 4)) + 18}${birth.slice(4)}`;
        if (v.appliedOn < eighteen) r.errors.push({ field: 'appliedOn', message: '申请入党时未满18周岁（《中国共产党章程》第一条）' });
      }
      return r;
    },
  },
  {
    key: 'meetings',
    title: '组织生活',
    dateField: 'date',
    areaField: 'org',
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'org', label: '党组织编码', type: 'org', required: true },
      {
        key: 'type',
        label: '会议类型',
        type: 'enum',
        required: true,
        values: ['支部党员大会', '支部委员会', '党小组会', '党课', '主题党日', '组织生活会', '民主评议党员', '党工委会议', '党建工作专题会议'],
      },
      { key: 'topic', label: '主题', type: 'text', required: true },
      { key: 'firstAgendaItem', label: '第一议题', type: 'boolean', hint: YES_NO_NOTE },
      { key: 'expected', label: '应到人数', type: 'integer', unit: '人' },
      { key: 'present', label: '实到人数', type: 'integer', unit: '人' },
    ],
    check(v) {
      const r = none();
      if (typeof v.expected === 'number' && typeof v.present === 'number' && v.present > v.expected) {
        r.errors.push({ field: 'present', message: '“实到人数”不能多于“应到人数”' });
      }
      return r;
    },
  },
  {
    key: 'activities',
    title: '活动',
    dateField: 'date',
    areaField: 'area',
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'type', label: '活动类型', type: 'enum', required: true, values: ['宣传教育', '志愿服务', '主题活动', '业务比武', '文体活动', '其他'] },
      { key: 'name', label: '活动名称', type: 'text', required: true },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'hostOrg', label: '主办党组织编码', type: 'org' },
      { key: 'participants', label: '参与人数', type: 'integer', required: true, unit: '人' },
    ],
  },
  {
    key: 'projects',
    title: '服务群众项目',
    dateField: 'startedOn',
    areaField: 'unit',
    fields: [
      { key: 'name', label: '项目名称', type: 'text', required: true },
      { key: 'unit', label: '责任单位编码', type: 'unit', required: true },
      { key: 'startedOn', label: '立项日期', type: 'date', required: true },
      { key: 'plannedOn', label: '计划完成日期', type: 'date' },
      { key: 'status', label: '状态', type: 'enum', required: true, values: ['未开始', '实施中', '已完成'] },
      { key: 'completedOn', label: '完成日期', type: 'date' },
    ],
    check(v) {
      const r = none();
      notBefore(v, 'plannedOn', 'startedOn', '计划完成日期', '立项日期', r.errors);
      notBefore(v, 'completedOn', 'startedOn', '完成日期', '立项日期', r.errors);
      if (v.status === '已完成' && !v.completedOn) r.errors.push({ field: 'completedOn', message: '状态为“已完成”时请填写完成日期' });
      if (v.status !== '已完成' && v.completedOn) r.errors.push({ field: 'status', message: '填写了完成日期，状态应为“已完成”' });
      return r;
    },
  },
  {
    key: 'documents',
    title: '制度文件',
    dateField: 'publishedOn',
    areaField: 'publisher',
    fields: [
      { key: 'title', label: '标题', type: 'text', required: true },
      { key: 'docNumber', label: '文号', type: 'text' },
      { key: 'publishedOn', label: '发布日期', type: 'date', required: true },
      { key: 'publisher', label: '发布单位编码', type: 'unit', required: true },
      { key: 'category', label: '类别', type: 'enum', values: ['制度', '细则', '方案', '通知', '其他'] },
    ],
  },
  {
    key: 'visits',
    title: '联系点走访',
    dateField: 'date',
    areaField: 'area',
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'leader', label: '领导姓名', type: 'text', required: true },
      { key: 'area', label: '联系点区域编码', type: 'area', required: true },
      { key: 'solved', label: '解决问题数', type: 'integer', unit: '个' },
    ],
  },
  {
    key: 'services',
    title: '承办事项',
    dateField: 'reportedOn',
    areaField: 'area',
    naturalKey: 'number',
    fields: [
      { key: 'number', label: '事项编号', type: 'text', required: true },
      { key: 'reportedOn', label: '上报日期', type: 'date', required: true },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'source', label: '来源', type: 'enum', required: true, values: ['网格上报', '双报到', '联系点', '热线', '群众来访', '其他'] },
      { key: 'category', label: '类别', type: 'text', required: true },
      { key: 'content', label: '事项内容', type: 'longtext', required: true },
      { key: 'handler', label: '承办单位编码', type: 'unit' },
      { key: 'status', label: '状态', type: 'enum', required: true, values: ['待办', '办理中', '已办结'] },
      { key: 'closedOn', label: '办结日期', type: 'date' },
    ],
    check(v) {
      const r = none();
      notBefore(v, 'closedOn', 'reportedOn', '办结日期', '上报日期', r.errors);
      if (v.status === '已办结' && !v.closedOn) r.errors.push({ field: 'closedOn', message: '状态为“已办结”时请填写办结日期' });
      if (v.status !== '已办结' && v.closedOn) r.errors.push({ field: 'status', message: '填写了办结日期，状态应为“已办结”' });
      return r;
    },
  },
  {
    key: 'cadres',
    title: '干部队伍',
    dateField: 'enteredOn',
    areaField: 'area',
    naturalKey: 'idNumber',
    fields: [
      { key: 'name', label: '姓名', type: 'text', required: true },
      { key: 'idNumber', label: '公民身份号码', type: 'idNumber', required: true },
      { key: 'category', label: '类别', type: 'enum', required: true, values: ['基层治理专干', '社区工作者', '网格员', '后备干部'] },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'enteredOn', label: '入库日期', type: 'date', required: true },
      { key: 'status', label: '状态', type: 'enum', required: true, values: ['在岗', '离岗'] },
    ],
  },
  {
    key: 'elections',
    title: '换届选举',
    dateField: 'date',
    areaField: 'area',
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'type', label: '选举类型', type: 'enum', required: true, values: ['首届选举', '换届选举', '空岗补选'] },
      { key: 'body', label: '机构', type: 'enum', required: true, values: ['党组织委员会', '村(居)民委员会', '村(居)务监督委员会'] },
      { key: 'elected', label: '当选人数', type: 'integer', unit: '人' },
    ],
  },
  {
    key: 'petitions',
    title: '信访',
    dateField: 'registeredOn',
    areaField: 'area',
    fields: [
      { key: 'registeredOn', label: '登记日期', type: 'date', required: true },
      { key: 'form', label: '信访形式', type: 'enum', required: true, values: ['来访', '来信', '网上信访', '电话'] },
      { key: 'persons', label: '人数', type: 'integer', required: true, unit: '人' },
      { key: 'collective', label: '是否集体访', type: 'boolean', hint: `${COLLECTIVE_VISIT_MIN_PERSONS}人及以上为集体访；为空时按人数判断` },
      { key: 'petitioner', label: '信访人', type: 'text', required: true },
      { key: 'category', label: '事项类别', type: 'text', required: true },
      { key: 'summary', label: '事项摘要', type: 'longtext', required: true },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'escalated', label: '是否越级', type: 'boolean' },
      { key: 'escalatedTo', label: '越级去向', type: 'enum', values: ['市', '省', '进京'] },
      { key: 'acceptedOn', label: '受理日期', type: 'date' },
      { key: 'closedOn', label: '办结日期', type: 'date' },
      { key: 'result', label: '办理结果', type: 'text' },
      { key: 'dueOn', label: '办理期限', type: 'date', derived: true, hint: '受理之日起60日' },
      { key: 'latestDueOn', label: '最长期限', type: 'date', derived: true, hint: '延长30日后的期限' },
      { key: 'timeliness', label: '办理时效', type: 'enum', derived: true, values: ['按期办结', '延期办结', '超期办结'] },
    ],
    check(v) {
      const r = none();
      if (typeof v.persons === 'number') {
        if (v.persons < 1) r.errors.push({ field: 'persons', message: '“人数”至少为1' });
        if (v.collective === 1 && v.persons < COLLECTIVE_VISIT_MIN_PERSONS) {
          r.errors.push({ field: 'collective', message: `集体访应为${COLLECTIVE_VISIT_MIN_PERSONS}人及以上，人数为${v.persons}人` });
        }
        if (v.collective === 0 && v.persons >= COLLECTIVE_VISIT_MIN_PERSONS) {
          r.errors.push({ field: 'collective', message: `${v.persons}人同访属于集体访，“是否集体访”应为“是”` });
        }
      }
      if (v.escalatedTo && v.escalated !== 1) r.errors.push({ field: 'escalatedTo', message: '填写了越级去向，“是否越级”应为“是”' });
      notBefore(v, 'acceptedOn', 'registeredOn', '受理日期', '登记日期', r.errors);
      notBefore(v, 'closedOn', 'acceptedOn', '办结日期', '受理日期', r.errors);
      notBefore(v, 'closedOn', 'registeredOn', '办结日期', '登记日期', r.errors);
      return r;
    },
    derive(v) {
      const out: LedgerValues = { ...v };
      if (v.collective === null && typeof v.persons === 'number') out.collective = v.persons >= COLLECTIVE_VISIT_MIN_PERSONS ? 1 : 0;
      if (v.escalated === null) out.escalated = v.escalatedTo ? 1 : 0;
      const accepted = typeof v.acceptedOn === 'string' ? v.acceptedOn : null;
      // Time limits run from the day after acceptance, in calendar days (domain-rules §5).
      out.dueOn = accepted ? addDays(accepted, PETITION_DAYS) : null;
      out.latestDueOn = accepted ? addDays(accepted, PETITION_DAYS + PETITION_EXTENSION_DAYS) : null;
      const closed = typeof v.closedOn === 'string' ? v.closedOn : null;
      out.timeliness = null;
      if (accepted && closed) {
        out.timeliness = closed <= out.dueOn! ? '按期办结' : closed <= out.latestDueOn! ? '延期办结' : '超期办结';
      }
      return out;
    },
  },
  {
    key: 'hotline',
    title: '热线工单',
    dateField: 'receivedOn',
    areaField: 'area',
    naturalKey: 'number',
    fields: [
      { key: 'number', label: '工单编号', type: 'text', required: true },
      { key: 'source', label: '来源', type: 'enum', required: true, values: ['12345热线', '市长公开电话', '督办件', '其他'] },
      { key: 'receivedOn', label: '受理日期', type: 'date', required: true },
      { key: 'limitDays', label: '办理时限(工作日)', type: 'integer', required: true, unit: '工作日' },
      { key: 'category', label: '诉求类别', type: 'text', required: true },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'closedOn', label: '办结日期', type: 'date' },
      { key: 'followUp', label: '回访结果', type: 'enum', values: ['满意', '基本满意', '不满意', '未回访'] },
      { key: 'dueOn', label: '办理期限', type: 'date', derived: true, hint: '受理日后第N个工作日（含调休）' },
      { key: 'onTime', label: '按时办结', type: 'boolean', derived: true },
      { key: 'calendarNote', label: '日历提示', type: 'text', derived: true },
    ],
    check(v) {
      const r = none();
      if (typeof v.limitDays === 'number' && (v.limitDays < 1 || v.limitDays > 365)) r.errors.push({ field: 'limitDays', message: '“办理时限(工作日)”应在1至365之间' });
      notBefore(v, 'closedOn', 'receivedOn', '办结日期', '受理日期', r.errors);
      return r;
    },
    derive(v) {
      const out: LedgerValues = { ...v, dueOn: null, onTime: null, calendarNote: null };
      if (typeof v.receivedOn !== 'string' || typeof v.limitDays !== 'number') return out;
      const due = calendarCovers(v.receivedOn) ? addWorkdays(v.receivedOn, v.limitDays) : null;
      if (!due) {
        // Beyond the years of the holiday calendar: flagged, not guessed.
        out.calendarNote = '超出节假日日历年份，期限无法计算';
        return out;
      }
      out.dueOn = due;
      if (typeof v.closedOn === 'string') out.onTime = v.closedOn <= due ? 1 : 0;
      return out;
    },
  },
  {
    key: 'inspections',
    title: '安全排查',
    dateField: 'date',
    areaField: 'grid',
    fields: [
      { key: 'date', label: '排查日期', type: 'date', required: true },
      { key: 'grid', label: '网格编码', type: 'area', areaKind: '网格', required: true },
      { key: 'objectType', label: '对象类型', type: 'enum', required: true, values: ['商户', '居民户', '人员密集场所', '企业', '其他'] },
      { key: 'objectName', label: '对象名称', type: 'text', required: true },
      { key: 'inspector', label: '排查人', type: 'text', required: true },
      { key: 'campaign', label: '专项行动', type: 'text' },
      { key: 'hazards', label: '发现隐患数', type: 'integer', required: true, unit: '处' },
      { key: 'rectified', label: '已整改数', type: 'integer', required: true, unit: '处' },
    ],
    check(v) {
      const r = none();
      if (typeof v.hazards === 'number' && typeof v.rectified === 'number' && v.rectified > v.hazards) {
        r.errors.push({ field: 'rectified', message: `“已整改数”(${v.rectified})不能多于“发现隐患数”(${v.hazards})` });
      }
      return r;
    },
  },
  {
    key: 'incidents',
    title: '安全事故',
    dateField: 'date',
    areaField: 'area',
    fields: [
      { key: 'date', label: '发生日期', type: 'date', required: true },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'type', label: '事故类型', type: 'text', required: true },
      { key: 'liability', label: '是否责任事故', type: 'boolean', required: true },
      { key: 'deaths', label: '死亡人数', type: 'integer', unit: '人' },
      { key: 'injuries', label: '受伤人数', type: 'integer', unit: '人' },
      { key: 'account', label: '经过', type: 'longtext', required: true },
    ],
  },
  {
    key: 'works',
    title: '工作量',
    dateField: 'date',
    areaField: 'area',
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'category', label: '工作类别', type: 'enum', required: true, values: Object.keys(WORK_UNITS) },
      { key: 'quantity', label: '数量', type: 'quantity', required: true },
      { key: 'unit', label: '单位', type: 'enum', required: true, values: [...new Set(Object.values(WORK_UNITS))] },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'note', label: '说明', type: 'text' },
    ],
    check(v) {
      const r = none();
      const expected = typeof v.category === 'string' ? WORK_UNITS[v.category] : undefined;
      if (expected && v.unit && v.unit !== expected) r.errors.push({ field: 'unit', message: `“${v.category}”的单位应为“${expected}”，不是“${v.unit}”` });
      return r;
    },
  },
  {
    key: 'facilities',
    title: '阵地设施',
    dateField: 'builtOn',
    areaField: 'area',
    naturalKey: 'code',
    fields: [
      { key: 'code', label: '设施编码', type: 'text', required: true },
      { key: 'name', label: '名称', type: 'text', required: true },
      {
        key: 'type',
        label: '类型',
        type: 'enum',
        required: true,
        values: ['党群服务中心', '党群服务站', '警务室', '警务站', '公共法律服务中心', '公共法律服务站', '文化长廊', '社区微空间', '幸福食堂', '幸福驿站', '幸福学堂', '幸福医馆', '其他'],
      },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'builtOn', label: '建成日期', type: 'date', required: true },
      { key: 'status', label: '状态', type: 'enum', required: true, values: ['在用', '停用'] },
    ],
  },
  {
    key: 'funds',
    title: '资金',
    dateField: 'date',
    areaField: 'area',
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'category', label: '资金类别', type: 'enum', required: true, values: ['村集体经济收入', '福利分红', '低保', '五保', '特困供养', '慰问金', '奖扶', '其他救助'] },
      { key: 'amount', label: '金额(元)', type: 'amount', required: true, unit: '元' },
      { key: 'area', label: '区域编码', type: 'area', required: true },
      { key: 'note', label: '对象或说明', type: 'text' },
    ],
  },
  {
    key: 'trainings',
    title: '培训',
    dateField: 'date',
    areaField: null,
    fields: [
      { key: 'date', label: '日期', type: 'date', required: true },
      { key: 'name', label: '名称', type: 'text', required: true },
      { key: 'type', label: '类型', type: 'enum', required: true, values: ['专题培训班', '职业技能', '素质教育', '党员教育', '其他'] },
      { key: 'form', label: '形式', type: 'enum', required: true, values: ['线上', '线下'] },
      { key: 'participants', label: '参训人数', type: 'integer', required: true, unit: '人' },
    ],
  },
  {
    key: 'brands',
    title: '党建品牌',
    dateField: 'recognizedOn',
    areaField: 'org',
    fields: [
      { key: 'name', label: '品牌名称', type: 'text', required: true },
      { key: 'org', label: '党组织编码', type: 'org', required: true },
      { key: 'recognizedOn', label: '认定日期', type: 'date', required: true },
    ],
  },
];

const BY_KEY = new Map(LEDGERS.map((l) => [l.key, l]));

export function ledgerByKey(key: string): LedgerDef | undefined {
  return BY_KEY.get(key);
}

/** A field by key or by its Chinese label (CONTRACTS §3: both name a field in queries). */
export function fieldByName(def: LedgerDef, name: string) {
  return def.fields.find((f) => f.key === name || f.label === name);
}

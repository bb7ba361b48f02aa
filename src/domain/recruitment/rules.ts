/**
 * Rule sets of 发展党员 (recruitment). The 2014 细则 is the default; the May 2026 revision is known
 * only second-hand (domain-rules §1.6), so its differences are a second set an administrator may
 * switch on, marked as awaiting confirmation. Numbers here are the defaults of domain-rules §0.
 */

export interface Citation {
  /** The document, e.g. 《中国共产党发展党员工作细则》(2014). */
  doc: string;
  /** The article, e.g. 第十三条. */
  article: string;
}

export interface RecruitmentRuleSet {
  id: '2014' | '2026';
  title: string;
  /** True for rules taken from secondary sources that still need the primary text. */
  awaitingConfirmation: boolean;
  /** Age in full years on the day of application (党章 art. 1; 细则 art. 5). */
  minAge: number;
  /** The Party organization talks with the applicant within this many months (art. 7). */
  talkWithinMonths: number;
  /** Activists are reviewed by the branch every this many months (art. 11). */
  activistReviewMonths: number;
  /** Minimum time as activist before listing as 发展对象 (art. 13: 一年以上). */
  activistMinMonths: number;
  /** 培养联系人: full members, between min and max (art. 9). */
  mentors: { min: number; max: number };
  /** 入党介绍人: full members (art. 14). */
  sponsors: number;
  /** 集中培训: at least this many days or this many class hours (art. 17). */
  training: { minDays: number; minHours: number };
  /** 公示 length in working days, on the holiday calendar. */
  publicNoticeWorkdays: number;
  /** Where the 发展对象 公示 stands: before listing (2026 art. 13) or before 预审 (2014 local practice). */
  publicNoticeBefore: 'candidate' | 'prereview';
  /** Upper approval of admission within this many months, or at most `approvalMaxMonths` (art. 25). */
  approvalMonths: number;
  approvalMaxMonths: number;
  /** Probation in months (党章 art. 7; 细则 art. 32), and one extension of 6–12 months. */
  probationMonths: number;
  extension: { minMonths: number; maxMonths: number };
  /** Conversion approval within this many months (art. 33–34). */
  conversionApprovalMonths: number;
  /** 2026 art. 19 (reported): the branch meeting within this many months of 预审; null: no limit. */
  voteWithinMonthsOfPrereview: number | null;
  /** 2026 art. 29 (reported): the oath within this many months of approval; null: no limit. */
  oathWithinMonthsOfApproval: number | null;
  /** Article numbers used in citations. */
  articles: Record<string, string>;
}

const DOC_2014 = '《中国共产党发展党员工作细则》(2014)';
const DOC_2026 = '《中国共产党发展党员工作细则》(2026年5月修订，待核实)';

export const RULES_2014: RecruitmentRuleSet = {
  id: '2014',
  title: DOC_2014,
  awaitingConfirmation: false,
  minAge: 18,
  talkWithinMonths: 1,
  activistReviewMonths: 6,
  activistMinMonths: 12,
  mentors: { min: 1, max: 2 },
  sponsors: 2,
  training: { minDays: 3, minHours: 24 },
  publicNoticeWorkdays: 5,
  publicNoticeBefore: 'prereview',
  approvalMonths: 3,
  approvalMaxMonths: 6,
  probationMonths: 12,
  extension: { minMonths: 6, maxMonths: 12 },
  conversionApprovalMonths: 3,
  voteWithinMonthsOfPrereview: null,
  oathWithinMonthsOfApproval: null,
  articles: {
    age: '第五条',
    talk: '第七条',
    activist: '第八条',
    mentors: '第九条',
    review: '第十一条',
    candidate: '第十三条',
    sponsors: '第十四条',
    politicalReview: '第十六条',
    training: '第十七条',
    prereview: '第十九条',
    quorum: '第二十条',
    vote: '第二十一条',
    approval: '第二十五条',
    probation: '第三十二条',
    conversion: '第三十三条',
    archive: '第三十七条',
  },
};

export const RULES_2026: RecruitmentRuleSet = {
  ...RULES_2014,
  id: '2026',
  title: DOC_2026,
  awaitingConfirmation: true,
  publicNoticeBefore: 'candidate',
  voteWithinMonthsOfPrereview: 1,
  oathWithinMonthsOfApproval: 1,
  articles: {
    ...RULES_2014.articles,
    publicNotice: '第十三条',
    prereview: '第十八条',
    vote: '第十九条',
    oath: '第二十九条',
    probation: '第三十一条',
    conversion: '第三十二条',
    archive: '第三十六条',
  },
};

export const RULE_SETS = { '2014': RULES_2014, '2026': RULES_2026 } as const;

export function cite(rules: RecruitmentRuleSet, key: string): Citation {
  if (key === 'charter') return { doc: '《中国共产党章程》', article: '第一条、第七条' };
  // The 2014 细则 itself sets no 公示; its length is common local practice (domain-rules §1.4).
  if (key === 'publicNotice' && rules.id === '2014') return { doc: '各地发展党员工作实施细则（通行做法）', article: '公示不少于5个工作日' };
  return { doc: rules.title, article: rules.articles[key] ?? '' };
}

/**
 * Branch-meeting vote arithmetic for admission and conversion (细则 2014 arts. 20–21, 33;
 * domain-rules §1.3). Only full members with voting rights count: probationary members have no
 * vote (党章 art. 7), so they are neither "should attend" nor "present" nor a vote.
 */

export interface VoteCount {
  /** 应到会有表决权的正式党员. */
  shouldAttend: number;
  /** 实到会有表决权的正式党员. */
  present: number;
  yes: number;
  no: number;
  abstain: number;
  /** Written opinions of absent voting members submitted before the meeting (art. 21). */
  writtenYes?: number;
  writtenNo?: number;
}

export interface Tally {
  quorum: boolean;
  passed: boolean;
  /** Yes votes counted: present yes plus written yes opinions. */
  yes: number;
  problems: string[];
}

export function tallyVote(v: VoteCount): Tally {
  const problems: string[] = [];
  const ints = [v.shouldAttend, v.present, v.yes, v.no, v.abstain, v.writtenYes ?? 0, v.writtenNo ?? 0];
  if (ints.some((n) => !Number.isInteger(n) || n < 0)) problems.push('人数必须是不小于0的整数');
  if (v.present > v.shouldAttend) problems.push('实到会人数不能多于应到会人数');
  if (v.yes + v.no + v.abstain > v.present) problems.push('赞成、反对、弃权人数之和不能多于实到会人数');
  if ((v.writtenYes ?? 0) + (v.writtenNo ?? 0) > v.shouldAttend - v.present) problems.push('书面意见只能来自未到会的党员');
  const yes = v.yes + (v.writtenYes ?? 0);
  // "超过半数": strictly more than half; exactly half (a tie) is not enough.
  const quorum = v.present * 2 > v.shouldAttend;
  const passed = quorum && yes * 2 > v.shouldAttend;
  return { quorum, passed, yes, problems };
}

/**
 * Counts a roster: each voting-age member with category and attendance. Probationary members
 * are dropped before anything is counted.
 */
export function countRoster(
  roster: Array<{ category: '正式党员' | '预备党员'; present: boolean; vote?: 'yes' | 'no' | 'abstain'; written?: 'yes' | 'no'; excused?: boolean }>,
): VoteCount {
  const voters = roster.filter((m) => m.category === '正式党员' && !m.excused);
  const present = voters.filter((m) => m.present);
  return {
    shouldAttend: voters.length,
    present: present.length,
    yes: present.filter((m) => m.vote === 'yes').length,
    no: present.filter((m) => m.vote === 'no').length,
    abstain: present.filter((m) => m.vote === 'abstain').length,
    writtenYes: voters.filter((m) => !m.present && m.written === 'yes').length,
    writtenNo: voters.filter((m) => !m.present && m.written === 'no').length,
  };
}

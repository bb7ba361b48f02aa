/**
 * The annual report (述职报告) as a template: sections of paragraphs whose figures are tokens
 * `{{key}}` bound to metric queries. Written in our own words in the shape users know — 一、成绩清单
 * by theme, 二、问题清单 drafted from the data, 三、下一步工作思路. A street may edit its copy.
 */

/** A figure: one metric query, evaluated for the report's area and year. */
export interface FigureSpec {
  key: string;
  label: string;
  ledger: string;
  /** count · sum:FIELD · distinct:FIELD · coverage:KIND · rate:FIELD=V1,V2 */
  measure: string;
  /** Filters by field label; `{{workingCommittee}}` stands for the report area's 党工委. */
  filters?: Record<string, string>;
  /** The date field the year applies to (default: the ledger's). */
  dateField?: string;
  /** `year`: records dated within the year; `yearEnd`: everything standing at the year's end. */
  range?: 'year' | 'yearEnd';
  /** How the value reads in the text. */
  format?: 'count' | 'wan' | 'percent' | 'decimal';
}

export interface ParagraphSpec {
  text: string;
  figures: FigureSpec[];
}

export interface SectionSpec {
  title: string;
  paragraphs: ParagraphSpec[];
}

export interface ReportTemplate {
  /** `{{year}}` and `{{areaName}}` are filled in. */
  title: string;
  opening: string;
  achievements: SectionSpec[];
  /** Written by the secretary under the problems drafted from the data. */
  causes: string[];
  plans: string[];
}

const f = (key: string, label: string, ledger: string, measure: string, filters: Record<string, string> = {}, extra: Partial<FigureSpec> = {}): FigureSpec => ({
  key,
  label,
  ledger,
  measure,
  filters,
  ...extra,
});

const INUSE = { range: 'yearEnd' as const };

export const DEFAULT_TEMPLATE: ReportTemplate = {
  title: '{{year}}年度{{areaName}}党工委书记抓基层党建工作述职报告',
  opening:
    '一年来，在上级党委的坚强领导下，本人切实履行抓基层党建第一责任人职责，坚持以党建引领基层治理和发展，各项工作任务全面完成。现将履职情况报告如下，请予评议。',
  achievements: [
    {
      title: '（一）加强政治建设，压紧压实党建责任',
      paragraphs: [
        {
          text: '一是压实责任链条。年初召开党建工作专题会议，部署全年任务，立项实施党组织服务群众项目{{projects}}项；全年召开党工委会议{{committeeMeetings}}次，定期研究基层党建重点工作。',
          figures: [
            f('projects', '立项实施的服务群众项目', 'projects', 'count'),
            f('committeeMeetings', '党工委会议', 'meetings', 'count', { 会议类型: '党工委会议', 党组织编码: '{{workingCommittee}}' }),
          ],
        },
        {
          text: '二是强化思想引领。深入小区开展宣传教育活动{{propaganda}}场次，覆盖{{propVillages}}个村、{{propCommunities}}个社区、{{propCompounds}}个小区，{{propPeople}}人次参与。',
          figures: [
            f('propaganda', '宣传教育活动', 'activities', 'count', { 活动类型: '宣传教育' }),
            f('propVillages', '宣传教育覆盖的村', 'activities', 'coverage:村', { 活动类型: '宣传教育' }),
            f('propCommunities', '宣传教育覆盖的社区', 'activities', 'coverage:社区', { 活动类型: '宣传教育' }),
            f('propCompounds', '宣传教育覆盖的小区', 'activities', 'coverage:小区', { 活动类型: '宣传教育' }),
            f('propPeople', '宣传教育参与人次', 'activities', 'sum:参与人数', { 活动类型: '宣传教育' }),
          ],
        },
        {
          text: '三是健全制度机制。制定印发各类制度文件{{documents}}项；班子成员深入基层联系点调研走访{{visits}}次，通过“双报到”和联系点帮助群众解决急难愁盼问题{{solved}}件。',
          figures: [
            f('documents', '制发的制度文件', 'documents', 'count'),
            f('visits', '联系点走访', 'visits', 'count'),
            f('solved', '双报到、联系点办结的难题', 'services', 'count', { 来源: '双报到,联系点', 状态: '已办结' }, { dateField: '办结日期' }),
          ],
        },
      ],
    },
    {
      title: '（二）建强基层组织，锻造过硬队伍',
      paragraphs: [
        {
          text: '一是严把党员入口关。坚持标准、严格程序，全年发展党员{{recruited}}名。',
          figures: [f('recruited', '发展党员（上级党委批准）', 'applicants', 'count', {}, { dateField: '上级党委批准日期' })],
        },
        {
          text: '二是建强干部队伍。新招录基层治理专干{{cadres}}名；组织主题活动、业务比武、文体活动等系列活动{{series}}场次，提升干部队伍能力素质。',
          figures: [
            f('cadres', '新招录基层治理专干', 'cadres', 'count', { 类别: '基层治理专干' }),
            f('series', '主题活动、业务比武、文体活动', 'activities', 'count', { 活动类型: '主题活动,业务比武,文体活动' }),
          ],
        },
        {
          text: '三是配齐配强班子。完成{{firstElections}}个新建社区“三委”首届选举，完成{{byVillages}}个村、{{byCommunities}}个社区“三委”空岗补选。',
          figures: [
            f('firstElections', '首届选举的社区', 'elections', 'coverage:社区', { 选举类型: '首届选举' }),
            f('byVillages', '空岗补选的村', 'elections', 'coverage:村', { 选举类型: '空岗补选' }),
            f('byCommunities', '空岗补选的社区', 'elections', 'coverage:社区', { 选举类型: '空岗补选' }),
          ],
        },
      ],
    },
    {
      title: '（三）党建引领基层治理，守牢安全稳定底线',
      paragraphs: [
        {
          text: '一是“党建+信访”化解矛盾。全年接待群众来访{{visitBatches}}批{{visitPersons}}人次；市长公开电话、督办件回访满意率{{satisfaction}}；越级进京访{{toBeijing}}起。',
          figures: [
            f('visitBatches', '来访批次', 'petitions', 'count', { 信访形式: '来访' }),
            f('visitPersons', '来访人次', 'petitions', 'sum:人数', { 信访形式: '来访' }),
            f('satisfaction', '市长公开电话、督办件回访满意率', 'hotline', 'rate:回访结果=满意,基本满意', { 来源: '市长公开电话,督办件' }, { format: 'percent' }),
            f('toBeijing', '越级进京访', 'petitions', 'count', { 越级去向: '进京' }),
          ],
        },
        {
          text: '二是“党建+安全”护航发展。组织网格员开展安全隐患排查，走访商户{{shops}}户次、居民{{households}}户次；全年发生责任事故{{liability}}起。',
          figures: [
            f('shops', '排查走访商户', 'inspections', 'count', { 对象类型: '商户' }),
            f('households', '排查走访居民户', 'inspections', 'count', { 对象类型: '居民户' }),
            f('liability', '责任事故', 'incidents', 'count', { 是否责任事故: '是' }),
          ],
        },
        {
          text: '三是完善治理阵地。在用警务室{{policeRooms}}个、警务站{{policeStations}}个，公共法律服务中心{{lawCenters}}个、公共法律服务站{{lawStations}}个。',
          figures: [
            f('policeRooms', '在用警务室', 'facilities', 'count', { 类型: '警务室', 状态: '在用' }, INUSE),
            f('policeStations', '在用警务站', 'facilities', 'count', { 类型: '警务站', 状态: '在用' }, INUSE),
            f('lawCenters', '公共法律服务中心', 'facilities', 'count', { 类型: '公共法律服务中心', 状态: '在用' }, INUSE),
            f('lawStations', '公共法律服务站', 'facilities', 'count', { 类型: '公共法律服务站', 状态: '在用' }, INUSE),
          ],
        },
      ],
    },
    {
      title: '（四）党建引领发展，增进民生福祉',
      paragraphs: [
        {
          text: '一是壮大集体经济。{{incomeVillages}}个行政村集体经济收入{{villageIncome}}，向群众发放福利分红{{dividends}}；发放低保、五保、特困供养、慰问金等各类救助金{{relief}}。',
          figures: [
            f('incomeVillages', '有集体经济收入的村', 'funds', 'coverage:村', { 资金类别: '村集体经济收入' }),
            f('villageIncome', '村集体经济收入', 'funds', 'sum:金额(元)', { 资金类别: '村集体经济收入' }, { format: 'wan' }),
            f('dividends', '福利分红', 'funds', 'sum:金额(元)', { 资金类别: '福利分红' }, { format: 'wan' }),
            f('relief', '各类救助金', 'funds', 'sum:金额(元)', { 资金类别: '低保,五保,特困供养,慰问金,奖扶,其他救助' }, { format: 'wan' }),
          ],
        },
        {
          text: '二是做实为民服务。累计上传承办事项{{services}}个；培育认定党建品牌{{brands}}个；在用文化长廊{{corridors}}座、社区微空间{{microSpaces}}处，幸福食堂{{canteens}}处、幸福驿站{{stations}}处、幸福学堂{{schools}}处、幸福医馆{{clinics}}处；开展职业技能、素质教育培训{{trainings}}期，受益群众{{trainees}}人次。',
          figures: [
            f('services', '上传承办事项', 'services', 'count'),
            f('brands', '党建品牌', 'brands', 'count'),
            f('corridors', '文化长廊', 'facilities', 'count', { 类型: '文化长廊', 状态: '在用' }, INUSE),
            f('microSpaces', '社区微空间', 'facilities', 'count', { 类型: '社区微空间', 状态: '在用' }, INUSE),
            f('canteens', '幸福食堂', 'facilities', 'count', { 类型: '幸福食堂', 状态: '在用' }, INUSE),
            f('stations', '幸福驿站', 'facilities', 'count', { 类型: '幸福驿站', 状态: '在用' }, INUSE),
            f('schools', '幸福学堂', 'facilities', 'count', { 类型: '幸福学堂', 状态: '在用' }, INUSE),
            f('clinics', '幸福医馆', 'facilities', 'count', { 类型: '幸福医馆', 状态: '在用' }, INUSE),
            f('trainings', '职业技能、素质教育培训', 'trainings', 'count', { 类型: '职业技能,素质教育' }),
            f('trainees', '培训受益人次', 'trainings', 'sum:参训人数', { 类型: '职业技能,素质教育' }),
          ],
        },
        {
          text: '三是改善人居环境。清理堆放物{{piles}}处、恢复绿地{{green}}平方米、拆除违建{{illegal}}处、清理垃圾{{garbage}}吨、疏通消防通道{{fireLanes}}次、设置分类垃圾桶{{bins}}组、清理违停车辆{{cars}}台、修补破损路面{{roads}}平方米；完成秸秆离田{{straw}}公顷；巡河{{patrols}}次，清理河道垃圾{{riverTrash}}吨。',
          figures: [
            f('piles', '清理堆放物（处）', 'works', 'sum:数量', { 工作类别: '清理堆放物' }, { format: 'decimal' }),
            f('green', '恢复绿地（平方米）', 'works', 'sum:数量', { 工作类别: '恢复绿地' }, { format: 'decimal' }),
            f('illegal', '拆除违建（处）', 'works', 'sum:数量', { 工作类别: '拆除违建' }, { format: 'decimal' }),
            f('garbage', '清理垃圾（吨）', 'works', 'sum:数量', { 工作类别: '清理垃圾' }, { format: 'decimal' }),
            f('fireLanes', '疏通消防通道（次）', 'works', 'sum:数量', { 工作类别: '疏通消防通道' }, { format: 'decimal' }),
            f('bins', '设置分类垃圾桶（组）', 'works', 'sum:数量', { 工作类别: '设置分类垃圾桶' }, { format: 'decimal' }),
            f('cars', '清理违停车辆（台）', 'works', 'sum:数量', { 工作类别: '清理违停车辆' }, { format: 'decimal' }),
            f('roads', '修补破损路面（平方米）', 'works', 'sum:数量', { 工作类别: '修补破损路面' }, { format: 'decimal' }),
            f('straw', '秸秆离田（公顷）', 'works', 'sum:数量', { 工作类别: '秸秆离田' }, { format: 'decimal' }),
            f('patrols', '巡河（次）', 'works', 'sum:数量', { 工作类别: '巡河' }, { format: 'decimal' }),
            f('riverTrash', '河道清理垃圾（吨）', 'works', 'sum:数量', { 工作类别: '河道清理垃圾' }, { format: 'decimal' }),
          ],
        },
      ],
    },
  ],
  causes: ['（原因分析由述职人结合实际填写。）'],
  plans: [
    '一是突出政治建设。严格落实“第一议题”制度，每季度至少召开1次党建工作专题会议，细化党建责任清单。',
    '二是强化组织建设。从严落实“三会一课”等组织生活制度，推动组织生活常态化、制度化；组织专题培训班4次以上。',
    '三是夯实服务阵地。打造党群服务中心3个、示范型党群服务站1个，持续提升阵地服务功能。',
    '四是加强队伍建设。培养后备干部20人以上，优化基层干部队伍结构。',
  ],
};

/** Reads a value the way a report states it: 123.45万元, 100%, 12.3, 4567 (no thousands separators). */
export function formatFigure(value: number | string, unit: string | null, format: FigureSpec['format'] = 'count'): string {
  if (format === 'percent') {
    const pct = Number(value) * 100;
    return `${Number.isInteger(pct) ? pct : pct.toFixed(1)}%`;
  }
  if (format === 'wan') {
    // Money arrives as an exact yuan string. 0.01万元 is 100元, i.e. 10,000 fen: round half up on it.
    const [intPart, frac = '00'] = String(value).split('.');
    const fen = BigInt(intPart!) * 100n + BigInt(frac.padEnd(2, '0').slice(0, 2));
    const centiWan = (fen + 5_000n) / 10_000n;
    return `${centiWan / 100n}.${String(centiWan % 100n).padStart(2, '0')}万元`;
  }
  return unit === '元' ? `${String(value)}元` : String(value);
}

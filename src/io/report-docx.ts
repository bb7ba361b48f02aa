/**
 * The annual report as a Word document in 公文 format (GB/T 9704-2012; domain-rules §9): A4, margins
 * 37/35/28/26 mm (top, bottom, left, right), title in 2号 方正小标宋简体, body 3号 仿宋_GB2312,
 * headings 黑体 and 楷体_GB2312, 22 lines of 28 characters, page numbers "— N —" in 4号 宋体 on the
 * right of odd pages and the left of even ones. And the same report as Markdown.
 */
import { AlignmentType, Document, DocumentGridType, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import type { AnnualReport } from '../store/report.ts';

const MM = 56.6929; // twips per millimetre
const twips = (mm: number) => Math.round(mm * MM);

/** Font sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt. */
const SIZE = { title: 44, body: 32, pageNumber: 28 } as const;
/** 22 lines in the 225 mm type area: a fixed 28.95 pt line (579 twentieths). */
const LINE = 579;
/** 28 characters in the 156 mm line: the grid pitch 15.79 pt, 0.21 pt under 3号 (×4096). */
const CHAR_SPACE = -849;

function run(text: string, font: string, size: number, bold = false): TextRun {
  return new TextRun({ text, bold, size, font: { ascii: font, eastAsia: font, hAnsi: font, cs: font }, language: { eastAsia: 'zh-CN' } });
}

function body(text: string): Paragraph {
  return new Paragraph({
    children: [run(text, '仿宋_GB2312', SIZE.body)],
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: 640 }, // two characters of 3号
    spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
  });
}

function heading(text: string, font: '黑体' | '楷体_GB2312'): Paragraph {
  return new Paragraph({
    children: [run(text, font, SIZE.body)],
    indent: { firstLine: 640 },
    spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    keepNext: true,
  });
}

function pageNumberFooter(alignment: (typeof AlignmentType)[keyof typeof AlignmentType]): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment,
        // "一字线 页码 一字线", kept a character in from the edge.
        indent: alignment === AlignmentType.RIGHT ? { right: 320 } : { left: 320 },
        children: [
          new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.pageNumber, font: { ascii: '宋体', eastAsia: '宋体', hAnsi: '宋体' } }),
        ],
      }),
    ],
  });
}

export async function reportDocx(report: AnnualReport): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: LINE * 2, lineRule: LineRuleType.AT_LEAST, after: LINE },
      children: [run(report.title, '方正小标宋简体', SIZE.title)],
    }),
    body(report.opening),
    heading('一、成绩清单', '黑体'),
  ];
  for (const s of report.sections) {
    children.push(heading(s.title, '楷体_GB2312'));
    for (const p of s.paragraphs) children.push(body(p.text));
  }
  children.push(heading('二、问题清单', '黑体'));
  if (!report.problems.length) children.push(body('经对照各项制度和年度任务，本年度记录中未发现需要列出的问题。'));
  const ordinal = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
  report.problems.forEach((p, i) => children.push(body(`${ordinal[i] ?? i + 1}是${p.text}`)));
  children.push(body('原因主要有以下方面：'));
  for (const c of report.causes) children.push(body(c));
  children.push(heading('三、下一步工作思路', '黑体'));
  for (const p of report.plans) children.push(body(p.text));

  const doc = new Document({
    creator: 'Jiceng 基层',
    title: report.title,
    evenAndOddHeaderAndFooters: true,
    styles: { default: { document: { run: { font: '仿宋_GB2312', size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(210), height: twips(297) },
            margin: { top: twips(37), bottom: twips(35), left: twips(28), right: twips(26), header: twips(15), footer: twips(25) },
          },
          grid: { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE, charSpace: CHAR_SPACE },
        },
        footers: { default: pageNumberFooter(AlignmentType.RIGHT), even: pageNumberFooter(AlignmentType.LEFT) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export function reportMarkdown(report: AnnualReport): string {
  const lines = [`# ${report.title}`, '', report.opening, '', '## 一、成绩清单', ''];
  for (const s of report.sections) {
    lines.push(`### ${s.title}`, '');
    for (const p of s.paragraphs) lines.push(p.text, '');
  }
  lines.push('## 二、问题清单', '');
  if (!report.problems.length) lines.push('本年度记录中未发现需要列出的问题。', '');
  report.problems.forEach((p, i) => lines.push(`${i + 1}. ${p.text}`));
  lines.push('', '原因主要有以下方面：', '', ...report.causes.map((c) => `${c}\n`), '## 三、下一步工作思路', '', ...report.plans.map((p) => `${p.text}\n`));
  lines.push('---', '', '数据来源（每个数字对应的查询）：', '');
  for (const s of report.sections) for (const p of s.paragraphs) for (const f of p.figures) lines.push(`- ${f.label}：${f.value}${f.unit && f.unit !== '条' ? ` ${f.unit}` : ''} — \`${f.query}\``);
  return `${lines.join('\n')}\n`;
}

/** Import templates: the headers (required ones marked *), an example row, drop-down lists for enums. */
import type { ColumnDef } from '../domain/tree-import.ts';

function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

export async function templateWorkbook(title: string, columns: ColumnDef[]): Promise<Buffer> {
  // Loaded on first use: exceljs is large, and most processes never write a template.
  const { default: ExcelJS } = await import('./excel.ts');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jiceng 基层';
  const ws = wb.addWorksheet(title);
  const lists = wb.addWorksheet('选项');
  lists.state = 'veryHidden';
  ws.columns = columns.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: Math.max(14, c.header.length * 3 + 4) }));
  ws.getRow(1).font = { bold: true };
  ws.addRow(Object.fromEntries(columns.map((c) => [c.key, c.example])));
  columns.forEach((c, i) => {
    const letter = columnLetter(i + 1);
    if (c.note) ws.getCell(`${letter}1`).note = c.note;
    if (c.values) {
      // Lists go on a hidden sheet: an inline list is limited to 255 characters.
      const listCol = columnLetter(i + 1);
      c.values.forEach((v, j) => (lists.getCell(`${listCol}${j + 1}`).value = v));
      for (let r = 2; r <= 1000; r++) {
        ws.getCell(`${letter}${r}`).dataValidation = {
          type: 'list',
          allowBlank: !c.required,
          formulae: [`'选项'!$${listCol}$1:$${listCol}$${c.values.length}`],
          showErrorMessage: true,
          errorTitle: '请从下拉列表中选择',
          error: `只能填写：${c.values.join('、')}`,
        };
      }
    }
    if (c.kind === 'code' || c.kind === 'text') ws.getColumn(i + 1).numFmt = '@';
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

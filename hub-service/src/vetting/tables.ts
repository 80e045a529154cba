// Reads the tables an artifact holds: CSV files and pandas HTML tables, as header, label columns and rows.

export interface ITable {
  /** Column names, one per column (label columns included); several HTML header rows are joined. */
  header: string[];
  /** How many leading columns are labels (the pandas index), not counts or statistics. */
  labelColumns: number;
  /** Data rows, each one string per column, header excluded. */
  rows: string[][];
  /** More data rows than were read (see maxRows); `rowCount` still counts them all. */
  truncated: boolean;
  rowCount: number;
}

const numberPattern = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A cell as a number, or undefined when it is empty, NaN or not a number. */
export function cellNumber(cell: string): number | undefined {
  const s = cell.trim().replace(/,(?=\d{3}\b)/g, '');
  return numberPattern.test(s) ? Number(s) : undefined;
}

/** Splits CSV text into records (RFC 4180 quoting); keeps the first maxRecords and counts the rest. */
export function parseCsv(text: string, maxRecords: number): { records: string[][]; count: number } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  for (; i < text.length && records.length < maxRecords; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') {
        field += ch;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') {
        i++;
      }
      record.push(field);
      if (record.length > 1 || record[0] !== '') {
        records.push(record);
      }
      record = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (i >= text.length) {
    if (field !== '' || record.length > 0) {
      records.push([...record, field]);
    }
    return { records, count: records.length };
  }
  return { records, count: records.length + countLines(text, i) };
}

/** Non-empty lines from `from` on; quoted line breaks are rare enough past the row limit to count. */
function countLines(text: string, from: number): number {
  let lines = 0;
  for (let at = from; at < text.length;) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next;
    // indexOf is native and fast; only a blank or "\r" line is not a row.
    if (end - at > 1 || (end - at === 1 && text.charCodeAt(at) !== 13)) {
      lines++;
    }
    at = end + 1;
  }
  return lines;
}

/** A CSV output as a table: the first record is the header; see labelColumnsOf for the labels. */
export function csvTable(text: string, maxRows: number): ITable | undefined {
  const { records, count } = parseCsv(text, maxRows + 1);
  if (records.length === 0) {
    return undefined;
  }
  const [header, ...rows] = records;
  return {
    header,
    rows,
    labelColumns: csvLabelColumns(header, rows),
    truncated: count > records.length,
    rowCount: count - 1
  };
}

/**
 * pandas writes its index first, so the first column is a label; so is any further leading column
 * holding text (a MultiIndex). A numeric first column (e.g. a week number) is still the index.
 */
function csvLabelColumns(header: string[], rows: string[][]): number {
  let labels = 1;
  while (
    labels < header.length - 1 &&
    rows.some(r => (r[labels] ?? '').trim() !== '' && cellNumber(r[labels]) === undefined)
  ) {
    labels++;
  }
  return Math.min(labels, header.length);
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' '
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** HTML as text: each table row on its own line with tab-separated cells, tags gone, entities decoded. */
export function htmlText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<\/t[dh]\s*>\s*/gi, '\t')
      .replace(/<\/tr\s*>|<br\s*\/?>|<\/p\s*>|<\/div\s*>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/\n\s*\n/g, '\n')
      .replace(/^ +| +$/gm, '')
  );
}

interface IHtmlCell {
  header: boolean;
  text: string;
  span: number;
}

function htmlRows(section: string): IHtmlCell[][] {
  const rows: IHtmlCell[][] = [];
  for (const tr of section.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr\s*>/gi)) {
    const cells: IHtmlCell[] = [];
    for (const cell of tr[1].matchAll(/<(t[dh])\b([^>]*)>([\s\S]*?)<\/t[dh]\s*>/gi)) {
      const span = cell[2] === '' ? null : /colspan\s*=\s*"?(\d+)/i.exec(cell[2]);
      // Most cells are plain text: skip the replacements they do not need.
      let text = cell[3].includes('<') ? cell[3].replace(/<[^>]*>/g, '') : cell[3];
      text = text.includes('&') ? decodeEntities(text) : text;
      cells.push({
        header: cell[1].toLowerCase() === 'th',
        text: text.trim(),
        span: span ? Math.max(1, Math.min(Number(span[1]), 1000)) : 1
      });
    }
    rows.push(
      cells.some(c => c.span > 1)
        ? cells.flatMap(c => Array.from({ length: c.span }, () => c))
        : cells
    );
  }
  return rows;
}

/** Every pandas DataFrame table in an HTML text; label columns are the body rows' leading <th> cells. */
export function dataFrameTables(html: string, maxRows: number): ITable[] {
  const tables: ITable[] = [];
  for (const m of html.matchAll(
    /<table\b[^>]*class="[^"]*\bdataframe\b[^"]*"[^>]*>([\s\S]*?)<\/table\s*>/gi
  )) {
    const head = /<thead\b[^>]*>([\s\S]*?)<\/thead\s*>/i.exec(m[1]);
    const body = /<tbody\b[^>]*>([\s\S]*?)<\/tbody\s*>/i.exec(m[1]);
    const headRows = head ? htmlRows(head[1]) : [];
    const bodyRows = htmlRows(body ? body[1] : m[1]).filter(r => r.length > 0);
    const width = Math.max(0, ...bodyRows.map(r => r.length), ...headRows.map(r => r.length));
    const header = Array.from({ length: width }, (_, i) =>
      headRows
        .map(r => r[i]?.text ?? '')
        .filter(t => t !== '')
        .join(' ')
    );
    const first = bodyRows[0] ?? [];
    let labels = 0;
    while (labels < first.length && first[labels].header) {
      labels++;
    }
    // pandas leaves repeated MultiIndex labels out (rowspan); rows then start with fewer <th>.
    const rows = bodyRows.map(r => {
      const texts = r.map(c => c.text);
      return texts.length < width ? [...Array(width - texts.length).fill(''), ...texts] : texts;
    });
    tables.push({
      header,
      labelColumns: labels,
      rows: rows.slice(0, maxRows),
      truncated: rows.length > maxRows,
      rowCount: rows.length
    });
  }
  return tables;
}

const isNumberCell = (cell: string) => cell === 'NaN' || cellNumber(cell) !== undefined;

/** A printed line's cells: pandas separates columns by two or more spaces; a line that starts blank
 *  leaves repeated MultiIndex labels out, so it is padded on the left to the block's width. */
function printedCells(line: string, width?: number): string[] {
  const cells = line.trim().split(/\s{2,}/);
  return width !== undefined && cells.length < width && /^\s/.test(line)
    ? [...Array(width - cells.length).fill(''), ...cells]
    : cells;
}

/** How many cells at the end of a printed row are numbers. */
function trailingNumbers(cells: string[]): number {
  let n = 0;
  while (n < cells.length && isNumberCell(cells[cells.length - 1 - n])) {
    n++;
  }
  return n;
}

/** The last line pandas prints under a Series: `Name: count, dtype: int64`. */
const seriesFooter = /^Name: (.+?), (?:Length: \d+, )?dtype: \w+\s*$/;

/**
 * Tables pandas prints as text (`print(df)`, a Series, `value_counts()`): a header line, maybe an
 * index-name line, then rows of the same width ending in numbers. Labels are the leading cells; a
 * numeric index (a week number) is still a label, since every row keeps at least one.
 */
export function printedTables(text: string, maxRows: number): ITable[] {
  const lines = text.split('\n');
  const tables: ITable[] = [];
  const isRow = (cells: string[]) => cells.length >= 2 && trailingNumbers(cells) > 0;
  for (let i = 0; i < lines.length; i++) {
    const first = printedCells(lines[i]);
    if (!isRow(first)) {
      continue;
    }
    const width = first.length;
    const rows: string[][] = [];
    let end = i;
    for (; end < lines.length; end++) {
      const cells = printedCells(lines[end], width);
      if (cells.length !== width || !isRow(cells)) {
        break;
      }
      rows.push(cells);
    }
    const values = Math.min(width - 1, ...rows.map(trailingNumbers));
    // A printed Series ends with its name (value_counts() names its counts "count"); the line above is the index's.
    const series = width === 2 ? seriesFooter.exec(lines[end] ?? '') : null;
    if (series) {
      tables.push({
        header: ['', series[1]],
        labelColumns: 1,
        rows: rows.slice(0, maxRows),
        truncated: rows.length > maxRows,
        rowCount: rows.length
      });
      i = end;
      continue;
    }
    // The header is the line above, or the one above an index-name line (fewer cells).
    let h = i - 1;
    if (h >= 1 && lines[h].trim() !== '' && printedCells(lines[h]).length < width - 1) {
      h--;
    }
    const header = h >= 0 && lines[h].trim() !== '' ? printedCells(lines[h]) : [];
    if (header.length > 0 && header.length <= width && !header.every(isNumberCell)) {
      // The last names name the values; any before them name the index levels or the columns' axis.
      const names = header.slice(-values);
      tables.push({
        header: [...Array(width - names.length).fill(''), ...names],
        labelColumns: width - values,
        rows: rows.slice(0, maxRows),
        truncated: rows.length > maxRows,
        rowCount: rows.length
      });
    }
    i = end - 1;
  }
  return tables;
}

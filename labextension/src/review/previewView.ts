// Draws an artifact's preview for the checker: tables with the flagged cells and rows marked (and
// the finding as the cell's description), an image, or text with flagged lines marked. Content is
// unvetted, so it is only ever set as text or as an image source, never as markup.
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Finding } from '../request';
import { flags, type IFlags, type ITable, type Preview } from './content';

const why = (findings: Finding[]) => findings.map(f => `${f.check}: ${f.reason}`).join(' ');

function table(t: ITable, marks: IFlags, trans: TranslationBundle, caption: string): HTMLElement {
  const el = document.createElement('table');
  el.className = 'jp-hbroker-Preview-table';
  const cap = document.createElement('caption');
  cap.textContent = caption;
  const head = document.createElement('tr');
  for (const name of t.header) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = name;
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  t.rows.forEach((row, r) => {
    const tr = document.createElement('tr');
    const rowFlags = marks.rows.get(r);
    if (rowFlags) {
      tr.className = 'jp-hbroker-flagged';
      tr.title = why(rowFlags);
    }
    row.forEach((value, c) => {
      const td = document.createElement(c < t.labelColumns ? 'th' : 'td');
      td.textContent = value;
      const cellFlags = marks.cells.get(`${r}:${c}`);
      if (cellFlags) {
        td.className = 'jp-hbroker-flagged';
        td.title = why(cellFlags);
        // Not only colour: the flag is in the text a screen reader reads, too.
        const note = document.createElement('span');
        note.className = 'jp-hbroker-flag';
        note.textContent = ` ⚑`;
        note.setAttribute('aria-label', trans.__('flagged: %1', why(cellFlags)));
        td.append(note);
      }
      tr.append(td);
    });
    tbody.append(tr);
  });
  el.append(cap, thead, tbody);
  return el;
}

export function previewView(
  preview: Preview,
  findings: Finding[],
  trans: TranslationBundle
): HTMLElement {
  const box = document.createElement('div');
  box.className = 'jp-hbroker-Preview';
  box.dataset.kind = preview.kind;
  const marks = flags(findings);
  if (preview.kind === 'image') {
    const img = document.createElement('img');
    img.src = preview.src;
    img.alt = trans.__('Image output under review');
    box.append(img);
  } else if (preview.kind === 'table') {
    preview.tables.forEach((t, i) => {
      const caption =
        t.rowCount > t.rows.length
          ? trans.__('Table %1: first %2 of %3 rows', i + 1, t.rows.length, t.rowCount)
          : trans.__('Table %1: %2 rows', i + 1, t.rowCount);
      box.append(table(t, marks, trans, caption));
    });
  } else {
    const pre = document.createElement('pre');
    pre.className = 'jp-hbroker-Preview-text';
    preview.text.split('\n').forEach((line, i) => {
      const span = document.createElement('span');
      span.textContent = line + '\n';
      const lineFlags = marks.lines.get(i);
      if (lineFlags) {
        span.className = 'jp-hbroker-flagged';
        span.title = why(lineFlags);
      }
      pre.append(span);
    });
    box.append(pre);
  }
  return box;
}

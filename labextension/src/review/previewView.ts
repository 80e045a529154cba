// Draws an artifact's preview for the checker: tables with the flagged cells and rows marked (and
// the finding as the cell's description), an image, or text with flagged lines marked. Content is
// unvetted, so it is only ever set as text or as an image source, never as markup. Invisible characters
// are shown as marked code points, and what release drops or re-encodes is said above the preview.
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  revealHiddenCharacters,
  splitHiddenCharacters
} from '../../../hub-service/src/bundle/hidden-characters';
import type { Finding } from '../request';
import { flags, type IFlags, type ITable, type Preview } from './content';

/**
 * Appends text with every character a reader cannot see shown as a marked code point (⟦U+200B⟧), so
 * the checker sees what the checks saw; release removes them.
 */
export function appendMarked(el: HTMLElement, text: string, trans: TranslationBundle): void {
  for (const part of splitHiddenCharacters(text)) {
    if (!part.hidden) {
      el.append(part.text);
      continue;
    }
    const mark = document.createElement('mark');
    mark.className = 'jp-hbroker-hidden';
    mark.textContent = revealHiddenCharacters(part.text);
    mark.title = trans.__(
      'An invisible character (%1); release removes it',
      mark.textContent.slice(1, -1)
    );
    el.append(mark);
  }
}

/** What release will write instead of what the run wrote: the release check's own sentences. */
function releaseNote(findings: Finding[], trans: TranslationBundle): HTMLElement | undefined {
  const said = findings.filter(f => f.check === 'release' && f.location?.row === undefined);
  if (said.length === 0) {
    return undefined;
  }
  const note = document.createElement('p');
  note.className = 'jp-hbroker-Preview-release';
  note.textContent = `${trans.__('On release:')} ${said.map(f => f.reason).join(' ')}`;
  return note;
}

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
    appendMarked(th, name, trans);
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
      appendMarked(td, value, trans);
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
  const note = releaseNote(findings, trans);
  if (note) {
    box.append(note);
  }
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
      appendMarked(span, line + '\n', trans);
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

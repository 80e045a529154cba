// One artifact in the review workspace: what it is, its findings (the ones that did not pass
// first), its preview (loaded when the artifact is selected), and the checker's decision: approve
// or reject, a comment and who sees it.
import type { TranslationBundle } from '@jupyterlab/translation';
import { bytes } from '../format';
import type { Artifact, Finding } from '../request';
import type { Visibility } from './form';
import type { ReviewModel } from './model';
import { appendMarked, previewView } from './previewView';
import { needsPreview } from '../../../hub-service/src/review/triage';

let unique = 0;

function where(finding: Finding, trans: TranslationBundle): string {
  const at = finding.location ?? {};
  const parts = [
    at.cell !== undefined ? trans.__('cell %1', at.cell) : '',
    at.row !== undefined ? trans.__('row %1', at.row + 1) : '',
    at.column !== undefined ? trans.__('column %1', Number(at.column) + 1) : ''
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The findings that need a look first; the passing ones folded away under a count. */
function findingList(artifact: Artifact, trans: TranslationBundle): HTMLElement {
  const box = document.createElement('div');
  const flagged = artifact.findings.filter(f => f.verdict !== 'pass');
  const passed = artifact.findings.filter(f => f.verdict === 'pass');
  box.append(findingItems(flagged, trans));
  if (passed.length) {
    const details = document.createElement('details');
    details.className = 'jp-hbroker-ReviewArtifact-passed';
    const summary = document.createElement('summary');
    summary.textContent = trans._n('%1 check passed', '%1 checks passed', passed.length);
    details.append(summary, findingItems(passed, trans));
    box.append(details);
  }
  return box;
}

function findingItems(findings: Finding[], trans: TranslationBundle): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'jp-hbroker-Findings';
  for (const finding of findings) {
    const item = document.createElement('li');
    item.className = 'jp-hbroker-Finding';
    item.dataset.verdict = finding.verdict;
    item.textContent = `${finding.check} · ${finding.verdict}${where(finding, trans)}: ${finding.reason}`;
    for (const mitigation of finding.mitigations ?? []) {
      const hint = document.createElement('div');
      hint.className = 'jp-hbroker-Finding-mitigation';
      hint.textContent = trans.__('Suggested: %1', mitigation.detail);
      item.append(hint);
    }
    list.append(item);
  }
  return list;
}

/** A control with its label (by id, so a select's name is the label alone, not its options). */
function labelled(text: string, control: HTMLElement): HTMLElement {
  control.id = `hbroker-review-field-${++unique}`;
  const field = document.createElement('div');
  field.className = 'jp-hbroker-ReviewArtifact-field';
  const label = document.createElement('label');
  label.htmlFor = control.id;
  label.textContent = text;
  field.append(label, control);
  return field;
}

/** Called after a decision was recorded (the workspace then moves on, or to the comment). */
export type OnDecided = (decision: 'approve' | 'reject') => void;

function decisionControls(
  artifact: Artifact,
  model: ReviewModel,
  trans: TranslationBundle,
  onDecided: OnDecided
): { node: HTMLElement; update: () => void } {
  const path = artifact.path;
  const draft = model.form!.get(path);
  const fieldset = document.createElement('fieldset');
  fieldset.className = 'jp-hbroker-ReviewArtifact-decision';
  const legend = document.createElement('legend');
  legend.textContent = trans.__('Decision on %1', path);
  const choices = document.createElement('div');
  choices.className = 'jp-hbroker-ReviewArtifact-choices';
  const buttons = (
    [
      ['approve', trans.__('Approve'), 'a'],
      ['reject', trans.__('Reject'), 'r']
    ] as const
  ).map(([value, text, key]) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `jp-mod-styled jp-hbroker-button jp-hbroker-ReviewArtifact-${value}`;
    b.dataset.decision = value;
    b.textContent = text;
    b.setAttribute('aria-keyshortcuts', key);
    b.title = trans.__('%1 (key %2)', text, key);
    b.addEventListener('click', () => {
      if (model.decide(path, value)) {
        onDecided(value);
      }
    });
    choices.append(b);
    return b;
  });
  const comment = document.createElement('textarea');
  comment.className = 'jp-mod-styled';
  comment.name = 'comment';
  comment.rows = 3;
  comment.maxLength = 4000;
  comment.value = draft.comment;
  comment.addEventListener('input', () => model.form!.set(path, { comment: comment.value }));
  const visibility = document.createElement('select');
  visibility.className = 'jp-mod-styled';
  visibility.name = 'visibility';
  for (const [value, text] of [
    ['checkers', trans.__('Output checkers only')],
    ['author', trans.__('The author too')]
  ] as const) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = text;
    visibility.append(option);
  }
  visibility.value = draft.visibility;
  visibility.addEventListener('change', () =>
    model.form!.set(path, { visibility: visibility.value as Visibility })
  );
  fieldset.append(
    legend,
    choices,
    labelled(trans.__('Comment'), comment),
    labelled(trans.__('Who sees the comment'), visibility)
  );
  const update = () => {
    const decision = model.form?.get(path).decision;
    fieldset.dataset.decision = decision ?? '';
    for (const b of buttons) {
      b.setAttribute('aria-pressed', String(b.dataset.decision === decision));
    }
  };
  update();
  return { node: fieldset, update };
}

/** The selected artifact's pane; `update()` redraws only its preview and decision state. */
export function artifactDetail(
  artifact: Artifact,
  model: ReviewModel,
  trans: TranslationBundle,
  onDecided: OnDecided
): { node: HTMLElement; update: () => void } {
  const node = document.createElement('section');
  node.className = 'jp-hbroker-ReviewArtifact';
  node.dataset.path = artifact.path;
  const flagged = artifact.findings.some(f => f.verdict !== 'pass');
  node.dataset.flagged = String(flagged);
  const title = document.createElement('h3');
  // The name is released too: shown with any invisible character marked.
  appendMarked(title, artifact.path, trans);
  const meta = document.createElement('p');
  meta.className = 'jp-hbroker-ReviewArtifact-meta';
  meta.textContent = trans.__(
    '%1, %2; %3',
    artifact.kind,
    bytes(artifact.size),
    flagged ? trans.__('flagged by the automatic checks') : trans.__('every check passed')
  );
  if (needsPreview(artifact)) {
    meta.textContent += trans.__('; look at the preview before approving it');
  }
  const preview = document.createElement('div');
  preview.className = 'jp-hbroker-ReviewArtifact-preview';
  preview.setAttribute('role', 'region');
  preview.setAttribute('aria-label', trans.__('Preview of %1', artifact.path));
  preview.tabIndex = 0;
  const loading = document.createElement('p');
  loading.className = 'jp-hbroker-ReviewArtifact-meta';
  loading.textContent = trans.__('Loading the preview…');
  preview.append(loading);
  const decision = decisionControls(artifact, model, trans, onDecided);
  const aside = document.createElement('div');
  aside.className = 'jp-hbroker-ReviewArtifact-aside';
  aside.append(decision.node, findingList(artifact, trans));
  const columns = document.createElement('div');
  columns.className = 'jp-hbroker-ReviewArtifact-columns';
  columns.append(preview, aside);
  node.append(title, meta, columns);

  const update = () => {
    decision.update();
    const loaded = model.preview(artifact.path);
    if (!loaded || preview.dataset.loaded) {
      return;
    }
    if (loaded instanceof Error) {
      const error = document.createElement('p');
      error.className = 'jp-hbroker-error';
      error.setAttribute('role', 'alert');
      error.textContent = loaded.message;
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'jp-mod-styled jp-mod-reject jp-hbroker-button';
      retry.textContent = trans.__('Load the preview again');
      retry.addEventListener('click', () => void model.loadPreview(artifact.path));
      preview.replaceChildren(error, retry);
      return;
    }
    preview.dataset.loaded = 'true';
    preview.replaceChildren(previewView(loaded, artifact.findings, trans));
  };
  update();
  return { node, update };
}

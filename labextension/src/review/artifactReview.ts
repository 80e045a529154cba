// One artifact in the review: what it is, its findings (the ones that did not pass marked), a
// preview on request, and the checker's decision: approve or reject, a comment and who sees it.
import type { TranslationBundle } from '@jupyterlab/translation';
import { bytes } from '../format';
import type { Artifact, Finding } from '../request';
import type { ReviewForm, Visibility } from './form';
import type { ReviewModel } from './model';
import { appendMarked, previewView } from './previewView';

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

function decisionControls(path: string, form: ReviewForm, trans: TranslationBundle): HTMLElement {
  const draft = form.get(path);
  const fieldset = document.createElement('fieldset');
  fieldset.className = 'jp-hbroker-ReviewArtifact-decision';
  const legend = document.createElement('legend');
  legend.textContent = trans.__('Decision on %1', path);
  fieldset.append(legend);
  const group = `hbroker-decision-${++unique}`;
  const choices = document.createElement('div');
  choices.className = 'jp-hbroker-ReviewArtifact-choices';
  for (const [value, text] of [
    ['approve', trans.__('Approve')],
    ['reject', trans.__('Reject')]
  ] as const) {
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = group;
    radio.value = value;
    radio.checked = draft.decision === value;
    radio.addEventListener('change', () => {
      form.set(path, { decision: value });
      fieldset.dataset.decision = value;
    });
    const label = document.createElement('label');
    label.append(radio, ` ${text}`);
    choices.append(label);
  }
  fieldset.dataset.decision = draft.decision ?? '';
  const comment = document.createElement('textarea');
  comment.className = 'jp-mod-styled';
  comment.name = 'comment';
  comment.rows = 2;
  comment.maxLength = 4000;
  comment.value = draft.comment;
  comment.addEventListener('input', () => form.set(path, { comment: comment.value }));
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
    form.set(path, { visibility: visibility.value as Visibility })
  );
  fieldset.append(
    choices,
    labelled(trans.__('Comment'), comment),
    labelled(trans.__('Who sees the comment'), visibility)
  );
  return fieldset;
}

/** The artifact's section; `update()` redraws only its preview, so typing and focus are kept. */
export function artifactReview(
  artifact: Artifact,
  model: ReviewModel,
  form: ReviewForm,
  trans: TranslationBundle
): { node: HTMLElement; update: () => void } {
  const node = document.createElement('section');
  node.className = 'jp-hbroker-ReviewArtifact';
  node.dataset.path = artifact.path;
  const flagged = artifact.findings.some(f => f.verdict !== 'pass');
  node.dataset.flagged = String(flagged);
  const title = document.createElement('h4');
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
  const preview = document.createElement('div');
  preview.className = 'jp-hbroker-ReviewArtifact-preview';
  preview.tabIndex = -1;
  preview.setAttribute('aria-label', trans.__('Preview of %1', artifact.path));
  const show = document.createElement('button');
  show.type = 'button';
  show.className = 'jp-mod-styled jp-mod-reject jp-hbroker-button';
  show.textContent = trans.__('Show preview');
  show.setAttribute('aria-label', trans.__('Show preview of %1', artifact.path));
  let focusPreview = false;
  show.addEventListener('click', () => {
    focusPreview = document.activeElement === show;
    show.disabled = true;
    void model.loadPreview(artifact.path);
  });
  preview.append(show);
  node.append(title, meta, findingList(artifact, trans), preview);
  node.append(decisionControls(artifact.path, form, trans));

  const update = () => {
    const loaded = model.preview(artifact.path);
    if (!loaded || preview.dataset.loaded) {
      return;
    }
    preview.dataset.loaded = 'true';
    if (loaded instanceof Error) {
      const error = document.createElement('p');
      error.className = 'jp-hbroker-error';
      error.setAttribute('role', 'alert');
      error.textContent = loaded.message;
      show.disabled = false;
      delete preview.dataset.loaded;
      preview.replaceChildren(show, error);
      return;
    }
    preview.replaceChildren(previewView(loaded, artifact.findings, trans));
    if (focusPreview) {
      // The button is gone: keep the keyboard where the content now is.
      preview.focus();
    }
  };
  return { node, update };
}

// The review form's logic: one decision per artifact (approve or reject, a comment and who sees it),
// or the whole job returned with requested changes; what it would send, or why it cannot yet.
import type { Review, ReviewDecision, ReviewSubmission } from '../request';

export type Decision = ReviewDecision['decision'];
export type Visibility = ReviewDecision['visibility'];

export interface IDraft {
  decision: Decision | undefined;
  comment: string;
  visibility: Visibility;
}

export class ReviewForm {
  private drafts = new Map<string, IDraft>();
  /** What the author should change, for returning the job instead of deciding it. */
  changes = '';

  /** `paths`: every artifact of the job; `latest`: this checker's last review, which it revises. */
  constructor(
    readonly paths: string[],
    latest?: Review
  ) {
    for (const path of paths) {
      const earlier = latest?.decisions?.find(d => d.path === path);
      this.drafts.set(path, {
        decision: earlier?.decision,
        comment: earlier?.comment ?? '',
        visibility: earlier?.visibility ?? 'checkers'
      });
    }
    this.changes = latest?.return?.changes ?? '';
  }

  get(path: string): IDraft {
    const draft = this.drafts.get(path);
    if (!draft) {
      throw new Error(`"${path}" is not an artifact of this job`);
    }
    return { ...draft };
  }

  set(path: string, change: Partial<IDraft>): void {
    this.drafts.set(path, { ...this.get(path), ...change });
  }

  /** Artifacts still without a decision; the service refuses a review that leaves one out. */
  undecided(): string[] {
    return this.paths.filter(p => !this.drafts.get(p)!.decision);
  }

  /** The review deciding every artifact, or undefined while one is undecided. */
  decisions(): ReviewSubmission | undefined {
    if (this.paths.length === 0 || this.undecided().length > 0) {
      return undefined;
    }
    const [first, ...rest] = this.paths.map((path): ReviewDecision => {
      const { decision, comment, visibility } = this.drafts.get(path)!;
      const text = comment.trim();
      return { path, decision: decision!, visibility, ...(text ? { comment: text } : {}) };
    });
    return { decisions: [first, ...rest] };
  }

  /** The job returned to its author, or undefined while no change is asked for. */
  returned(): ReviewSubmission | undefined {
    const changes = this.changes.trim();
    return changes ? { return: { changes } } : undefined;
  }
}

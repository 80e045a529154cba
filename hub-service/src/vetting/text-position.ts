// Turns offsets in an artifact's text into finding locations (line, or CSV row and column), never content.
import type { ICandidate } from './index.js';

export class TextPosition {
  private line = 0;
  private at = 0;
  private lineStart = 0;

  constructor(
    private text: string,
    private csv: boolean
  ) {}

  /** Positions in an artifact's text: CSV outputs by row and column, anything else by line. */
  static of(c: ICandidate, text: string): TextPosition {
    return new TextPosition(text, c.kind === 'output' && /\.csv$/i.test(c.path));
  }

  /** The 0-based line of `offset`; offsets must not go backwards by more than one line. */
  lineOf(offset: number): number {
    if (offset < this.lineStart) {
      this.line = 0;
      this.at = 0;
      this.lineStart = 0;
    }
    for (; this.at < offset; this.at++) {
      if (this.text.charCodeAt(this.at) === 10) {
        this.line++;
        this.lineStart = this.at + 1;
      }
    }
    return this.line;
  }

  /** row and column for a finding: a CSV's data row (header excluded) and column index, else the line. */
  locate(offset: number): { row: number; column?: string } {
    const line = this.lineOf(offset);
    if (!this.csv) {
      return { row: line };
    }
    let column = 0;
    let quoted = false;
    for (let i = this.lineStart; i < offset; i++) {
      const c = this.text[i];
      if (c === '"') {
        quoted = !quoted;
      } else if (c === ',' && !quoted) {
        column++;
      }
    }
    return { row: Math.max(0, line - 1), column: String(column) };
  }
}

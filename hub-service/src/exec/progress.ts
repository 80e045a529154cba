// Reads the runner's progress channel: JSON lines with cell indices and the final report, never content.

export interface IFinishedReport {
  status: 'ok' | 'error';
  error?: { cell?: number; ename?: string } | null;
  missing?: string[];
  limits?: { pids_max_hit?: boolean; oom_kills?: number; tmp_full?: boolean; work_full?: boolean };
}

export interface IProgressSink {
  onStarted(cells: number): void;
  onCell(index: number, count: number): void;
  onFinished(report: IFinishedReport): void;
}

const maxLine = 64 * 1024;

/** Returns a function to feed chunks to; garbage and oversized lines are dropped. */
export function progressParser(sink: IProgressSink): (chunk: Buffer) => void {
  let pending = '';
  return chunk => {
    pending += chunk.toString('utf8');
    if (pending.length > maxLine && !pending.includes('\n')) {
      pending = '';
      return;
    }
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      let message: any;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      if (message?.event === 'started' && Number.isInteger(message.cells)) {
        sink.onStarted(message.cells);
      } else if (
        message?.event === 'cell' &&
        Number.isInteger(message.index) &&
        Number.isInteger(message.count)
      ) {
        sink.onCell(message.index, message.count);
      } else if (
        message?.event === 'finished' &&
        (message.status === 'ok' || message.status === 'error')
      ) {
        sink.onFinished(message as IFinishedReport);
      }
    }
  };
}

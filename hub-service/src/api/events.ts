// GET /jobs/{id}/events: the job's events as Server-Sent Events, past then live, until the job ends.
import type { Request, Response } from 'express';
import type { JobJournal } from '../jobs/journal.js';
import { isTerminal } from '../jobs/states.js';
import type { JobEvent } from '../schema/index.js';

export function streamEvents(
  journal: JobJournal,
  jobId: string,
  request: Request,
  response: Response
): void {
  const after = Number(request.headers['last-event-id'] ?? request.query.after ?? 0) || 0;
  response.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no'
  });
  let lastSeq = after;
  let finished = false;
  const send = (event: JobEvent) => {
    if (event.seq <= lastSeq || finished) {
      return;
    }
    lastSeq = event.seq;
    response.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    if (event.type === 'state' && event.state && isTerminal(event.state)) {
      finished = true;
      close();
    }
  };
  // Subscribe first, then replay, so nothing falls between the two.
  const unsubscribe = journal.subscribe(jobId, send);
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15000);
  let closed = false;
  const close = () => {
    if (closed) {
      return;
    }
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    response.end();
  };
  response.on('close', close);
  for (const event of journal.store.events(jobId, after)) {
    send(event);
  }
  const state = journal.state(jobId);
  if (!finished && state && isTerminal(state)) {
    finished = true;
    close();
  }
}

// A stand-in for the browser's EventSource: tests emit the service's events by hand.
import type { IEventStream } from '../model';
import type { JobEvent } from '../request';

export class FakeStream implements IEventStream {
  listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  closed = false;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (e: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(event: Partial<JobEvent> & { type: JobEvent['type'] }): void {
    for (const l of this.listeners.get(event.type) ?? []) {
      l({ data: JSON.stringify(event) } as MessageEvent);
    }
  }
}

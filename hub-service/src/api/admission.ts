// Per-caller limits on uploads in progress: how many submissions at once and how many body bytes in flight.
import { HBrokerError } from '../errors.js';

export interface IAdmissionLimits {
  /** Submissions one caller may have uploading or being validated at once. */
  concurrent_submissions: number;
  /** Body bytes one caller may have in flight across all its requests (declared or the route's maximum). */
  caller_inflight_mb: number;
}

export interface ITicket {
  /** Gives the caller's share back; safe to call more than once. */
  release(): void;
}

const tooMany = (message: string) => new HBrokerError('too_many_requests', message, 429);

export class Admission {
  private submissions = new Map<string, number>();
  private bytes = new Map<string, number>();

  constructor(private limits: IAdmissionLimits) {}

  /**
   * Reserves `bytes` of body (the Content-Length, or the route's largest body when the length is not
   * declared) and, for a submission, one of the caller's submission slots; throws a 429 that says which
   * limit was reached and what to do.
   */
  admit(user: string, bytes: number, submission: boolean): ITicket {
    const running = this.submissions.get(user) ?? 0;
    if (submission && running >= this.limits.concurrent_submissions) {
      throw tooMany(
        `${user} already has ${running} submission${running === 1 ? '' : 's'} uploading (the limit is ${this.limits.concurrent_submissions}). Wait until ${running === 1 ? 'it has' : 'they have'} finished, then submit again.`
      );
    }
    const inFlight = this.bytes.get(user) ?? 0;
    const limit = this.limits.caller_inflight_mb * 1048576;
    if (inFlight + bytes > limit) {
      throw tooMany(
        `${user} already has ${mb(inFlight)} MB of uploads in flight and this request would add ${mb(bytes)} MB (the limit is ${this.limits.caller_inflight_mb} MB per caller). Wait for the other uploads to finish, or send a smaller bundle.`
      );
    }
    this.bytes.set(user, inFlight + bytes);
    if (submission) {
      this.submissions.set(user, running + 1);
    }
    let released = false;
    return {
      release: () => {
        if (released) {
          return;
        }
        released = true;
        decrement(this.bytes, user, bytes);
        if (submission) {
          decrement(this.submissions, user, 1);
        }
      }
    };
  }

  /** What one caller holds now (for tests and metrics). */
  held(user: string): { submissions: number; bytes: number } {
    return { submissions: this.submissions.get(user) ?? 0, bytes: this.bytes.get(user) ?? 0 };
  }
}

const mb = (bytes: number) => Math.ceil(bytes / 1048576);

function decrement(map: Map<string, number>, key: string, by: number): void {
  const left = (map.get(key) ?? 0) - by;
  if (left > 0) {
    map.set(key, left);
  } else {
    map.delete(key);
  }
}

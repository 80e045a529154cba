// data.jhe.identity "broker": study data is read with HBroker's own JHE identity (its practitioner
// client's token), and HBroker's grants, not the researcher's JHE account, say who may use which study.
import { HBrokerError } from '../errors.js';
import type { Study } from '../schema/index.js';
import type { StudyGrants } from './grants.js';
import type { IDataCaller, IDataSource } from './index.js';
import type { BrokerToken } from './jhe/broker-token.js';

export class BrokerIdentitySource implements IDataSource {
  constructor(
    private inner: IDataSource,
    private token: BrokerToken,
    private grants: StudyGrants
  ) {}

  /** Runs a read as HBroker; a token the exchange refused is dropped and the read tried once more. */
  private async asBroker<T>(
    caller: IDataCaller,
    read: (broker: IDataCaller) => Promise<T>
  ): Promise<T> {
    let used: string | undefined;
    const broker: IDataCaller = {
      user: caller.user,
      jheToken: async () => (used = await this.token.get())
    };
    try {
      return await read(broker);
    } catch (e) {
      if (!(e instanceof HBrokerError) || e.code !== 'jhe_unauthorized' || !used) {
        throw this.reworded(e);
      }
      this.token.invalidate(used);
      try {
        return await read(broker);
      } catch (again) {
        throw this.reworded(again);
      }
    }
  }

  /** The source's messages speak of the researcher's token; here the token is HBroker's. */
  private reworded(e: unknown): unknown {
    if (!(e instanceof HBrokerError)) {
      return e;
    }
    if (e.code === 'jhe_unauthorized') {
      return new HBrokerError(
        'jhe_broker_refused',
        "The JupyterHealth Exchange refused HBroker's own token. Ask an admin to check HBroker's JHE client (data.jhe.client_key_file) with hbroker doctor.",
        503
      );
    }
    if (e.code === 'jhe_forbidden') {
      return new HBrokerError(
        'jhe_forbidden',
        `${e.message.replace(/does not let you read/, "does not let HBroker's own account read")} An admin should add HBroker's JHE account to the study's organization.`,
        e.status
      );
    }
    return e;
  }

  private notGranted(study: string): HBrokerError {
    return new HBrokerError(
      'study_not_granted',
      `You are not granted study ${study} in HBroker. Ask an HBroker admin to add you (or your group) to the study's grant in data.jhe.grants.`,
      403
    );
  }

  async studies(caller: IDataCaller): Promise<Study[]> {
    const mine = await this.grants.studiesOf(caller.user);
    if (mine.size === 0) {
      return [];
    }
    const all = await this.asBroker(caller, broker => this.inner.studies(broker));
    return all.filter(s => mine.has(s.id));
  }

  async has(study: string, caller: IDataCaller): Promise<boolean> {
    if (!(await this.grants.studiesOf(caller.user)).has(study)) {
      return false;
    }
    return this.asBroker(caller, broker => this.inner.has(study, broker));
  }

  async stage(study: string, into: string, caller: IDataCaller) {
    // Checked again at staging: a grant withdrawn after submission stops the job before any data is read.
    if (!(await this.grants.studiesOf(caller.user)).has(study)) {
      throw this.notGranted(study);
    }
    return this.asBroker(caller, broker => this.inner.stage(study, into, broker));
  }
}

// Which hub users may run notebooks on which JHE study when HBroker reads with its own identity
// (data.jhe.grants): by user name or by hub group. Nothing is granted unless the config says so.
import type { Config } from '../config/index.js';

type Grant = NonNullable<NonNullable<Config['data']['jhe']>['grants']>[number];

/** A user's hub groups (JupyterHub's, read by the service), or none outside JupyterHub. */
export interface IUserGroups {
  groupsOf(user: string): Promise<string[]>;
}

export const noGroups: IUserGroups = { groupsOf: async () => [] };

export class StudyGrants {
  constructor(
    private grants: Grant[],
    private groups: IUserGroups = noGroups
  ) {}

  /** Every study named in a grant (what HBroker's own identity is expected to read). */
  get studies(): string[] {
    return [...new Set(this.grants.map(g => g.study))];
  }

  /** The studies this user is granted, directly or through a group. */
  async studiesOf(user: string): Promise<Set<string>> {
    const groups = new Set(await this.groups.groupsOf(user));
    return new Set(
      this.grants
        .filter(g => g.users?.includes(user) || g.groups?.some(name => groups.has(name)))
        .map(g => g.study)
    );
  }

  /** The users named in grants (for hbroker doctor; group members come from the hub). */
  get users(): string[] {
    return [...new Set(this.grants.flatMap(g => g.users ?? []))];
  }
}

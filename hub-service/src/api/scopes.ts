// HBroker's custom JupyterHub scopes and the one check every route uses.
import { HBrokerError } from '../errors.js';

export const scopes = {
  submit: 'custom:hbroker:submit',
  review: 'custom:hbroker:review',
  admin: 'custom:hbroker:admin'
} as const;

export type Scope = (typeof scopes)[keyof typeof scopes];

const what: Record<Scope, string> = {
  [scopes.submit]: 'submit and cancel jobs',
  [scopes.review]: 'review outputs',
  [scopes.admin]: "see everyone's jobs"
};

/** Throws a 403 that names the missing scope and what it would allow. */
export function requireScope(
  who: { user: string; scopes: ReadonlySet<string> },
  scope: Scope
): void {
  if (!who.scopes.has(scope)) {
    throw new HBrokerError(
      'missing_scope',
      `${who.user} lacks the scope ${scope}, which is needed to ${what[scope]}. Ask a JupyterHub admin to grant it (see the HBroker roles).`,
      403
    );
  }
}

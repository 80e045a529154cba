// For hbroker doctor: whether the hub holds the roles and scopes the shim declares
// (spawner-shim/hbroker/jupyterhub.py), asked of the hub's REST API with the token at hand.

/** A doctor line: true ok, false a failure, undefined a note (not checked, and why). */
import type { DoctorLine } from '../doctor-line.js';

export type { DoctorLine };

const access = 'access:services!service=hbroker';
const [submit, review, admin] = ['submit', 'review', 'admin'].map(s => `custom:hbroker:${s}`);

/** The roles the shim adds and the scopes each must hold. */
export const expectedRoles: Record<string, string[]> = {
  'hbroker-researcher': [access, submit],
  'hbroker-reviewer': [access, review],
  'hbroker-admin': [access, submit, review, admin],
  'hbroker-service': ['read:users', 'admin:auth_state']
};

type Fetch = (url: string, init: { headers: Record<string, string> }) => Promise<Response>;

export async function hubRoleChecks(
  env: NodeJS.ProcessEnv = process.env,
  fetchImpl: Fetch = fetch
): Promise<DoctorLine[]> {
  const api = env.JUPYTERHUB_API_URL?.replace(/\/+$/, '');
  const token = env.JUPYTERHUB_API_TOKEN;
  if (!api || !token) {
    return [
      [
        undefined,
        "hub roles and scopes not checked: no JupyterHub API here ($JUPYTERHUB_API_URL and $JUPYTERHUB_API_TOKEN are set in a user's terminal and in the service); run doctor in a JupyterLab terminal, with an admin's token to see the roles"
      ]
    ];
  }
  const get = (path: string) =>
    fetchImpl(`${api}${path}`, { headers: { Authorization: `token ${token}` } });
  let roles: Response;
  try {
    roles = await get('/roles');
  } catch (e) {
    return [
      [false, `the hub does not answer at ${api} (${(e as Error).message}): is JupyterHub running?`]
    ];
  }
  if (roles.ok) {
    const held = new Map(
      ((await roles.json()) as { name: string; scopes?: string[] }[]).map(r => [
        r.name,
        r.scopes ?? []
      ])
    );
    return Object.entries(expectedRoles).map(([name, scopes]): DoctorLine => {
      const has = held.get(name);
      const missing = scopes.filter(s => !has?.includes(s));
      return has && !missing.length
        ? [true, `hub role ${name} holds ${scopes.join(', ')}`]
        : [
            false,
            has
              ? `hub role ${name} lacks ${missing.join(', ')}: call hbroker.jupyterhub.configure(c, …) in jupyterhub_config.py and restart the hub`
              : `hub role ${name} is missing: call hbroker.jupyterhub.configure(c, …) in jupyterhub_config.py and restart the hub`
          ];
    });
  }
  // Without read:roles, say what this token itself may do with HBroker.
  const user = await get('/user');
  if (!user.ok) {
    return [
      [
        false,
        `the hub refused the token at ${api} (HTTP ${user.status}): use a current JupyterHub API token`
      ]
    ];
  }
  const me = (await user.json()) as { name?: string; scopes?: string[] };
  const ours = (me.scopes ?? []).filter(s => s === access || s.startsWith('custom:hbroker:'));
  return [
    [
      ours.includes(access) ? true : false,
      `${me.name ?? 'this token'} holds ${ours.length ? ours.join(', ') : 'no HBroker scope'}${ours.includes(access) ? '' : ` (needs ${access}: give the user an hbroker role)`}; the hub's roles need an admin's token (read:roles) to check`
    ]
  ];
}

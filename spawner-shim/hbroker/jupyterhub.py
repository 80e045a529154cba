"""One call in jupyterhub_config.py sets HBroker up: the managed service, its scopes and roles, and each
user's server environment (JHE_TOKEN, JHE_URL, HBROKER_URL); configure_jhe_login signs users in with JHE."""

from __future__ import annotations

SERVICE = "hbroker"
SUBMIT, REVIEW, ADMIN = (f"custom:hbroker:{s}" for s in ("submit", "review", "admin"))
ACCESS = f"access:services!service={SERVICE}"

CUSTOM_SCOPES = {
    SUBMIT: {"description": "Submit notebooks for sensitive runs and cancel your own jobs"},
    REVIEW: {"description": "Review and release the outputs of sensitive runs"},
    ADMIN: {"description": "See and manage every HBroker job"},
}

# What a user's server token needs besides the hub's own defaults (the "server" role).
SERVER_DEFAULT_SCOPES = ["users:activity!user", "access:servers!server"]


def _get(section, name, default):
    """A config value the admin set, or the default; never traitlets' placeholder for an unset value."""
    value = section.get(name, default) if hasattr(section, "get") else default
    if hasattr(value, "get_value"):  # a LazyConfigValue, e.g. from c.JupyterHub.services.append(...)
        value = value.get_value(default)
    return default if value is None else value


def configure(
    c,
    *,
    command=("hbroker", "serve"),
    url="http://127.0.0.1:10101",
    hbroker_url=None,
    jhe_url=None,
    reviewers=(),
    admins=(),
    submit_for_all_users=True,
    environment=None,
):
    """Register HBroker with JupyterHub.

    command: how the hub starts the service (it is managed: started and stopped with the hub).
    url: where the service listens; the proxy routes /services/hbroker/ there.
    hbroker_url: how code in a user's server reaches the service (default: url + the service prefix).
    jhe_url: the JupyterHealth Exchange URL researchers' servers see (default: the service's synthetic exchange,
        and JHE_TOKEN is then the server's own hub token; with a real exchange here, JHE_TOKEN is the user's
        JHE access token, which JHE revokes at each refresh).
    reviewers, admins: user names given the review and admin roles.
    submit_for_all_users: every user may submit (else grant the hbroker-researcher role yourself).
    environment: extra environment for the service (e.g. {"HBROKER_CONFIG": "/etc/hbroker/config.json"}).
    """
    prefix = f"/services/{SERVICE}/"
    hbroker_url = hbroker_url or url.rstrip("/") + prefix.rstrip("/")
    synthetic = not jhe_url
    jhe_url = jhe_url or hbroker_url + "/jhe"

    services = [s for s in _get(c.JupyterHub, "services", []) if s.get("name") != SERVICE]
    services.append(
        {
            "name": SERVICE,
            "url": url,
            "command": list(command),
            "environment": dict(environment or {}),
            "oauth_client_allowed_scopes": [SUBMIT, REVIEW, ADMIN],
            # The hub admin installed this service; asking each user to confirm it adds nothing.
            "oauth_no_confirm": True,
        }
    )
    c.JupyterHub.services = services
    c.JupyterHub.custom_scopes = {**_get(c.JupyterHub, "custom_scopes", {}), **CUSTOM_SCOPES}
    _add_roles(c, reviewers, admins, submit_for_all_users)
    _server_token_scopes(c)
    environment = {**_get(c.Spawner, "environment", {}), "HBROKER_URL": hbroker_url, "JHE_URL": jhe_url}
    if not synthetic and environment.get("JHE_TOKEN") is _server_hub_token:
        del environment["JHE_TOKEN"]
    if synthetic:
        # The synthetic exchange knows the user by their server's hub token, which lives as long as the
        # server; their JHE token (rotated on every refresh, and able to read real data) never enters it.
        environment["JHE_TOKEN"] = _server_hub_token
    c.Spawner.environment = environment
    _chain_auth_state_hook(c, put_jhe_token=not synthetic)


def _server_hub_token(spawner):
    return spawner.api_token


def configure_jhe_login(c, jhe_url, client_id, **kwargs):
    """Users sign in through a JupyterHealth Exchange; see hbroker.jhe_login.configure_jhe_login.

    Imported here on first use, so the rest of the shim works without oauthenticator installed.
    """
    from .jhe_login import configure_jhe_login as configure_login

    return configure_login(c, jhe_url, client_id, **kwargs)


def _add_roles(c, reviewers, admins, submit_for_all_users):
    """The hbroker roles; existing roles of the same names are replaced, all others kept."""
    ours = [
        {
            "name": "hbroker-researcher",
            "description": "Submit notebooks to HBroker",
            "scopes": [ACCESS, SUBMIT],
        },
        {
            "name": "hbroker-reviewer",
            "description": "Review HBroker outputs",
            "scopes": [ACCESS, REVIEW],
            "users": list(reviewers),
        },
        {
            "name": "hbroker-admin",
            "description": "Manage every HBroker job",
            "scopes": [ACCESS, SUBMIT, REVIEW, ADMIN],
            "users": list(admins),
        },
        {
            "name": "hbroker-service",
            "description": "What the HBroker service may ask the hub: users' identities and their JHE tokens",
            "scopes": ["read:users", "admin:auth_state"],
            "services": [SERVICE],
        },
    ]
    names = {r["name"] for r in ours}
    roles = [r for r in _get(c.JupyterHub, "load_roles", []) if r.get("name") not in names] + ours
    if submit_for_all_users:
        _grant_all_users(c, roles, [ACCESS, SUBMIT])
    c.JupyterHub.load_roles = roles


def _grant_all_users(c, roles, scopes):
    """JupyterHub 6 adds scopes to every user with extra_user_scopes; older hubs need the user role redefined."""
    from jupyterhub.app import JupyterHub

    if JupyterHub.class_traits().get("extra_user_scopes") is not None:
        c.JupyterHub.extra_user_scopes = set(_get(c.JupyterHub, "extra_user_scopes", ())) | set(scopes)
        return
    user_role = next((r for r in roles if r.get("name") == "user"), None)
    if user_role is None:
        user_role = {"name": "user", "scopes": ["self"]}
        roles.append(user_role)
    user_role["scopes"] = sorted(set(user_role.get("scopes", ["self"])) | set(scopes))


def _server_token_scopes(c):
    """Let code in a user's server submit with $JUPYTERHUB_API_TOKEN (the hub grants only what the user holds)."""
    ours = [ACCESS, SUBMIT]
    current = _get(c.Spawner, "server_token_scopes", None)
    if callable(current):

        def scopes(spawner, _inner=current):
            return list(dict.fromkeys(list(_inner(spawner)) + ours))

        c.Spawner.server_token_scopes = scopes
    else:
        base = list(current) if isinstance(current, (list, tuple)) and current else SERVER_DEFAULT_SCOPES
        c.Spawner.server_token_scopes = list(dict.fromkeys(base + ours))


def _chain_auth_state_hook(c, put_jhe_token):
    """With servers pointed at a real JHE (jhe_url), put the user's JHE access token (OAuthenticator
    auth_state) into their server; keep the admin's hook either way."""
    previous = _get(c.Spawner, "auth_state_hook", None)
    previous = previous if callable(previous) else None
    if previous is not None and getattr(previous, "hbroker", False):
        previous = previous.previous

    def hbroker_auth_state_hook(spawner, auth_state):
        if previous is not None:
            previous(spawner, auth_state)
        token = (auth_state or {}).get("access_token")
        if token and put_jhe_token:
            spawner.environment = {**spawner.environment, "JHE_TOKEN": token}

    hbroker_auth_state_hook.hbroker = True
    hbroker_auth_state_hook.previous = previous
    c.Spawner.auth_state_hook = hbroker_auth_state_hook

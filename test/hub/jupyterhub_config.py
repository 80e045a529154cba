"""A real JupyterHub for HBroker's integration tests, set up with the shim exactly as an admin would.

Everything machine-specific comes from the environment the test sets (HBROKER_TEST_*)."""

import json
import os
import sys

from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

from hbroker.jupyterhub import ACCESS, configure, configure_jhe_login

env = os.environ
here = env["HBROKER_TEST_HUB_DIR"]
repo = env["HBROKER_TEST_REPO"]
port = lambda name: int(env[f"HBROKER_TEST_{name}_PORT"])  # noqa: E731


class JheAuthenticator(SharedPasswordAuthenticator):
    """Logs users in as OAuthenticator would after a JHE login: the same auth_state shape."""

    async def authenticate(self, handler, data):
        user = await super().authenticate(handler, data)
        if user is None:
            return None
        name = user if isinstance(user, str) else user["name"]
        token = f"jhe-access-{name}-{env['HBROKER_TEST_JHE_SECRET']}"
        return {
            "name": name,
            "auth_state": {
                "access_token": token,
                "refresh_token": f"jhe-refresh-{name}",
                "token_response": {"access_token": token, "token_type": "Bearer", "expires_in": 3600},
                "oauth_user": {"email": f"{name}@example.org"},
            },
        }


c = get_config()  # noqa: F821
jhe = env.get("HBROKER_TEST_JHE_URL")
if jhe:
    # Sign-in through an exchange (the dev exchange), set up by the shim as a deployment does with JHE:
    # the hub user name is the JHE email.
    configure_jhe_login(c, jhe, "hbroker-test-hub", hub_url=f"http://127.0.0.1:{port('PUBLIC')}")
    c.Authenticator.auth_refresh_age = int(env.get("HBROKER_TEST_AUTH_REFRESH_AGE", "300"))
else:
    c.JupyterHub.authenticator_class = JheAuthenticator
    c.SharedPasswordAuthenticator.user_password = env["HBROKER_TEST_PASSWORD"]
c.Authenticator.enable_auth_state = True


def user(name):
    """The hub's name for a demo user: their JHE email when they sign in through the exchange."""
    return f"{name}@example.org" if jhe else name


c.Authenticator.allowed_users = {user(n) for n in ["researcher", "researcher2", "checker1", "checker2", "admin", "outsider"]}

c.JupyterHub.bind_url = f"http://127.0.0.1:{port('PUBLIC')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port("HUB")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port('PROXY_API')}"
c.ConfigurableHTTPProxy.command = [os.path.join(repo, "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(here, "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(here, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(here, "cookie_secret")

# Users' servers are local processes from this virtualenv (the tests run as root).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(here, "home", "{username}")
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.Spawner.args = ["--allow-root", *json.loads(env.get("HBROKER_TEST_SERVER_ARGS", "[]"))]
c.Spawner.http_timeout = 60

configure(
    c,
    command=["node", os.path.join(repo, "hub-service", "bin", "hbroker.js"), "serve"],
    url=f"http://127.0.0.1:{port('SERVICE')}",
    reviewers=[user("checker1"), user("checker2")],
    admins=[user("admin")],
    submit_for_all_users=False,
    environment={"HBROKER_CONFIG": env["HBROKER_TEST_SERVICE_CONFIG"]},
)

roles = c.JupyterHub.load_roles
next(r for r in roles if r["name"] == "hbroker-researcher")["users"] = [
    user("researcher"),
    user("researcher2"),
    *map(user, json.loads(env.get("HBROKER_TEST_SUBMITTERS", "[]"))),
]
roles.append({"name": "hbroker-visitor", "scopes": [ACCESS], "users": [user("outsider")]})
groups = json.loads(env.get("HBROKER_TEST_GROUPS", "{}"))
if groups:
    c.JupyterHub.load_groups = {group: {"users": [user(m) for m in members]} for group, members in groups.items()}
# The test itself drives the hub through a service token: spawning servers, issuing and revoking tokens.
c.JupyterHub.services.append({"name": "test-driver", "api_token": env["HBROKER_TEST_DRIVER_TOKEN"]})
roles.append(
    {
        "name": "test-driver",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users", "admin:auth_state"],
        "services": ["test-driver"],
    }
)

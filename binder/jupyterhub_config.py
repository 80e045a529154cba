"""The HBroker demo hub: JupyterHub with HBroker as its managed service, set up with the shim exactly as an
admin would. `npm start` runs it on http://127.0.0.1:8000; the same file serves the Binder demo.

With HBROKER_JHE_URL set (npm start sets it to the dev exchange), users sign in through that exchange with the
shim's configure_jhe_login, as a real deployment does with its JHE; their hub names are their JHE emails.
Without it (Binder), the demo users sign in with a shared password."""

import os
import sys

from hbroker.jupyterhub import configure, configure_jhe_login

c = get_config()  # noqa: F821
repo = os.environ.get("HBROKER_REPO", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
stack = os.environ.get("HBROKER_STACK_DIR", os.path.join(repo, ".hbroker", "stack"))

c.JupyterHub.bind_url = os.environ.get("HBROKER_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(stack, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(stack, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [os.path.join(repo, "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(stack, "proxy.pid")

jhe = os.environ.get("HBROKER_JHE_URL")


def user(name):
    """A demo user's hub name: their JHE email when they sign in through the exchange."""
    return f"{name}@example.org" if jhe else name


c.Authenticator.allowed_users = {user(n) for n in ["researcher", "researcher2", "checker1", "checker2", "admin"]}
if jhe:
    # Users sign in with the exchange (here the dev exchange) as they would with a real JHE: the shim sets
    # up OIDC discovery, PKCE, scope "openid email", the email as user name, and the JHE tokens in
    # auth_state (JUPYTERHUB_CRYPT_KEY encrypts it). start.sh registers this client and callback there.
    configure_jhe_login(
        c,
        jhe,
        "hbroker-demo-hub",
        hub_url=c.JupyterHub.bind_url,
        login_service="JupyterHealth Exchange (dev)",
    )
else:
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["HBROKER_DEMO_PASSWORD"]

# Each demo user's server is a local JupyterLab from the same Python environment as the hub.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(stack, "home", "{username}")
c.Spawner.cmd = [os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]

configure(
    c,
    command=["node", os.path.join(repo, "hub-service", "bin", "hbroker.js"), "serve"],
    reviewers=[user("checker1"), user("checker2")],
    admins=[user("admin")],
    environment={"HBROKER_CONFIG": os.path.join(stack, "hbroker.config.json")},
)

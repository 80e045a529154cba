"""The HBroker demo hub: JupyterHub with HBroker as its managed service, set up with the shim exactly as an
admin would. `npm start` runs it on http://127.0.0.1:8000; the same file serves the Binder demo.

With HBROKER_JHE_URL set (npm start sets it to the dev exchange), users sign in through that exchange with
GenericOAuthenticator and enable_auth_state, as a real deployment does with its JHE, and the shim passes their
JHE token on. Without it (Binder), the demo users sign in with a shared password."""

import os
import sys

from hbroker.jupyterhub import configure

c = get_config()  # noqa: F821
repo = os.environ.get("HBROKER_REPO", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
stack = os.environ.get("HBROKER_STACK_DIR", os.path.join(repo, ".hbroker", "stack"))

c.JupyterHub.bind_url = os.environ.get("HBROKER_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(stack, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(stack, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [os.path.join(repo, "node_modules", ".bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(stack, "proxy.pid")

c.Authenticator.allowed_users = {"researcher", "researcher2", "checker1", "checker2", "admin"}
jhe = os.environ.get("HBROKER_JHE_URL")
if jhe:
    # Users sign in with the exchange (here the dev exchange) as they would with a real JHE: OAuth 2
    # with PKCE, the JHE token kept in auth_state (JUPYTERHUB_CRYPT_KEY encrypts it) for the shim.
    hub = c.JupyterHub.bind_url.rstrip("/")
    c.JupyterHub.authenticator_class = "generic-oauth"
    c.GenericOAuthenticator.client_id = "hbroker-demo-hub"
    c.GenericOAuthenticator.client_secret = "dev-exchange-ignores-it"
    c.GenericOAuthenticator.oauth_callback_url = f"{hub}/hub/oauth_callback"
    c.GenericOAuthenticator.authorize_url = f"{jhe}o/authorize/"
    c.GenericOAuthenticator.token_url = f"{jhe}o/token/"
    c.GenericOAuthenticator.userdata_url = f"{jhe}o/userinfo/"
    c.GenericOAuthenticator.username_claim = "preferred_username"
    c.GenericOAuthenticator.login_service = "JupyterHealth Exchange (dev)"
    c.Authenticator.enable_auth_state = True
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
    reviewers=["checker1", "checker2"],
    admins=["admin"],
    environment={"HBROKER_CONFIG": os.path.join(stack, "hbroker.config.json")},
)

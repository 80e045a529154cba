"""configure_jhe_login(c, ...) signs users in through a JHE, against a small HTTP exchange that answers as JHE
does: discovery, userinfo with `sub` and `email`, and a refresh grant that rotates and revokes."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
from traitlets.config import Config

from hbroker.jhe_login import JheDiscoveryError, JheOAuthenticator
from hbroker.jupyterhub import configure_jhe_login


class Exchange:
    """JHE's OAuth as recorded: issuer {url}/o, refresh rotation revoking the previous access token."""

    def __init__(self, issuer_path="/o", pkce=("plain", "S256")):
        self.access = {"access-1": "mary@example.com"}
        self.refresh = {"refresh-1": "access-1"}
        self.refresh_grants = 0
        exchange = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/o/.well-known/openid-configuration":
                    o = exchange.url + "/o"
                    self.reply(
                        200,
                        {
                            "issuer": exchange.url + issuer_path,
                            "authorization_endpoint": f"{o}/authorize/",
                            "token_endpoint": f"{o}/token/",
                            "userinfo_endpoint": f"{o}/userinfo/",
                            "jwks_uri": f"{o}/.well-known/jwks.json",
                            "code_challenge_methods_supported": list(pkce),
                        },
                    )
                elif self.path == "/o/userinfo/":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    email = exchange.access.get(token)
                    if email:
                        self.reply(200, {"sub": "10002", "email": email})
                    else:
                        self.reply(401, {"error": "invalid_token"})
                else:
                    self.reply(404, {"detail": "Not found."})

            def do_POST(self):
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                old_access = exchange.refresh.pop(form.get("refresh_token"), None)
                if form.get("grant_type") != "refresh_token" or old_access is None:
                    self.reply(400, {"error": "invalid_grant"})
                    return
                exchange.refresh_grants += 1
                n = exchange.refresh_grants + 1
                exchange.access[f"access-{n}"] = exchange.access.pop(old_access)
                exchange.refresh[f"refresh-{n}"] = f"access-{n}"
                self.reply(
                    200,
                    {
                        "access_token": f"access-{n}",
                        "refresh_token": f"refresh-{n}",
                        "token_type": "Bearer",
                        "expires_in": 1209600,
                        "scope": "openid email",
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def exchange():
    e = Exchange()
    yield e
    e.close()


def test_configures_generic_oauthenticator_for_jhe_from_discovery(exchange):
    c = Config()
    configure_jhe_login(c, exchange.url + "/", "hub-client", hub_url="https://hub.example.org/")
    assert c.JupyterHub.authenticator_class is JheOAuthenticator
    g = c.GenericOAuthenticator
    assert g.authorize_url == f"{exchange.url}/o/authorize/"
    assert g.token_url == f"{exchange.url}/o/token/"
    assert g.userdata_url == f"{exchange.url}/o/userinfo/"
    assert g.scope == ["openid", "email"]
    assert g.username_claim == "email"
    assert g.enable_pkce is True
    assert g.client_id == "hub-client" and g.client_secret == ""
    assert g.oauth_callback_url == "https://hub.example.org/hub/oauth_callback"
    assert c.Authenticator.enable_auth_state is True
    assert g.refresh_pre_spawn is True


def test_the_hub_user_name_is_the_jhe_email(exchange):
    c = Config()
    configure_jhe_login(c, exchange.url, "hub-client")
    authenticator = JheOAuthenticator(config=c)
    assert authenticator.user_info_to_username({"sub": "10002", "email": "mary@example.com"}) == "mary@example.com"
    with pytest.raises(ValueError, match="email"):
        authenticator.user_info_to_username({"sub": "10002"})


@pytest.mark.parametrize(
    "exchange_kwargs, message",
    [
        ({"issuer_path": "/other"}, "names its issuer"),
        ({"pkce": ("plain",)}, "does not offer PKCE with S256"),
    ],
)
def test_refuses_an_exchange_that_is_not_what_jhe_serves(exchange_kwargs, message):
    e = Exchange(**exchange_kwargs)
    try:
        with pytest.raises(JheDiscoveryError, match=message):
            configure_jhe_login(Config(), e.url, "hub-client")
    finally:
        e.close()


def test_says_what_to_do_when_the_exchange_does_not_answer():
    e = Exchange()
    e.close()
    with pytest.raises(JheDiscoveryError, match="Check jhe_url and that the exchange is running"):
        configure_jhe_login(Config(), e.url, "hub-client", timeout=2)


class FakeUser:
    """JupyterHub's User as refresh_user uses it: a name and its (encrypted) auth_state."""

    def __init__(self, auth_state):
        self.name = "mary@example.com"
        self.auth_state = auth_state

    async def get_auth_state(self):
        await asyncio.sleep(0)
        return self.auth_state

    async def save_auth_state(self, auth_state):
        self.auth_state = auth_state


def test_concurrent_refreshes_spend_the_rotating_refresh_token_once(exchange):
    c = Config()
    configure_jhe_login(c, exchange.url, "hub-client")
    authenticator = JheOAuthenticator(config=c)
    # The access token was revoked (say, 14 days passed): both requests find it refused.
    exchange.access = {"access-live": exchange.access.pop("access-1")}
    exchange.refresh = {"refresh-1": "access-live"}
    response = {"access_token": "access-1", "refresh_token": "refresh-1", "token_type": "Bearer", "expires_in": 1209600}
    stale = {"access_token": "access-1", "refresh_token": "refresh-1", "token_response": response}
    user = FakeUser(stale)

    async def both():
        return await asyncio.gather(authenticator.refresh_user(user), authenticator.refresh_user(user))

    first, second = asyncio.run(both())
    assert first and second, "neither request sent the user back to the login page"
    assert exchange.refresh_grants == 1
    assert user.auth_state["access_token"] == "access-2"
    assert user.auth_state["refresh_token"] == "refresh-2"
    assert second["auth_state"]["access_token"] == "access-2"


def test_configure_puts_the_servers_hub_token_not_the_jhe_token_into_jhe_token():
    from hbroker.jupyterhub import configure

    c = Config()
    configure(c)
    spawner = SimpleNamespace(api_token="server-hub-token", environment={})
    assert c.Spawner.environment["JHE_TOKEN"](spawner) == "server-hub-token"
    c.Spawner.auth_state_hook(spawner, {"access_token": "jhe-token"})
    assert "JHE_TOKEN" not in spawner.environment

"""Sign-in through a JupyterHealth Exchange: one call sets up GenericOAuthenticator as JHE expects it."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from urllib.error import URLError

from oauthenticator.generic import GenericOAuthenticator

SCOPES = ["openid", "email"]


class JheDiscoveryError(RuntimeError):
    """The exchange's OIDC discovery document could not be read or is not what JHE serves."""


def discover(jhe_url, timeout=10, opener=urllib.request.urlopen):
    """JHE's OIDC discovery document (at /o/.well-known/openid-configuration), checked for what sign-in needs."""
    base = jhe_url.rstrip("/")
    where = f"{base}/o/.well-known/openid-configuration"
    try:
        with opener(where, timeout=timeout) as response:
            doc = json.load(response)
    except (URLError, OSError, ValueError) as e:
        raise JheDiscoveryError(
            f"Could not read the JupyterHealth Exchange's OIDC discovery at {where} ({e}). "
            "Check jhe_url and that the exchange is running, then start JupyterHub again."
        ) from e
    missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint") if not doc.get(k)]
    if missing:
        raise JheDiscoveryError(f"The discovery document at {where} lacks {', '.join(missing)}: is {base} a JHE?")
    if doc["issuer"].rstrip("/") != f"{base}/o":
        raise JheDiscoveryError(
            f"The exchange at {base} names its issuer {doc['issuer']}, not {base}/o: set jhe_url to the "
            "exchange's own address (its SITE_URL)."
        )
    if "S256" not in doc.get("code_challenge_methods_supported", []):
        raise JheDiscoveryError(f"The exchange at {base} does not offer PKCE with S256, which sign-in requires.")
    return doc


class JheOAuthenticator(GenericOAuthenticator):
    """GenericOAuthenticator whose token refreshes, per user, happen one at a time.

    JHE rotates refresh tokens: a refresh spends the refresh token and revokes the old access token. Two
    requests refreshing the same user at once would send the same refresh token twice, and the second
    would fail and log the user out. So a refresh waits for any other of the same user, reads the
    auth_state that one saved, and saves its own result before letting the next one in.
    """

    _refresh_locks: dict = {}

    async def refresh_user(self, user, handler=None, **kwargs):
        lock = self._refresh_locks.setdefault(user.name, asyncio.Lock())
        async with lock:
            refreshed = await super().refresh_user(user, handler, **kwargs)
            if isinstance(refreshed, dict) and refreshed.get("auth_state"):
                await user.save_auth_state(refreshed["auth_state"])
            return refreshed


def configure_jhe_login(
    c,
    jhe_url,
    client_id,
    *,
    client_secret="",
    hub_url=None,
    login_service="JupyterHealth Exchange",
    timeout=10,
    opener=urllib.request.urlopen,
):
    """Users sign in to JupyterHub with their JupyterHealth Exchange account.

    jhe_url: the exchange's address (its SITE_URL), e.g. "https://jhe.example.org".
    client_id, client_secret: the OAuth application registered in JHE for this hub (a public client needs
        no secret), with redirect URI {hub_url}/hub/oauth_callback.
    hub_url: the hub's public address, for the callback (default: what JupyterHub derives).

    Endpoints come from JHE's OIDC discovery; PKCE (S256) is on, as JHE requires; the scope is
    "openid email" and the hub user name is the email (JHE's userinfo sends only `sub` and `email`);
    auth_state keeps the user's JHE tokens (set JUPYTERHUB_CRYPT_KEY) and is refreshed before each spawn
    and when JHE refuses the access token, keeping the rotated refresh token JHE returns.
    """
    doc = discover(jhe_url, timeout=timeout, opener=opener)
    c.JupyterHub.authenticator_class = JheOAuthenticator
    g = c.GenericOAuthenticator
    g.client_id = client_id
    g.client_secret = client_secret
    g.authorize_url = doc["authorization_endpoint"]
    g.token_url = doc["token_endpoint"]
    g.userdata_url = doc["userinfo_endpoint"]
    g.scope = list(SCOPES)
    g.username_claim = "email"
    g.enable_pkce = True
    # client_id (and any secret) in the form body, as JHE's public clients send them.
    g.basic_auth = False
    g.login_service = login_service
    g.refresh_pre_spawn = True
    if hub_url:
        g.oauth_callback_url = f"{hub_url.rstrip('/')}/hub/oauth_callback"
    c.Authenticator.enable_auth_state = True
    return doc

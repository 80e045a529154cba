"""The demo hub config (binder/jupyterhub_config.py, run by npm start) loads and sets HBroker up through the shim."""

import pathlib

from traitlets.config.loader import PyFileConfigLoader

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_demo_hub_config_registers_hbroker(monkeypatch, tmp_path):
    monkeypatch.setenv("HBROKER_DEMO_PASSWORD", "demo-password-123")
    monkeypatch.setenv("HBROKER_STACK_DIR", str(tmp_path))
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(REPO / "binder")).load_config()
    (service,) = [s for s in c.JupyterHub.services if s["name"] == "hbroker"]
    assert service["command"][-1] == "serve"
    assert service["environment"]["HBROKER_CONFIG"] == str(tmp_path / "hbroker.config.json")
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["hbroker-reviewer"]["users"] == ["checker1", "checker2"]
    assert roles["hbroker-admin"]["users"] == ["admin"]
    assert c.Authenticator.allowed_users == {"researcher", "researcher2", "checker1", "checker2", "admin"}
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8000"


def test_demo_hub_signs_in_through_the_exchange_with_the_shim(monkeypatch, tmp_path):
    from hbroker.jhe_login import JheOAuthenticator
    from test_jhe_login import Exchange

    exchange = Exchange()
    try:
        monkeypatch.setenv("HBROKER_STACK_DIR", str(tmp_path))
        monkeypatch.setenv("HBROKER_JHE_URL", exchange.url + "/")
        c = PyFileConfigLoader("jupyterhub_config.py", path=str(REPO / "binder")).load_config()
    finally:
        exchange.close()
    assert c.JupyterHub.authenticator_class is JheOAuthenticator
    assert c.GenericOAuthenticator.client_id == "hbroker-demo-hub"
    assert c.GenericOAuthenticator.token_url == f"{exchange.url}/o/token/"
    assert c.GenericOAuthenticator.username_claim == "email"
    assert c.GenericOAuthenticator.oauth_callback_url == "http://127.0.0.1:8000/hub/oauth_callback"
    assert "researcher@example.org" in c.Authenticator.allowed_users
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["hbroker-admin"]["users"] == ["admin@example.org"]

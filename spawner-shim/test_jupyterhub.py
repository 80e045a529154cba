"""configure(c) sets up the service, scopes, roles, server token scopes and environment, keeping the admin's own."""

from types import SimpleNamespace

from traitlets.config import Config

from hbroker.jupyterhub import ACCESS, ADMIN, REVIEW, SUBMIT, configure


def configured(**kwargs):
    c = Config()
    configure(c, **kwargs)
    return c


def test_registers_the_managed_service_with_its_oauth_scopes():
    c = configured(command=["hbroker", "serve", "--config", "/etc/hbroker.json"], url="http://127.0.0.1:10101")
    (service,) = c.JupyterHub.services
    assert service["name"] == "hbroker"
    assert service["command"] == ["hbroker", "serve", "--config", "/etc/hbroker.json"]
    assert service["url"] == "http://127.0.0.1:10101"
    assert service["oauth_client_allowed_scopes"] == [SUBMIT, REVIEW, ADMIN]
    assert set(c.JupyterHub.custom_scopes) == {SUBMIT, REVIEW, ADMIN}


def test_keeps_other_services_roles_and_scopes():
    c = Config()
    c.JupyterHub.services = [{"name": "idle-culler", "command": ["cull"]}]
    c.JupyterHub.load_roles = [{"name": "teacher", "scopes": ["users"]}]
    c.JupyterHub.custom_scopes = {"custom:other:x": {"description": "x"}}
    configure(c)
    configure(c)  # twice: still one hbroker service and one set of roles
    assert [s["name"] for s in c.JupyterHub.services] == ["idle-culler", "hbroker"]
    names = [r["name"] for r in c.JupyterHub.load_roles]
    assert names.count("hbroker-admin") == 1 and "teacher" in names
    assert "custom:other:x" in c.JupyterHub.custom_scopes


def test_roles_give_each_person_what_they_need():
    c = configured(reviewers=["checker1"], admins=["boss"])
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["hbroker-reviewer"]["users"] == ["checker1"]
    assert set(roles["hbroker-reviewer"]["scopes"]) == {ACCESS, REVIEW}
    assert roles["hbroker-admin"]["users"] == ["boss"]
    assert roles["hbroker-service"]["services"] == ["hbroker"]
    assert "admin:auth_state" in roles["hbroker-service"]["scopes"]
    assert {ACCESS, SUBMIT} <= set(c.JupyterHub.extra_user_scopes)
    assert "extra_user_scopes" not in configured(submit_for_all_users=False).JupyterHub


def test_server_tokens_can_submit_and_keep_the_hub_defaults():
    c = configured()
    assert {"users:activity!user", "access:servers!server", ACCESS, SUBMIT} == set(c.Spawner.server_token_scopes)
    c = Config()
    c.Spawner.server_token_scopes = lambda spawner: ["read:users:name!user"]
    configure(c)
    assert c.Spawner.server_token_scopes(None) == ["read:users:name!user", ACCESS, SUBMIT]


def test_auth_state_hook_puts_the_jhe_token_in_the_server_and_keeps_the_admins_hook():
    c = Config()
    seen = []
    c.Spawner.auth_state_hook = lambda spawner, auth_state: seen.append(auth_state)
    c.Spawner.environment = {"KEEP": "me"}
    configure(c, jhe_url="https://jhe.example.org")
    spawner = SimpleNamespace(environment={"EXISTING": "1"})
    c.Spawner.auth_state_hook(spawner, {"access_token": "jhe-token", "refresh_token": "r"})
    assert seen == [{"access_token": "jhe-token", "refresh_token": "r"}]
    assert spawner.environment == {"EXISTING": "1", "JHE_TOKEN": "jhe-token"}
    assert c.Spawner.environment["KEEP"] == "me"
    assert c.Spawner.environment["JHE_URL"] == "https://jhe.example.org"
    assert c.Spawner.environment["HBROKER_URL"] == "http://127.0.0.1:10101/services/hbroker"
    no_state = SimpleNamespace(environment={})
    c.Spawner.auth_state_hook(no_state, None)
    assert no_state.environment == {}

"""`pip install .` material: the wheel built from the root pyproject.toml holds the shim, install.json
and the prebuilt lab extension (built by scripts/setup.sh into labextension/hbroker/labextension)."""

import pathlib
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARE = "hbroker-0.1.0.data/data/share/jupyter/labextensions/@hbroker/labextension/"


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("hbroker-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_holds_the_shim_and_install_json(wheel_names):
    assert "hbroker/jupyterhub.py" in wheel_names
    assert "hbroker/__init__.py" in wheel_names
    assert SHARE + "install.json" in wheel_names
    assert not any("test_" in n for n in wheel_names), "tests are not shipped"


def test_wheel_holds_the_prebuilt_lab_extension(wheel_names):
    assert SHARE + "package.json" in wheel_names
    assert SHARE + "schemas/@hbroker/labextension/plugin.json" in wheel_names
    assert any(n.startswith(SHARE + "static/remoteEntry.") for n in wheel_names)
    assert not any(n.startswith(SHARE + "static/") and n.endswith(".ts") for n in wheel_names)

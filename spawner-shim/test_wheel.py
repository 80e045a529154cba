"""`pip install .` material: the wheel built from the root pyproject.toml holds the shim, install.json
and the prebuilt lab extension (built by scripts/setup.sh into labextension/hbroker/labextension)."""

import os
import pathlib
import re
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARE = "hbroker-0.1.0.data/data/share/jupyter/labextensions/@hbroker/labextension/"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("hbroker-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel):
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


def test_pip_install_gives_jupyterlab_the_extension_enabled_and_ok(wheel, tmp_path):
    """As `pip install hbroker` does, into a prefix of its own; JupyterLab then lists it as valid."""
    prefix = tmp_path / "prefix"
    # --ignore-installed: with --prefix alone pip first uninstalls the hbroker already in this virtualenv
    # (the editable one the other suites and the hub use), leaving it without the package.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", "--prefix", str(prefix), str(wheel)],
        check=True,
        capture_output=True,
    )
    share = prefix / "share" / "jupyter"
    still = subprocess.run([sys.executable, "-c", "import hbroker"], capture_output=True)
    assert still.returncode == 0, "installing into another prefix must leave this environment's hbroker"
    assert (share / "labextensions" / "@hbroker" / "labextension" / "package.json").is_file()
    listing = subprocess.run(
        [str(pathlib.Path(sys.executable).parent / "jupyter"), "labextension", "list"],
        env={**os.environ, "JUPYTER_PATH": str(share), "NO_COLOR": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    # The listing groups extensions under the folder they were found in.
    section = text.split(str(share / "labextensions"), 1)[1].split("\n\n", 1)[0]
    assert re.search(r"@hbroker/labextension v0\.1\.0 enabled +OK", section), text[-2000:]

"""`pip install .` material: the wheel built from the root pyproject.toml holds the shim and install.json."""

import pathlib
import subprocess
import sys
import zipfile

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_holds_the_shim_and_install_json(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("hbroker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "hbroker/jupyterhub.py" in names
    assert "hbroker/__init__.py" in names
    assert any(n.endswith("share/jupyter/labextensions/@hbroker/labextension/install.json") for n in names)
    assert not any("test_" in n for n in names), "tests are not shipped"

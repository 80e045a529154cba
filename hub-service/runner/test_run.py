"""Tests for the parts of the sandbox runner that need no Docker: bundle unpacking, outputs, limits."""

import io
import json
import os
import tarfile

import pytest

import run


def make_tar(*members):
    """A tar in memory; each member is (TarInfo, bytes or None)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    buf.seek(0)
    return buf


def entry(name, type=tarfile.REGTYPE, data=None, **attrs):
    info = tarfile.TarInfo(name)
    info.type = type
    for key, value in attrs.items():
        setattr(info, key, value)
    return info, data


def events(progress):
    return [json.loads(line) for line in progress.getvalue().splitlines()]


def test_bundle_unpacks_files_and_dirs_with_fixed_modes(tmp_path):
    bundle = make_tar(
        entry(".", tarfile.DIRTYPE),
        entry("./data", tarfile.DIRTYPE, mode=0o700),
        entry("./nb.ipynb", data=b"{}", mode=0o600),
        entry("data/x.csv", data=b"a,b\n", mode=0o777),
    )
    run.extract_bundle(bundle, str(tmp_path))
    assert (tmp_path / "nb.ipynb").read_bytes() == b"{}"
    assert (tmp_path / "data" / "x.csv").read_bytes() == b"a,b\n"
    assert (tmp_path / "data" / "x.csv").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize(
    "bad",
    [
        entry("../escape.txt", data=b"x"),
        entry("sub/../../escape.txt", data=b"x"),
        entry("/tmp/escape.txt", data=b"x"),
        entry("link", tarfile.SYMTYPE, linkname="/etc/passwd"),
        entry("hard", tarfile.LNKTYPE, linkname="nb.ipynb"),
        entry("dev", tarfile.CHRTYPE, devmajor=1, devminor=3),
        entry("fifo", tarfile.FIFOTYPE),
    ],
    ids=["dotdot", "nested-dotdot", "absolute", "symlink", "hardlink", "device", "fifo"],
)
def test_bundle_refuses_members_that_are_not_plain_or_climb_out(tmp_path, bad):
    dest = tmp_path / "work"
    dest.mkdir()
    bundle = make_tar(entry("nb.ipynb", data=b"{}"), bad)
    with pytest.raises(run.BundleError):
        run.extract_bundle(bundle, str(dest))
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(os.listdir(dest)) == ["nb.ipynb"]


def test_bundle_that_is_not_a_tar_is_a_bundle_error(tmp_path):
    with pytest.raises(run.BundleError):
        run.extract_bundle(io.BytesIO(b""), str(tmp_path))
    with pytest.raises(run.BundleError):
        run.extract_bundle(io.BytesIO(b"not a tar" * 100), str(tmp_path))


@pytest.mark.parametrize(
    "name, want",
    [
        ("nb.ipynb", "nb.ipynb"),
        ("./a//b/./c.ipynb", "a/b/c.ipynb"),
        ("results/", "results"),
        (".", ""),
        ("/etc/passwd", None),
        ("a/../b", None),
        ("..", None),
    ],
)
def test_safe_relpath(name, want):
    assert run.safe_relpath(name) == want


@pytest.mark.parametrize(
    "name, want",
    [
        ("ValueError", "ValueError"),
        ("pandas.errors.ParserError", "pandas.errors.ParserError"),
        ("Bad name<42>!\n", "Badname42"),
        ("x" * 100, "x" * 64),
        ("<>", "Error"),
    ],
)
def test_sanitise_ename(name, want):
    assert run.sanitise_ename(name) == want


def test_job_from_env():
    job = run.job_from_env(
        {"HBROKER_NOTEBOOK": "./analysis/nb.ipynb", "HBROKER_OUTPUTS": '["out.csv"]', "HBROKER_CELL_TIMEOUT": "30"}
    )
    assert (job.notebook, job.outputs, job.cell_timeout) == ("analysis/nb.ipynb", ["out.csv"], 30.0)
    assert run.job_from_env({"HBROKER_NOTEBOOK": "nb.ipynb"}).cell_timeout is None
    for bad in (
        {"HBROKER_NOTEBOOK": "../nb.ipynb"},
        {"HBROKER_NOTEBOOK": "nb.ipynb", "HBROKER_OUTPUTS": "out.csv"},
        {"HBROKER_NOTEBOOK": "nb.ipynb", "HBROKER_OUTPUTS": '{"a": 1}'},
        {"HBROKER_NOTEBOOK": "nb.ipynb", "HBROKER_CELL_TIMEOUT": "soon"},
    ):
        with pytest.raises(run.ConfigError):
            run.job_from_env(bad)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_limits_from_cgroup_v1_files(tmp_path):
    write(tmp_path / "pids" / "pids.events", "max 3\n")
    write(tmp_path / "memory" / "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
    limits = run.read_limits(str(tmp_path), work=str(tmp_path), tmp=str(tmp_path))
    assert limits == {"pids_max_hit": True, "oom_kills": 2, "tmp_full": False, "work_full": False}


def test_limits_from_cgroup_v2_files(tmp_path):
    write(tmp_path / "pids.events", "max 0\n")
    write(tmp_path / "memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n")
    limits = run.read_limits(str(tmp_path), work=str(tmp_path), tmp=str(tmp_path))
    assert (limits["pids_max_hit"], limits["oom_kills"]) == (False, 1)


def test_limits_without_cgroup_files_report_nothing(tmp_path):
    limits = run.read_limits(str(tmp_path / "none"), work=str(tmp_path / "gone"), tmp=str(tmp_path / "gone"))
    assert limits == {"pids_max_hit": False, "oom_kills": 0, "tmp_full": False, "work_full": False}


def test_outputs_never_follow_symlinks(tmp_path):
    secret = tmp_path / "data" / "secret.csv"
    write(secret, "secret")
    work = tmp_path / "work"
    write(work / "out.csv", "ok")
    write(work / "results" / "a.txt", "a")
    write(work / "results" / "deep" / "b.txt", "b")
    (work / "results" / "leak.csv").symlink_to(secret)
    (work / "link.csv").symlink_to(secret)
    (work / "via").symlink_to(secret.parent)
    progress = io.StringIO()

    files, missing = run.collect_outputs(
        str(work), ["out.csv", "results", "link.csv", "via/secret.csv", "nothere.csv", "../data/secret.csv"], progress
    )

    assert files == ["out.csv", "results/a.txt", "results/deep/b.txt"]
    assert missing == ["nothere.csv", "../data/secret.csv"]
    assert [(e["path"], e["why"]) for e in events(progress)] == [
        ("results/leak.csv", "symlink"),
        ("link.csv", "symlink"),
        ("via/secret.csv", "symlink"),
    ]


def test_out_tar_is_reproducible_and_holds_notebook_outputs_and_log(tmp_path):
    work = tmp_path / "work"
    write(work / "out.csv", "x\n1\n")
    write(work / "nb.ipynb", "stale")
    log = tmp_path / "log" / "kernel.log"
    write(log, "kernel said hi\n")
    tars = []
    for _ in range(2):
        out = io.BytesIO()
        run.write_out_tar(out, "nb.ipynb", b'{"cells": []}', ["nb.ipynb", "out.csv"], str(work), str(log))
        tars.append(out.getvalue())
    assert tars[0] == tars[1]

    with tarfile.open(fileobj=io.BytesIO(tars[0])) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["nb.ipynb", "out.csv", "hbroker-logs/kernel.log"]
        assert {(m.uid, m.gid, m.mtime, m.mode) for m in members} == {(0, 0, 0, 0o644)}
        assert tar.extractfile("nb.ipynb").read() == b'{"cells": []}'  # the executed notebook, not the file
        assert tar.extractfile("hbroker-logs/kernel.log").read() == b"kernel said hi\n"


def test_exact_reader_keeps_the_size_it_promised():
    assert run.ExactReader(io.BytesIO(b"abc"), 5).read() == b"abc\0\0"
    reader = run.ExactReader(io.BytesIO(b"abcdef"), 4)
    assert reader.read(3) + reader.read(3) + reader.read(3) == b"abcd"


def test_facade_is_not_started_without_a_staged_study(tmp_path):
    env = {"PATH": os.environ["PATH"]}
    assert run.start_facade(data=str(tmp_path), facade=str(tmp_path / "main.js"), env=env) is None
    assert "JHE_URL" not in env


def test_facade_sets_jhe_url_and_a_random_token(tmp_path):
    (tmp_path / "study.json").write_text("{}")
    facade = tmp_path / "main.js"
    # Stands in for the facade's start-up contract: print the port, serve until stopped.
    facade.write_text(
        "process.stdout.write(JSON.stringify({port: 4321, token: process.env.HBROKER_FACADE_TOKEN}) + '\\n');"
        "setInterval(() => {}, 1000);"
    )
    env = {"PATH": os.environ["PATH"], "JHE_TOKEN": "the-users-real-token"}
    proc = run.start_facade(data=str(tmp_path), facade=str(facade), env=env)
    try:
        assert proc is not None and proc.poll() is None
        assert env["JHE_URL"] == "http://127.0.0.1:4321/"
        assert len(env["JHE_TOKEN"]) == 48 and env["JHE_TOKEN"] != "the-users-real-token"
    finally:
        run.stop_facade(proc)
    assert proc.poll() is not None


def test_a_facade_that_does_not_start_leaves_jhe_url_unset(tmp_path):
    (tmp_path / "study.json").write_text("{}")
    facade = tmp_path / "main.js"
    facade.write_text("process.stdout.write('not json\\n');")
    env = {"PATH": os.environ["PATH"]}
    assert run.start_facade(data=str(tmp_path), facade=str(facade), env=env, wait=5) is None
    assert "JHE_URL" not in env and "JHE_TOKEN" not in env

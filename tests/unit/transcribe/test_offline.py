"""Offline guarantee: StarCoach's analyze and practice paths never try the network.

Two locks, both on for every run here:
- an empty network namespace (``unshare -n``: only a downed loopback exists), so nothing
  *could* get out even if it tried;
- a guard loaded through ``sitecustomize`` that records and refuses every Internet connect,
  connect_ex, sendto and DNS lookup (AF_INET/AF_INET6 only: the private PulseAudio the
  microphone tests use is a unix socket, which stays allowed). The namespace alone would turn
  an attempt into a quiet failure the app might swallow; the guard's log shows the attempt.

``HF_HUB_OFFLINE`` (set for the rest of the suite by conftest.py) is removed here: the app must
stay offline without being told to. When ``unshare -n`` is not permitted (not root, no user
namespaces) the guard alone runs, as the test's report says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import TESTS

CLIP = TESTS / "corpus" / "clips" / "dsl-task-strong__joe_clean.flac"
QUESTION = "disagree-senior-leader"
FIVE_IDS = {
    "disagree-senior-leader",
    "unpopular-opinion",
    "commitment-difficult-circumstances",
    "have-backbone-disagree-commit",
    "earths-best-employer",
}

GUARD = textwrap.dedent(
    '''
    """Test guard (tests/test_offline.py): record and refuse every Internet connection."""
    import os
    import socket

    _LOG = os.environ["STARCOACH_NET_GUARD_LOG"]
    _INET = (socket.AF_INET, socket.AF_INET6)


    def _attempt(what):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{what} (pid {os.getpid()})\\n")


    def _blocked(what):
        _attempt(what)
        return OSError(f"network blocked by StarCoach's offline test: {what}")


    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _sendto = socket.socket.sendto


    def connect(self, address):
        if self.family in _INET:
            raise _blocked(f"connect {address!r}")
        return _connect(self, address)


    def connect_ex(self, address):
        if self.family in _INET:
            raise _blocked(f"connect_ex {address!r}")
        return _connect_ex(self, address)


    def sendto(self, data, *args):
        if self.family in _INET:
            raise _blocked(f"sendto {args[-1]!r}")
        return _sendto(self, data, *args)


    def _lookup(name):
        def refuse(host, *args, **kwargs):
            _attempt(f"{name} {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, "DNS blocked by StarCoach's offline test")

        return refuse


    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto
    for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, _name, _lookup(_name))
    with open(_LOG + ".armed", "a", encoding="utf-8") as armed:
        armed.write(f"{os.getpid()}\\n")
    '''
)


def no_network_prefix() -> list[str]:
    """The command prefix that runs a program in an empty network namespace, or [] if this
    machine does not allow one (``unshare -n`` as root, ``unshare -rn`` in a user namespace)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for prefix in ([unshare, "-n"], [unshare, "-r", "-n"]):
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return []


@dataclass
class Offline:
    """Runs commands offline (namespace + guard) and tells what they tried."""

    guard_dir: Path
    log: Path
    prefix: list[str]

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(base if base is not None else os.environ)
        env.pop("HF_HUB_OFFLINE", None)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.guard_dir), *filter(None, [env.get("PYTHONPATH")])]
        )
        env["STARCOACH_NET_GUARD_LOG"] = str(self.log)
        return env

    def run(
        self, args: list[str], env: dict[str, str] | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, *args],
            env=self.env(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def attempts(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def armed_pids(self) -> list[str]:
        armed = self.log.with_name(self.log.name + ".armed")
        return armed.read_text().split() if armed.exists() else []


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Offline]:
    guard_dir = tmp_path / "net-guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    yield Offline(guard_dir, tmp_path / "net-attempts.log", no_network_prefix())


def starcoach(*args: str) -> list[str]:
    return [sys.executable, "-m", "starcoach", *args]


def assert_offline(offline: Offline, proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstderr:\n{proc.stderr}"
    assert offline.armed_pids(), "the network guard was not loaded (sitecustomize not imported)"
    assert offline.attempts() == [], "network calls were attempted:\n" + "\n".join(
        offline.attempts()
    )


def test_the_guard_catches_connects_and_lookups(offline: Offline) -> None:
    """Control: the same guard does see and refuse a program that goes online."""
    probe = textwrap.dedent(
        """
        import socket, urllib.request
        for call in (
            lambda: socket.create_connection(("192.0.2.1", 443), timeout=2),
            lambda: socket.getaddrinfo("huggingface.co", 443),
            lambda: urllib.request.urlopen("https://huggingface.co", timeout=2),
            lambda: socket.socket(socket.AF_INET6).connect_ex(("::1", 80)),
        ):
            try:
                call()
            except OSError:
                pass
        import socket as s
        a, b = s.socketpair()  # AF_UNIX: allowed
        a.sendall(b"x"); assert b.recv(1) == b"x"
        """
    )
    proc = offline.run([sys.executable, "-c", probe], timeout=60)
    assert proc.returncode == 0, proc.stderr
    attempts = offline.attempts()
    assert any("192.0.2.1" in a for a in attempts), attempts
    assert any("getaddrinfo 'huggingface.co'" in a for a in attempts), attempts
    assert any("connect_ex" in a for a in attempts), attempts
    assert len(attempts) >= 4, attempts


def test_network_namespace_is_available_or_reported(offline: Offline) -> None:
    """Says plainly when only the guard runs (the namespace needs root or user namespaces)."""
    if not offline.prefix:
        pytest.skip("unshare -n is not permitted here: the socket guard alone blocks the network")
    probe = (
        "import socket; s = socket.socket(); s.settimeout(2); "
        "print(s.connect_ex(('192.0.2.1', 80)))"
    )
    proc = subprocess.run(
        [*offline.prefix, sys.executable, "-c", probe], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() != "0", "connected from inside the empty network namespace"


def test_text_analysis_content_and_history_stay_offline(offline: Offline) -> None:
    proc = offline.run(
        starcoach(
            "analyze", "--text",
            "It was not my team and there was no ticket, but I pulled the logs myself.",
            "--question", QUESTION, "--step", "task", "--json",
        )
    )  # fmt: skip
    assert_offline(offline, proc)
    assert json.loads(proc.stdout)["question"] == QUESTION

    proc = offline.run(starcoach("content", "list", "--json"))
    assert_offline(offline, proc)
    assert {item["id"] for item in json.loads(proc.stdout)} == FIVE_IDS

    proc = offline.run(starcoach("history", "--json"))
    assert_offline(offline, proc)

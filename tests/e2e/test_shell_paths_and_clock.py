"""`safetyloop shell` end to end: the paths `!photo` takes, and the clock `--clock sim` keeps."""

from __future__ import annotations

import contextlib
import os
import pty
import queue
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.chat import msg
from tests.e2e.shell import Plant, lines_for

RECEIVED = msg("zh-CN", "report.photo_received", count=1)
REPORT = [
    "/report",
    "!photo hazard.jpg",
    "!press 照片已发完",
    "!location 31.3172 120.7208 12",
    "CNC-07",
    "主轴防护罩破损，铁屑飞溅",
    "!press 机械隐患",
    "!press 严重",
    "!press 提交",
]


class PlantAtHome(Plant):
    """A sandbox whose folder is also the user's home, so `~` points into it."""

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "HOME": str(self.home)}


def test_a_tilde_in_a_photo_path_is_the_home_folder_and_a_relative_path_the_shells(
    tmp_path: Path,
) -> None:
    plant = PlantAtHome(tmp_path)
    plant.photo("hazard.jpg", (200, 40, 40))
    (tmp_path / "work").mkdir()
    plant.photo("work/second.jpg", (40, 40, 200))
    done = plant.shell("W01", "/report\n!photo ~/hazard.jpg\n!photo work/second.jpg\n")
    assert done.returncode == 0, done.stderr
    said = lines_for(done.stdout, "W01")
    assert RECEIVED in said
    assert msg("zh-CN", "report.photo_received", count=2) in said


def test_a_folder_given_as_a_photo_gets_the_missing_files_reply_and_stops_the_script(
    plant: Plant,
) -> None:
    (plant.home / "docs").mkdir()
    folder = plant.shell("W01", "/report\n!photo docs\n/help\n")
    missing = plant.shell("W01", "/report\n!photo nowhere.jpg\n/help\n")
    for done, name in ((folder, "docs"), (missing, "nowhere.jpg")):
        assert done.returncode == 2
        assert done.stderr.startswith(f"line 2: cannot read {name}: "), done.stderr
        assert "Traceback" not in done.stderr
        assert RECEIVED not in lines_for(done.stdout, "W01")
    assert "is a folder" in folder.stderr


def test_a_path_that_is_not_a_regular_file_is_refused_without_reading_it(plant: Plant) -> None:
    os.mkfifo(plant.home / "pipe")  # opening a pipe to read would block forever
    done = plant.shell("W01", "/report\n!photo pipe\n")
    assert done.returncode == 2
    assert done.stderr.startswith("line 2: cannot read pipe: is not a regular file")


def test_typed_at_a_terminal_a_folder_is_refused_and_the_shell_goes_on(plant: Plant) -> None:
    (plant.home / "docs").mkdir()
    plant.photo("hazard.jpg", (200, 40, 40))
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "shell", "--as", "W01"], stdin=terminal,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=plant.env,
        cwd=plant.home,
    ) as shell:
        os.close(terminal)
        # Ctrl-D at the start of a line is the terminal's end of input.
        os.write(controller, b"/report\n!photo docs\n!photo hazard.jpg\n\x04")
        out, err = shell.communicate(timeout=120)
    os.close(controller)
    assert shell.returncode == 0, err
    assert "cannot read docs: is a folder" in err and "Traceback" not in err
    assert RECEIVED in out  # after the folder, the shell still took the photo


class LiveShell:
    """`safetyloop shell` fed line by line while it runs, its output read as it comes."""

    def __init__(self, plant: Plant, person: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "shell", "--as", person, "--clock", "sim"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=plant.env, cwd=plant.home, bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def send(self, *lines: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(f"{line}\n" for line in lines))
        self.process.stdin.flush()

    def wait_for(self, fragment: str, timeout: float = 120) -> None:
        deadline, seen = time.monotonic() + timeout, []
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen.append(line := self.lines.get(timeout=left))
            except queue.Empty:
                break
            if fragment in line:
                return
        self.process.kill()
        raise AssertionError(f"the shell never said {fragment!r}: {''.join(seen)}{self.close()}")

    def close(self) -> str:
        """End of input; what the shell wrote to stderr once it has exited."""
        assert self.process.stdin and self.process.stdout and self.process.stderr
        with contextlib.suppress(BrokenPipeError):  # the shell may be gone already
            self.process.stdin.close()
        err = self.process.stderr.read()  # stdout is the reader thread's alone
        self.process.wait(timeout=120)
        self._reader.join(timeout=120)
        self.process.stdout.close()
        self.process.stderr.close()
        return err

    def finish(self) -> None:
        err = self.close()
        assert self.process.returncode == 0, err


def test_the_simulated_clock_runs_in_real_time_between_waits(plant: Plant) -> None:
    plant.photo("hazard.jpg", (200, 40, 40))
    shell = LiveShell(plant, "W01")
    shell.send(*REPORT)
    shell.wait_for("HZ-")
    time.sleep(1.5)  # the team lead takes a moment to read the card
    shell.send("!as TL-MECH", "!press 接收")
    shell.wait_for("已被")
    shell.send("!wait 25h", "!press 开始处理")
    shell.finish()

    [ticket] = plant.tickets()
    created, acknowledged, started = (
        datetime.fromisoformat(ticket[field])
        for field in ("created_at", "acknowledged_at", "started_at")
    )
    assert acknowledged - created >= timedelta(seconds=1)
    assert started - acknowledged >= timedelta(hours=25)
    assert started - acknowledged < timedelta(hours=25, minutes=2)

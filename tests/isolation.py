"""What keeps a test from seeing the machine it runs on.

Modelled on bolt-python's ``remove_os_env_temporarily``: settings come only from what a
test sets, never from the developer's shell, a ``.env`` in the working folder or their
HOME. Subprocess tests find the console script next to the running interpreter, so they
work in any virtual environment on any machine.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")
SETTING_PREFIXES = ("SLACK_", "STREAKBOT_", "XDG_")
SETTING_NAMES = frozenset({"DATABASE_URL", "PORT"})


def is_machine_specific(name: str) -> bool:
    """Variables that would make a test depend on the shell it was started from."""
    return name in PROXY_VARS or name in SETTING_NAMES or name.startswith(SETTING_PREFIXES)


def console_script(name: str = "streakbot") -> Path:
    """The installed console script of the running environment (venv ``bin/`` or ``Scripts\\``)."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.exists():
            return candidate
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(
            f"the {name!r} console script is not installed next to {sys.executable} nor on PATH; "
            "run `pip install -e .` in this environment"
        )
    return Path(found)


def subprocess_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: this one without settings or proxies, a fresh HOME."""
    env = {k: v for k, v in os.environ.items() if not is_machine_specific(k)}
    env["HOME"] = str(home)
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env.update(extra or {})
    return env

"""Scenario processes: each benchmark scenario runs in a fresh interpreter, so that its CPU
time and peak memory are its own; the parent collects the JSON summary the child writes."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_child(
    module: str, label: dict[str, Any], arguments: list[str], child_timeout: float
) -> dict[str, Any]:
    """Run ``python -m module *arguments --result FILE``; the summary, or `label` with an error."""
    with tempfile.TemporaryDirectory(prefix="bench-result-") as tmp:
        out = Path(tmp) / "result.json"
        command = [sys.executable, "-m", module, *arguments, "--result", str(out)]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, timeout=child_timeout
            )
        except subprocess.TimeoutExpired:
            return {**label, "error": f"did not finish within {child_timeout:.0f} s (killed)"}
        elapsed = time.perf_counter() - started
        if done.returncode != 0 or not out.exists():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            return {
                **label,
                "error": f"exit status {done.returncode} after {elapsed:.0f} s:\n{tail}",
            }
        result: dict[str, Any] = json.loads(out.read_text())
        result["process_s"] = elapsed
        return result


def command_line(module: str, argv: list[str] | None) -> str:
    """The command that ran this benchmark, as a person would type it from the project root."""
    python = Path(sys.executable)
    shown = [
        str(python.relative_to(ROOT)) if python.is_relative_to(ROOT) else sys.executable,
        "-m",
        module,
        *(sys.argv[1:] if argv is None else argv),
    ]
    return " ".join(shlex.quote(part) for part in shown)

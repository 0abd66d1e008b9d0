"""Acceptance (issue 14, finding 6): every file a demo run creates — in its output folder,
its data folder, HOME, the temp folder — is private, and none is written through a symlink
planted at its path."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pcsc

ROOT = Path(__file__).resolve().parents[2]


def tree(root: Path) -> dict[str, tuple[str, int]]:
    """relative path -> (kind, permission bits) of everything under ``root``."""
    out: dict[str, tuple[str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = os.lstat(p)
            kind = "l" if stat.S_ISLNK(st.st_mode) else "d" if stat.S_ISDIR(st.st_mode) else "f"
            out[str(p.relative_to(root))] = (kind, stat.S_IMODE(st.st_mode))
    return out


def prepare(tmp_path: Path) -> None:
    for name in ("home", "xdg_data_home", "xdg_config_home", "xdg_cache_home", "tmpdir", "data"):
        (tmp_path / name).mkdir(mode=0o700, exist_ok=True)


def run_demo(tmp_path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The demo with every place it might write redirected under ``tmp_path``."""
    env = dict(os.environ)
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "TMPDIR"):
        env[var] = str(tmp_path / var.lower())  # made by prepare(), before any snapshot
    env["STATION_DATA_DIR"] = str(tmp_path / "data")
    env["STATION_CONFIG"] = str(tmp_path / "xdg_config_home" / "station.toml")
    env.pop("STATION_DB_URL", None)
    env.pop("STATION_WITNESS_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "station", "demo", "--time-scale", "0", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=tmp_path,
    )


def test_every_file_the_demo_creates_is_private(pcscd, vpcd_lock, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    repo_before = tree(ROOT / "var") if (ROOT / "var").exists() else {}
    prepare(tmp_path)
    before = tree(tmp_path)
    old_umask = os.umask(0o022)  # the usual umask: what made the audit's files 0644
    try:
        proc = run_demo(tmp_path, out)
    finally:
        os.umask(old_umask)
    assert proc.returncode == 0, proc.stderr
    after = tree(tmp_path)
    created = {p: v for p, v in after.items() if p not in before}
    names = sorted(created)
    print("\n".join(f"{oct(m)} {k} {p}" for p, (k, m) in sorted(created.items())))
    # the artefacts the demo is known to write are all in the list
    for expected in (
        "demo/receipt-pin-reset.txt",
        "demo/receipt-pin-reset.pdf",
        "demo/audit.jsonl",
        "demo/trace-pin-service.txt",
        "demo/inventory.db",
        "demo/blanks/ICBC/manifest.csv",
        "demo/printed/card-0001.png",
        "demo/day-report.txt",
        "demo/day-report.pdf",
    ):
        assert expected in names, names
    assert any(n.startswith("demo/blanks/ICBC/blank-") for n in names)
    for folder in ("faces", "receipts", "outbox"):  # the jobs' faces, receipts, the batch
        assert any(n.startswith(f"demo/{folder}/") for n in names), folder
    loose = [(p, oct(m)) for p, (k, m) in created.items() if m & 0o077]
    assert not loose, f"readable by group/others: {loose}"
    assert not [p for p, (k, _) in created.items() if k == "l"]
    assert not [p for p in names if p.endswith(".tmp")]  # no temp file left behind
    # nothing outside tmp_path changed in the repository's own output folder
    assert (tree(ROOT / "var") if (ROOT / "var").exists() else {}) == repo_before


# the paths the demo writes; for each, a planted symlink must leave its target untouched
# and make the demo fail with one line
PLANTED = [
    "receipt-pin-reset.txt",
    "receipt-pin-reset.pdf",
    "audit.jsonl",
    "trace-pin-service.txt",
    "blanks",
    "inventory.db",
    "printed",
    "faces",
    "receipts",
    "outbox",
    "day-report.txt",
    "day-report.pdf",
    "printed/card-0001.png",
]


@pytest.mark.parametrize("rel", PLANTED)
def test_symlink_planted_at_an_output_path(pcscd, vpcd_lock, tmp_path: Path, rel: str) -> None:
    out = tmp_path / "demo"
    out.mkdir(mode=0o700)
    victim_dir = tmp_path / "victim"
    victim_dir.mkdir()
    victim = victim_dir / "precious.txt"
    victim.write_text("precious\n")
    target = victim_dir if "." not in rel else victim  # folders link to a folder
    link = out / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    before = tree(victim_dir)
    prepare(tmp_path)
    proc = run_demo(tmp_path, out)
    assert proc.returncode != 0, proc.stdout[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "symlink" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert victim.read_text() == "precious\n"
    assert tree(victim_dir) == before  # nothing added, removed or re-moded in the target
    assert link.is_symlink()

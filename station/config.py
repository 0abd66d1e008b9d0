"""One settings object, read once at start: defaults < settings file < environment.

The file is TOML at ``$STATION_CONFIG`` or the platform's user config dir
(``~/.config/station/station.toml`` on Linux).  Every key can be overridden by an
environment variable ``STATION_<KEY>`` (upper case), which is what scripts and CI use.
"""

from __future__ import annotations

import getpass
import os
import socket
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from station.errors import StationError

APP = "station"


class SettingsError(StationError):
    default_message = "配置文件错误 (settings file is invalid)"


def _default_db_url() -> str:
    data = Path(platformdirs.user_data_dir(APP))
    return f"sqlite:///{data / 'inventory.db'}"


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=_default_db_url)
    station_id: str = field(default_factory=socket.gethostname)
    operator: str = field(default_factory=getpass.getuser)
    card_reader: str = "Virtual PCD 00 00"
    psam_reader: str = "Virtual PCD 00 01"
    key_file: str = ""  # a soft key store file (technicians/tests); empty = use the PSAM
    printer_url: str = "socket://127.0.0.1:9100"
    profiles_dir: str = ""  # empty = the profiles/ folder shipped with station
    daily_count_required: bool = True
    data_dir: str = field(default_factory=lambda: platformdirs.user_data_dir(APP))

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def config_path() -> Path:
    env = os.environ.get("STATION_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP)) / "station.toml"


def _coerce(name: str, kind: Any, raw: Any, source: str) -> Any:
    if kind is bool or kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise SettingsError(detail=f"{source}: {name} must be true or false")
    if not isinstance(raw, str):
        raise SettingsError(detail=f"{source}: {name} must be a string")
    return raw


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Defaults, then the settings file (if present), then ``STATION_*`` variables."""
    env = dict(os.environ if environ is None else environ)
    path = path or config_path()
    values: dict[str, Any] = {}
    known = {f.name: f.type for f in fields(Settings)}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(detail=f"{path}: {exc}") from None
        for key, raw in data.items():
            if key not in known:
                line = next(
                    (i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(key)),
                    0,
                )
                raise SettingsError(detail=f"{path}:{line}: unknown setting {key!r}")
            values[key] = _coerce(key, known[key], raw, str(path))
    for key, kind in known.items():
        raw = env.get(f"STATION_{key.upper()}")
        if raw is not None:
            values[key] = _coerce(key, kind, raw, f"STATION_{key.upper()}")
    return Settings(**values)

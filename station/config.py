"""One settings object, read once at start: defaults < settings file < environment.

The file is TOML at ``$STATION_CONFIG`` or the platform's user config dir
(``~/.config/station/station.toml`` on Linux).  Every key can be overridden by an
environment variable ``STATION_<KEY>`` (upper case), which is what scripts and CI use.
"""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from station.errors import ErrorCode, StationError
from station.text import TextFieldError, single_line
from station.textfile import loads_toml, read_utf8

APP = "station"


class SettingsError(StationError):
    default_message = "配置文件错误 (settings file is invalid)"
    code = ErrorCode.SETTINGS


DB_FILE = "inventory.db"  # the one default file name of the stock book


def _default_data_dir() -> str:
    return platformdirs.user_data_dir(APP, appauthor=False)


def _default_db_url() -> str:
    return f"sqlite:///{Path(_default_data_dir()) / DB_FILE}"


def db_url_from(text: str) -> str:
    """A database URL from what a user typed: a URL as it is, a plain path as a SQLite file.

    ``stock.db`` and ``/var/station/stock.db`` are files; ``postgresql+psycopg://…`` and
    ``sqlite:///…`` are URLs.  Empty text is refused rather than guessed.
    """
    text = text.strip()
    if not text:
        raise SettingsError("数据库地址为空 (database URL is empty)", detail="db_url")
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


READER_FIELDS = ("card_reader", "psam_reader", "desk_reader")  # PC/SC reader names
READER_NAME_MAX = 200  # characters: a PC/SC reader name is far shorter (pcsc-lite: 127 bytes)
CARD_READER = "Virtual PCD 00 00"  # vpcd slot 0: the card reader by default
PSAM_READER = "Virtual PCD 00 01"  # vpcd slot 1: the PSAM reader by default
PRINTER_URL = "socket://127.0.0.1:9100"


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=_default_db_url)
    station_id: str = field(default_factory=socket.gethostname)
    # the signed-in operator's user id; empty = nobody (receipts and stock work refuse it)
    operator: str = ""
    outlet: str = ""  # 受理网点 printed on receipts; empty = receipts are refused
    card_reader: str = CARD_READER
    psam_reader: str = PSAM_READER
    # a desktop PC/SC reader at the counter (制卡补登 of a card out of the printer); "" = none
    desk_reader: str = ""
    key_file: str = ""  # a soft key store file (technicians/tests); empty = use the PSAM
    printer_url: str = PRINTER_URL
    profiles_dir: str = ""  # empty = the profiles/ folder shipped with station
    blank_profile: str = "gen3-sm4-blank"  # the card profile of the pre-made blanks issued
    daily_count_required: bool = True
    data_dir: str = field(default_factory=_default_data_dir)
    card_timeout: float = 5.0  # seconds one card exchange may take before the card is reset
    printer_timeout: float = 10.0  # seconds one printer command may take, retries included
    witness_file: str = ""  # ledger heads witnessed outside the database; empty = data_dir's
    idle_lock_minutes: float = 10.0  # the desktop app locks after this many idle minutes
    language: str = "zh_CN"  # zh_CN or en

    def witness_path(self) -> Path:
        return Path(self.witness_file or Path(self.data_dir) / "ledger-witness.txt")

    def with_overrides(self, **values: Any) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def config_path() -> Path:
    env = os.environ.get("STATION_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP)) / "station.toml"


def _coerce(name: str, kind: Any, raw: Any, source: str) -> Any:
    if kind in (int, "int", float, "float"):
        number = int if kind in (int, "int") else float
        if isinstance(raw, bool):
            raise SettingsError(detail=f"{source}: {name} must be a number")
        try:
            value = number(raw)
        except (TypeError, ValueError):
            raise SettingsError(detail=f"{source}: {name} must be a number") from None
        if value <= 0:
            raise SettingsError(detail=f"{source}: {name} must be greater than 0")
        return value
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
    if name == "db_url":
        return db_url_from(raw)
    if name in READER_FIELDS:
        return reader_name_from(raw, source)
    return raw


def reader_name_from(text: str, source: str = "") -> str:
    """A PC/SC reader name as set: one printable line of at most ``READER_NAME_MAX``
    characters, spaces around it dropped; empty stays empty (no such reader)."""
    name = text.strip()
    try:
        return single_line(name, "读卡器名称 reader name", READER_NAME_MAX)
    except TextFieldError as exc:
        where = f"{source}: " if source else ""
        raise SettingsError(exc.message, detail=f"{where}{exc.detail}") from None


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Defaults, then the settings file (if present), then ``STATION_*`` variables."""
    env = dict(os.environ if environ is None else environ)
    path = path or config_path()
    values: dict[str, Any] = {}
    known = {f.name: f.type for f in fields(Settings)}
    if path.is_file():
        text = read_utf8(path, SettingsError, "配置文件", "settings file")  # bounded
        try:
            data = loads_toml(text, path, SettingsError, "配置文件", "settings file")
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
    if "STATION_OPERATOR" not in env and "STATION_USER" in env:
        env["STATION_OPERATOR"] = env["STATION_USER"]  # the older name, still honoured
    for key, kind in known.items():
        raw = env.get(f"STATION_{key.upper()}")
        if raw is not None:
            values[key] = _coerce(key, kind, raw, f"STATION_{key.upper()}")
    return Settings(**values)

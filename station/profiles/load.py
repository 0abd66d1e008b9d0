"""Finding and reading profiles.

Profiles are found by name in a profiles directory — ``Settings.profiles_dir``, passed
down by the caller, or the ``profiles/`` folder shipped next to the ``station`` package
(``SHIPPED_DIR``).  A path to any ``.toml`` file works too.  Nothing here reads the
environment: the directory is a parameter.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from station.profiles.base import SHIPPED_DIR, ProfileKind
from station.profiles.card import CardProfile, read_card
from station.profiles.psam import PsamProfile, read_psam
from station.profiles.reader import ProfileError, Reader, Source
from station.textfile import loads_toml, read_utf8

Profile = CardProfile | PsamProfile


def profiles_dir(configured: str | Path | None = None) -> Path:
    """The profiles directory: ``configured`` (``Settings.profiles_dir``) when given and
    not empty, else the shipped one."""
    return Path(configured) if configured else SHIPPED_DIR


def list_profiles(directory: str | Path | None = None) -> list[str]:
    """Names of the profiles in the profiles directory, sorted."""
    d = profiles_dir(directory)
    if not d.is_dir():
        return []
    return sorted(p.stem for p in d.glob("*.toml"))


def profile_path(name_or_path: str | Path, directory: str | Path | None = None) -> Path:
    """The file of a profile given by name (``gen3-sm4-issued``) or path (``./my.toml``)."""
    text_ref = str(name_or_path)
    looks_like_path = (
        isinstance(name_or_path, Path)
        or "/" in text_ref
        or os.sep in text_ref
        or text_ref.endswith(".toml")
    )
    if looks_like_path:
        return Path(name_or_path)
    d = profiles_dir(directory)
    path = d / f"{text_ref}.toml"
    if not path.is_file():
        names = ", ".join(list_profiles(d)) or "none"
        raise ProfileError(
            f"找不到卡片配置 {text_ref} (no such profile)",
            detail=f"looked in {d}; available: {names}",
        )
    return path


def load_profile(name_or_path: str | Path, directory: str | Path | None = None) -> Profile:
    """A profile by name (looked up in ``directory``) or by path."""
    path = profile_path(name_or_path, directory)
    text = read_utf8(path, ProfileError, "卡片配置文件", "profile")
    return parse_profile(text, path)


def load_card_profile(name_or_path: str | Path, directory: str | Path | None = None) -> CardProfile:
    """Like ``load_profile``, refusing a PSAM profile."""
    return card_profile(load_profile(name_or_path, directory))


def load_psam_profile(name_or_path: str | Path, directory: str | Path | None = None) -> PsamProfile:
    """Like ``load_profile``, refusing a card profile."""
    return psam_profile(load_profile(name_or_path, directory))


def card_profile(profile: Profile) -> CardProfile:
    if not isinstance(profile, CardProfile):
        raise ProfileError(
            f"{profile.name} 不是社保卡配置 (profile is not a card profile)",
            detail=f"kind = {profile.kind}",
        )
    return profile


def psam_profile(profile: Profile) -> PsamProfile:
    if not isinstance(profile, PsamProfile):
        raise ProfileError(
            f"{profile.name} 不是PSAM配置 (profile is not a PSAM profile)",
            detail=f"kind = {profile.kind}",
        )
    return profile


def parse_profile(text: str, path: Path | None = None, base_dir: Path | None = None) -> Profile:
    """Validate profile text.  ``base_dir`` resolves ``key_file`` when there is no path."""
    try:
        doc = loads_toml(text, path or "<profile>", ProfileError, "卡片配置文件", "profile")
    except tomllib.TOMLDecodeError as exc:
        name = path.name if path else "<profile>"
        m = re.search(r"line (\d+)", str(exc))
        line = f"第{m.group(1)}行 " if m else ""
        raise ProfileError(
            f"卡片配置文件格式错误：{name} {line}(profile is not valid TOML)",
            detail=f"{name}: {exc}",
        ) from None
    base = base_dir or (path.parent if path else Path("."))
    return build(Source(doc, text, path, base))


def build(source: Source) -> Profile:
    """The profile a parsed document describes, by its ``kind``."""
    r = Reader(source)
    kind = r.get(source.doc, (), "kind", str, ProfileKind.CARD.value)
    if kind == ProfileKind.CARD:
        return read_card(r)
    if kind == ProfileKind.PSAM:
        return read_psam(r)
    raise r.err(("kind",), 'must be "card" or "psam"')

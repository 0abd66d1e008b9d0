"""Virtual cards and PSAMs made from profiles.

``make_card`` turns a card profile (``station.profiles``) into a ``VirtualSSCard`` in the
state a fresh card of that type leaves the factory or the issuer with; ``make_psam`` turns
a PSAM profile into a ``VirtualPsam``.  Profiles named here are looked up in ``directory``
(``Settings.profiles_dir`` from the caller; the shipped folder when ``None``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from station.apdu.atr import historical_bytes
from station.codecs.records import EF05_FIELDS, EF06_FIELDS, IssuerData
from station.crypto.algorithms import pin_bcd
from station.crypto.keys import KeySet, derive_card_key
from station.emulator.layout import EF05_PATH, EF06_PATH, build_fs
from station.emulator.psam import VirtualPsam
from station.emulator.runtime import CardOptions
from station.emulator.security import CardKey, pin_from_ssn
from station.emulator.ssc import VirtualSSCard
from station.emulator.state import CardState
from station.profiles import (
    ISSUER_ITEMS,
    CardProfile,
    PinInitial,
    ProfileError,
    PsamProfile,
    card_profile,
    issuer_data_for,
    load_profile,
    psam_profile,
    serial_of,
    with_serial,
)
from station.textfile import loads_json


def initial_state(profile: CardProfile, *, serial: int | None = None) -> CardState:
    """The state a fresh card of this profile leaves the factory (or the issuer) with."""
    profile = card_profile(profile)
    atr = profile.atr if serial is None else with_serial(profile.atr, serial)
    values = issuer_data_for(profile, serial_of(atr))
    if serial is None:
        for key in ("card_number", "card_id_code"):
            if key in profile.issuer:
                values[key] = profile.issuer[key]
    items = ISSUER_ITEMS if profile.issued else profile.factory_items
    issuer = IssuerData(**{k: values[k] for k in items if k in values})
    state = CardState(
        atr=atr,
        profile=profile.ref,
        pin_max=profile.pin.tries,
        pin_tries=profile.pin.tries,
        key_max=profile.key_tries,
    )
    ef05 = [f.blank() for f in EF05_FIELDS]
    for tag, rec in issuer.to_records().items():
        ef05[[f.tag for f in EF05_FIELDS].index(tag)] = rec
    state.records[EF05_PATH] = ef05
    ef06 = [f.blank() for f in EF06_FIELDS]
    if profile.holder is not None:
        for tag, rec in profile.holder.to_records().items():
            ef06[[f.tag for f in EF06_FIELDS].index(tag)] = rec
    state.records[EF06_PATH] = ef06
    if profile.pin.initial == PinInitial.FIXED and profile.pin.value is not None:
        state.pin = pin_bcd(profile.pin.value)
    elif profile.holder is not None:
        state.pin = pin_from_ssn(profile.holder.ssn.encode("ascii"))
    return state


def card_keys(profile: CardProfile, keyset: KeySet, atr: bytes) -> dict[int, CardKey]:
    """The card's diversified keys for this ATR (the key set is not kept)."""
    hist = historical_bytes(atr)
    return {
        kid: CardKey(
            kid,
            profile.key_versions.get(kid, spec.version),
            derive_card_key(keyset, kid, profile.region, hist),
        )
        for kid, spec in keyset.keys.items()
    }


def make_card(
    profile: CardProfile | str | Path,
    *,
    state_path: Path | str | None = None,
    serial: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    keyset: KeySet | None = None,
    directory: str | Path | None = None,
) -> VirtualSSCard:
    """A virtual card of ``profile``.

    With ``state_path``: an existing file is loaded (the card as it was left; ``serial``
    is then ignored), a missing one is created.  ``serial`` makes a distinct card: ATR
    bytes TA..TD, card identification code and card number all follow it.  ``overrides``
    is deep-merged into the profile's TOML and validated like the file.
    """
    prof = card_profile(
        profile if isinstance(profile, CardProfile) else load_profile(profile, directory)
    )
    if overrides:
        prof = prof.with_overrides(overrides)
    path = Path(state_path) if state_path is not None else None
    if path is not None and path.exists():
        new = False
        state = CardState.load(path)
        saved = state.extra.get("overrides")
        if saved and not overrides:
            try:
                stored = loads_json(saved, path, ProfileError, "虚拟卡状态文件", "state file")
                prof = prof.with_overrides(stored)
            except ValueError:
                raise ProfileError(detail=f"{path}: stored overrides are not JSON") from None
    else:
        new = True
        state = initial_state(prof, serial=serial)
        if overrides:
            # kept so the card comes back the same after a restart
            state.extra["overrides"] = json.dumps(overrides, default=str, ensure_ascii=False)
    card = VirtualSSCard(
        fs=build_fs(prof.alg, prof.files.values(), prof.subapps),
        alg=prof.alg,
        keys=card_keys(prof, keyset or prof.keyset(), state.atr),
        state=state,
        options=CardOptions(
            t0_get_response=prof.t0_get_response,
            pin_from_ssn=prof.pin.initial == PinInitial.LAST6_SSN,
        ),
        state_path=path,
        label=prof.name,
    )
    if new and path is not None:
        card.save()
    return card


def make_psam(
    profile: PsamProfile | str | Path, *, directory: str | Path | None = None
) -> VirtualPsam:
    """The virtual PSAM of a ``kind = "psam"`` profile, holding its key file's masters."""
    prof = psam_profile(
        profile if isinstance(profile, PsamProfile) else load_profile(profile, directory)
    )
    return VirtualPsam(
        prof.keyset(), prof.terminal_number, prof.atr or None, key_map=prof.key_map or None
    )

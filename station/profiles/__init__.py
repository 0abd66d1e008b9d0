"""Card and PSAM profiles: what a card type (or a PSAM) is, read from one TOML file.

Read by the emulator (virtual cards), the card services' tests, the printer's callers
(the face layout) and the issuance job.  This package sits below ``station.card``'s
services and above crypto and the printer: it builds key sets and the printer's
``FaceLayout``, and never imports the emulator.  The format is documented field by field
in ``profiles/README.md``.
"""

from station.profiles.base import SHIPPED_DIR, ProfileKind
from station.profiles.card import BlankDefaults, CardProfile, PinInitial, PinPolicy
from station.profiles.face import FACE_FIELDS, read_face
from station.profiles.issuer import DEFAULT_FACTORY_ITEMS, ISSUER_ITEMS, RID_HEX
from station.profiles.load import (
    Profile,
    card_profile,
    list_profiles,
    load_card_profile,
    load_profile,
    load_psam_profile,
    parse_profile,
    profiles_dir,
    psam_profile,
)
from station.profiles.numbering import (
    card_id_code_for,
    card_number_for,
    issuer_data_for,
    serial_of,
    with_serial,
)
from station.profiles.psam import PsamProfile
from station.profiles.reader import ProfileError

__all__ = [
    "DEFAULT_FACTORY_ITEMS",
    "FACE_FIELDS",
    "ISSUER_ITEMS",
    "RID_HEX",
    "SHIPPED_DIR",
    "BlankDefaults",
    "CardProfile",
    "PinInitial",
    "PinPolicy",
    "Profile",
    "ProfileError",
    "ProfileKind",
    "PsamProfile",
    "card_id_code_for",
    "card_number_for",
    "card_profile",
    "issuer_data_for",
    "list_profiles",
    "load_card_profile",
    "load_profile",
    "load_psam_profile",
    "parse_profile",
    "profiles_dir",
    "psam_profile",
    "read_face",
    "serial_of",
    "with_serial",
]

"""Setting up the book: users, banks, manufacturers, locations and the book's settings.

Why apart from custody: these change who and where, never a card; none of them touches the
ledger.  Every change is a signed-in supervisor's (settings also a technician's); the first
supervisor is enrolled by ``auth.bootstrap`` (no one signed in yet), so a fresh book can start.

Text people type — codes, names, reasons and notes — is printed later in lists, reports and
on the terminal, so it is checked here, at entry, with the station's one rule
(``station.text.single_line``: printable, one line, bounded by its column): a refused value
is a ``TextFieldError`` naming the field, and nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.inventory.errors import InventoryConflict, NotFound, PermissionDenied
from station.inventory.models import (
    Bank,
    Location,
    LocationKind,
    Manufacturer,
    Role,
    Setting,
    User,
)
from station.inventory.results import LocationInfo, NamedCode, UserInfo
from station.inventory.rules import Duty
from station.text import TextFieldError, single_line

if TYPE_CHECKING:
    from station.inventory.service import Inventory

# column widths (``models``): what the book can hold is what a field may be
CODE_MAX = 16  # banks, manufacturers
NAME_MAX = 100  # display names of users, banks, manufacturers, locations
USERNAME_MAX = 64
LOCATION_MAX = 64
REASON_MAX = 200  # a movement's reason or a resolution's note, as the ledger row keeps it
SETTING_KEY_MAX = 64
SETTING_VALUE_MAX = 200


def text_field(value: str, field: str, max_len: int, *, required: bool = False) -> str:
    """``value`` if it is one printable line of at most ``max_len`` characters (and not
    blank when ``required``); ``TextFieldError`` naming ``field`` otherwise.  ``field`` is
    the station's own bilingual label, never user text."""
    single_line(value, field, max_len)
    if required and not value.strip():
        zh, _, en = field.partition(" ")
        raise TextFieldError(f"须填写{zh} ({en or zh} required)")
    return value


def add_user(
    inv: Inventory, username: str, role: Role, *, display_name: str, by: str | None
) -> str:
    """Returns the new user's one-time code (see ``auth``: a user is never left without
    credentials, or the first to type the name would choose the password)."""
    role = Role(role)
    text_field(username, "用户名 user name", USERNAME_MAX, required=True)
    text_field(display_name, "姓名 name", NAME_MAX)
    code, hashed = inv.auth.one_time_code()

    def work(s: Session) -> None:
        if by is None:
            raise PermissionDenied(
                "须由已登录的主管添加用户；首位主管用 station inventory init --supervisor "
                "(a signed-in supervisor adds users; the first comes from `inventory init`)",
                detail="by missing",
            )
        inv._user(s, by, Duty.SETUP)
        if s.get(User, username) is not None:
            raise InventoryConflict(f"用户{username}已存在 (user exists)", detail=username)
        user = User(
            username=username,
            role=role.value,
            display_name=display_name,
            active=True,
            created_at=inv.now(),
            credential_version=0,
        )
        s.add(user)
        inv.auth.issue(s, user, hashed, by=by)

    inv._run(work)
    return code


def add_named(
    inv: Inventory, model: type[Bank] | type[Manufacturer], code: str, name: str, by: str
) -> bool:
    """Register a bank or a manufacturer; ``False`` when the code was already there (it is
    left as it is)."""
    what = "银行" if model is Bank else "制卡商"
    text_field(code, f"{what}代码 code", CODE_MAX, required=True)
    text_field(name, f"{what}名称 name", NAME_MAX)

    def work(s: Session) -> bool:
        inv._user(s, by, Duty.SETUP)
        if s.get(model, code) is not None:
            return False
        s.add(model(code=code, name=name))
        return True

    return inv._run(work)


def add_location(
    inv: Inventory, code: str, kind: LocationKind, *, by: str, owner: str | None, name: str
) -> None:
    kind = LocationKind(kind)
    text_field(code, "位置代码 location code", LOCATION_MAX, required=True)
    text_field(name, "位置名称 location name", NAME_MAX)

    def work(s: Session) -> None:
        inv._user(s, by, Duty.SETUP)
        if owner is not None and s.get(User, owner) is None:
            raise NotFound(f"用户{owner!r}不存在 (unknown user)", detail=owner)
        if s.get(Location, code) is not None:
            raise InventoryConflict(f"位置{code}已存在 (location exists)", detail=code)
        s.add(Location(code=code, kind=kind.value, owner=owner, name=name))

    inv._run(work)


def set_setting(inv: Inventory, key: str, value: str, *, by: str) -> None:
    text_field(key, "设置项 setting", SETTING_KEY_MAX, required=True)
    text_field(value, "设置值 setting value", SETTING_VALUE_MAX)

    def work(s: Session) -> None:
        inv._user(s, by, Duty.SETTINGS)
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value

    inv._run(work)


def setting(s: Session, key: str, default: str) -> str:
    row = s.get(Setting, key)
    return row.value if row is not None else default


def users(inv: Inventory) -> list[UserInfo]:
    def work(s: Session) -> list[UserInfo]:
        q = select(User).order_by(User.username)
        return [
            UserInfo(u.username, Role(u.role), u.display_name, u.active)
            for u in s.execute(q).scalars()
        ]

    return inv.read(work)


def named(inv: Inventory, model: type[Bank] | type[Manufacturer]) -> list[NamedCode]:
    def work(s: Session) -> list[NamedCode]:
        q = select(model.code, model.name).order_by(model.code)
        return [NamedCode(c, n) for c, n in s.execute(q)]

    return inv.read(work)


def locations(inv: Inventory) -> list[LocationInfo]:
    def work(s: Session) -> list[LocationInfo]:
        q = select(Location).order_by(Location.code)
        return [
            LocationInfo(x.code, LocationKind(x.kind), x.owner, x.name)
            for x in s.execute(q).scalars()
        ]

    return inv.read(work)


def location(s: Session, code: str, *kinds: LocationKind) -> Location:
    """The location ``code``, refused when unknown or not one of ``kinds`` (if given)."""
    loc = s.get(Location, code)
    if loc is None:
        raise NotFound(f"位置{code!r}不存在 (unknown location)", detail=code)
    if kinds and LocationKind(loc.kind) not in kinds:
        raise InventoryConflict(
            f"位置{code}类型为{loc.kind}，不能用于此操作 (wrong kind of location)",
            detail=f"{code} is {loc.kind}; need {'/'.join(kinds)}",
        )
    return loc

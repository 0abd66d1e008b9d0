"""Operator authentication for the stock book (issue 14, finding 11: "anyone can be anyone").

Why it is built like this:

* **A name is a key to a session, never a credential.**  Each ``Inventory`` owns one
  ``Authenticator``, which keeps in memory the users who proved their password *to this
  object, in this process* (``sign_in``).  The service's single role check
  (``Inventory._user``) calls ``Authenticator.require`` before it looks at the role, so
  ``by="sup"`` is refused unless ``sup`` signed in here.  Nothing outside the process can add
  a name to that set: the CLI builds a fresh ``Inventory`` for each command and signs in with
  the password it prompts for (or reads from ``--password-stdin``); the desktop app signs the
  clerk in once at its sign-in screen, signs out on idle lock and exit, and passes
  ``by=operator.username`` as before — so the service API keeps its shape.  The second signer
  of a destruction signs in the same way and must be a different person.
* **Sessions die with the credentials.**  A session remembers the user's
  ``credential_version``; every password set, change or reset bumps it, so a supervisor's
  reset throws the user out of every running app at their next action.  Deactivated users
  stay refused by the role check.
* **New and reset users get a one-time code, not a password.**  A user row without usable
  credentials would let the first person who types the name choose its password — the very
  hole this module closes.  So a supervisor who adds or resets a user receives a random
  one-time code (shown once, stored only as an argon2 hash, valid ``ONE_TIME_VALID``); the
  user signs in with it and must set their own password in the same step
  (``sign_in(name, code, new_password=…)``) before any other action.
* **Bootstrap**: ``bootstrap(name, password)`` enrols the first supervisor with their own
  password, allowed only while *no* user in the book has credentials (an empty book, or one
  upgraded from revision 0001).  ``station inventory init --supervisor NAME`` uses it; after
  that only a signed-in supervisor adds users.
* **Lock-out**: ``MAX_FAILURES`` consecutive wrong passwords lock the account for
  ``LOCK_FOR``; attempts while locked are refused without checking the password (and not
  counted).  A supervisor's reset lifts the lock.  The clock is the inventory's (injectable).
* **Events are data**: every sign-in, failure, lock, refusal while locked, password set /
  change / reset, one-time code issued and sign-out is a row of ``inv_auth_events`` — never
  a password, code or hash.  A failed attempt under a name the book does not know is recorded
  *without* the name: it may be a password typed into the wrong field.
* **argon2id** (``argon2-cffi``, memory-hard).  The default parameters are the library's
  (RFC 9106 low-memory profile: 3 passes, 64 MiB, 4 lanes; about 0.13 s per hash on the
  2-CPU test VM); tests pass a cheaper ``PasswordHasher`` to ``Inventory(password_hasher=…)``.
  A hash made with other parameters is re-hashed at the next successful sign-in.  Hashing
  runs outside database transactions so no SQLite write lock is held while it works.
* Secrets never reach an exception text, ``detail``, event or log line: errors say what was
  wrong with a password (too short…), never the password.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.errors import ErrorCode
from station.inventory.errors import InventoryError, PermissionDenied
from station.inventory.models import AuthEvent, AuthEventKind, LedgerHead, Role, User
from station.text import single_line

T = TypeVar("T")

MAX_FAILURES = 5  # consecutive wrong passwords before the account locks
LOCK_FOR = dt.timedelta(minutes=15)
ONE_TIME_VALID = dt.timedelta(hours=72)  # a supervisor's one-time code expires after this
MIN_PASSWORD = 8
MAX_PASSWORD = 128  # characters; bounds the work an attacker can hand the hasher
MAX_USERNAME = 64  # the column's width
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
_CODE_LEN = 12  # 12 × 5 bits = 60 bits, against at most MAX_FAILURES guesses per LOCK_FOR


class AuthError(PermissionDenied):
    """Base of the sign-in refusals (a ``PermissionDenied``: the act was not allowed)."""

    default_message = "身份验证失败 (authentication failed)"
    code = ErrorCode.AUTH


class SignInFailed(AuthError):
    default_message = "用户名或密码错误 (wrong user name or password)"
    code = ErrorCode.SIGN_IN_FAILED


class AccountLocked(SignInFailed):
    default_message = "账户已暂时锁定 (account locked for a while after too many failures)"
    code = ErrorCode.ACCOUNT_LOCKED


class PasswordChangeRequired(AuthError):
    default_message = (
        "须先设置自己的密码：station inventory user passwd "
        "(set your own password first: `station inventory user passwd`)"
    )
    code = ErrorCode.PASSWORD_CHANGE_REQUIRED


class OneTimeCodeExpired(AuthError):
    default_message = "一次性密码已过期，请主管重置 (one-time code expired: ask a supervisor)"
    code = ErrorCode.ONE_TIME_CODE_EXPIRED


class NotSignedIn(AuthError):
    default_message = "该用户未登录，须先验证密码 (user has not signed in with a password)"
    code = ErrorCode.NOT_SIGNED_IN


class WeakPassword(InventoryError):
    default_message = "密码不符合要求 (password does not meet the rules)"
    code = ErrorCode.WEAK_PASSWORD


@dataclass(frozen=True, slots=True)
class Operator:
    """Who signed in: what the desktop app needs to choose the screens.  Holds no secret."""

    username: str
    role: Role
    display_name: str
    signed_in_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AuthEventInfo:
    id: int
    ts: dt.datetime
    kind: AuthEventKind
    username: str | None
    actor: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class _Snapshot:
    username: str
    role: str
    display_name: str
    password_hash: str | None
    must_set: bool
    set_at: dt.datetime | None
    locked_until: dt.datetime | None
    version: int


def _normal_code(text: str) -> str:
    """A one-time code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def new_one_time_code() -> str:
    """A random one-time code, grouped for reading aloud: ``ABCD-EFGH-JKLM``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LEN))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LEN, 4))


def check_password_rules(username: str, password: str) -> None:
    """Refuse a password a user may not choose; the reason never contains the password."""
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(
            f"密码至少{MIN_PASSWORD}个字符 (password needs at least {MIN_PASSWORD} characters)"
        )
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(
            f"密码最多{MAX_PASSWORD}个字符 (password may have at most {MAX_PASSWORD} characters)"
        )
    if any(not ch.isprintable() for ch in password):
        raise WeakPassword("密码不能含控制字符 (password may not contain control characters)")
    if password.casefold() == username.casefold():
        raise WeakPassword("密码不能与用户名相同 (password may not be the user name)")
    if len(set(password)) < 3:
        raise WeakPassword("密码过于简单 (password is too simple: use more different characters)")


class Authenticator:
    """Passwords, lock-out, one-time codes and the signed-in set of one ``Inventory``.

    ``run(work, write=…)`` runs ``work`` in one transaction (the inventory's ``_run``);
    ``now()`` is the inventory's naive-UTC clock; ``check(session, username, duty)`` is the
    inventory's role check (used for the supervisor's reset)."""

    def __init__(
        self,
        run: Callable[..., Any],
        now: Callable[[], dt.datetime],
        check: Callable[[Session, str, Any], User],
        *,
        hasher: PasswordHasher | None = None,
        max_failures: int = MAX_FAILURES,
        lock_for: dt.timedelta = LOCK_FOR,
    ) -> None:
        self._run = run
        self._now = now
        self._check = check
        self.hasher = hasher or PasswordHasher()
        self.max_failures = max_failures
        self.lock_for = lock_for
        self._sessions: dict[str, int] = {}  # username -> credential_version at sign-in
        self._lock = threading.Lock()
        self._dummy: str | None = None

    # -- the check the service makes before every role-checked act -------------------------

    def require(self, user: User) -> None:
        """Refuse ``user`` unless they signed in here and their credentials did not change
        since."""
        with self._lock:
            version = self._sessions.get(user.username)
            if version is not None and version != user.credential_version:
                del self._sessions[user.username]
        if version is None:
            raise NotSignedIn(
                f"用户{user.username}未登录，须先验证密码 (user has not signed in)",
                detail=user.username,
            )
        if version != user.credential_version:
            raise NotSignedIn(
                f"用户{user.username}的密码已更改或重置，请重新登录 "
                f"(credentials changed since sign-in: sign in again)",
                detail=user.username,
            )

    def is_signed_in(self, username: str) -> bool:
        with self._lock:
            return username in self._sessions

    # -- signing in and out ------------------------------------------------------------------

    def sign_in(self, username: str, password: str, *, new_password: str | None = None) -> Operator:
        """Check ``password`` (or, for a new or reset user, the one-time code) and add the
        user to the signed-in set.  With ``new_password`` the user's password becomes
        ``new_password`` in the same step — required when a one-time code was used
        (``PasswordChangeRequired`` otherwise), a change of one's own password otherwise."""
        if new_password is not None:
            check_password_rules(username, new_password)
            if hmac.compare_digest(new_password.encode(), password.encode()):
                raise WeakPassword("新密码不能与旧密码相同 (new password must differ from the old)")
        snap = None
        if 0 < len(username) <= MAX_USERNAME and len(password) <= MAX_PASSWORD:
            snap = self._run(lambda s: self._snapshot(s, username), write=False)
        if snap is None:
            self._verify(self._dummy_hash(), password)  # the same time as a real check
            self._run(
                lambda s: self._event(
                    s, AuthEventKind.SIGN_IN_FAILED, None, detail="unknown or inactive user"
                )
            )
            raise SignInFailed()
        now = self._now()
        if snap.locked_until is not None and now < snap.locked_until:
            self._run(lambda s: self._event(s, AuthEventKind.REFUSED_LOCKED, username))
            raise self._locked(snap.locked_until)
        secret = _normal_code(password) if snap.must_set else password
        ok = snap.password_hash is not None and self._verify(snap.password_hash, secret)
        new_hash = rehash = None
        if ok and new_password is not None:
            new_hash = self.hasher.hash(new_password)
        elif ok and not snap.must_set and snap.password_hash is not None:
            if self._needs_rehash(snap.password_hash):
                rehash = self.hasher.hash(password)
        kind, until, op = self._run(
            lambda s: self._settle(s, snap, ok=ok, new_hash=new_hash, rehash=rehash)
        )
        if kind == "ok":
            assert op is not None
            return self._remember(op)
        if kind == "locked":
            raise self._locked(until)
        if kind == "must_set":
            raise PasswordChangeRequired(detail=username)
        if kind == "expired":
            raise OneTimeCodeExpired(detail=username)
        raise SignInFailed()

    def sign_out(self, username: str) -> None:
        """End ``username``'s session here (idle lock, exit, or a witness after the act)."""
        with self._lock:
            was = self._sessions.pop(username, None)
        if was is not None:
            self._run(lambda s: self._event(s, AuthEventKind.SIGN_OUT, username))

    def change_password(self, username: str, old: str, new: str) -> Operator:
        """The user changes their own password (``old`` may be a one-time code)."""
        return self.sign_in(username, old, new_password=new)

    # -- supervisors and set-up ----------------------------------------------------------------

    def reset_password(self, username: str, *, by: str) -> str:
        """A signed-in supervisor resets ``username``: the old password stops working, any
        lock is lifted, and the returned one-time code lets the user set a new password."""
        if username == by:
            raise PermissionDenied(
                "不能重置自己的密码，请用 user passwd (use `user passwd` for your own password)",
                detail=by,
            )
        code, hashed = self.one_time_code()

        def work(s: Session) -> None:
            self._check(s, by, "setup")
            user = s.get(User, username, with_for_update=True)
            if user is None:
                raise PermissionDenied(f"用户{username!r}不存在 (unknown user)", detail=username)
            self.issue(s, user, hashed, by=by, kind=AuthEventKind.PASSWORD_RESET)

        self._run(work)
        with self._lock:
            self._sessions.pop(username, None)
        return code

    def one_time_code(self) -> tuple[str, str]:
        """A new one-time code and its hash; hash outside the transaction that stores it."""
        code = new_one_time_code()
        return code, self.hasher.hash(_normal_code(code))

    def issue(
        self,
        s: Session,
        user: User,
        hashed_code: str,
        *,
        by: str,
        kind: AuthEventKind = AuthEventKind.ONE_TIME_ISSUED,
    ) -> None:
        """Give ``user`` (new or reset, in ``s``) a one-time code: the password must be set."""
        user.password_hash = hashed_code
        user.must_set_password = True
        user.password_set_at = self._now()
        user.failed_sign_ins = 0
        user.locked_until = None
        user.credential_version = (user.credential_version or 0) + 1
        self._event(s, kind, user.username, actor=by)

    def bootstrap(self, username: str, password: str, *, display_name: str = "") -> Operator:
        """Enrol the first supervisor with their own password and sign them in.  Allowed only
        while no user in the book has credentials; creates the user if absent."""
        if not 0 < len(username) <= MAX_USERNAME:
            raise InventoryError("用户名长度不符 (user name length)", detail=str(len(username)))
        single_line(username, "用户名 user name", MAX_USERNAME)  # printed in lists and reports
        single_line(display_name, "姓名 name", 100)
        check_password_rules(username, password)
        hashed = self.hasher.hash(password)

        def work(s: Session) -> tuple[Operator, int]:
            # the ledger head row serialises two bootstraps racing on PostgreSQL
            s.execute(select(LedgerHead.id).where(LedgerHead.id == 1).with_for_update())
            enrolled = s.execute(
                select(User.username).where(User.password_hash.is_not(None)).limit(1)
            ).first()
            if enrolled is not None:
                raise PermissionDenied(
                    "已有用户设置了密码，须由已登录的主管添加用户 "
                    "(users already have credentials: a signed-in supervisor adds users)",
                    detail="bootstrap refused",
                )
            now = self._now()
            user = s.get(User, username)
            if user is None:
                user = User(
                    username=username,
                    role=Role.SUPERVISOR.value,
                    display_name=display_name,
                    active=True,
                    created_at=now,
                    credential_version=0,
                )
                s.add(user)
            elif user.role != Role.SUPERVISOR.value or not user.active:
                raise PermissionDenied(
                    f"首位用户须为在职主管 (the first enrolled user must be an active "
                    f"supervisor): {username}",
                    detail=user.role,
                )
            user.password_hash = hashed
            user.must_set_password = False
            user.password_set_at = now
            user.failed_sign_ins = 0
            user.locked_until = None
            user.credential_version = (user.credential_version or 0) + 1
            self._event(s, AuthEventKind.PASSWORD_SET, username, detail="first supervisor")
            self._event(s, AuthEventKind.SIGN_IN, username)
            return self._operator(user, now)

        return self._remember(self._run(work))

    # -- the record ------------------------------------------------------------------------

    def events(self, username: str | None = None, *, limit: int = 200) -> list[AuthEventInfo]:
        """The newest authentication events (of ``username`` if given), newest first."""

        def work(s: Session) -> list[AuthEventInfo]:
            q = select(AuthEvent).order_by(AuthEvent.id.desc()).limit(limit)
            if username is not None:
                q = q.where(AuthEvent.username == username)
            return [
                AuthEventInfo(e.id, e.ts, AuthEventKind(e.kind), e.username, e.actor, e.detail)
                for e in s.execute(q).scalars()
            ]

        return self._run(work, write=False)  # type: ignore[no-any-return]

    # -- inside ----------------------------------------------------------------------------

    def _event(
        self,
        s: Session,
        kind: AuthEventKind,
        username: str | None,
        *,
        actor: str | None = None,
        detail: str = "",
    ) -> None:
        s.add(
            AuthEvent(
                ts=self._now(), kind=kind.value, username=username, actor=actor, detail=detail
            )
        )

    def _snapshot(self, s: Session, username: str) -> _Snapshot | None:
        u = s.get(User, username)
        if u is None or not u.active:
            return None
        return _Snapshot(
            u.username,
            u.role,
            u.display_name,
            u.password_hash,
            bool(u.must_set_password),
            u.password_set_at,
            u.locked_until,
            u.credential_version,
        )

    def _settle(
        self,
        s: Session,
        snap: _Snapshot,
        *,
        ok: bool,
        new_hash: str | None,
        rehash: str | None,
    ) -> tuple[str, dt.datetime | None, tuple[Operator, int] | None]:
        """Record the outcome of one checked attempt under the user-row lock.  Returns the
        outcome instead of raising, so the failure count and events are committed."""
        u = s.get(User, snap.username, with_for_update=True)
        now = self._now()
        if u is None or not u.active or u.credential_version != snap.version:
            return "failed", None, None  # changed under us (reset, disabled): try again
        if u.locked_until is not None and now < u.locked_until:
            self._event(s, AuthEventKind.REFUSED_LOCKED, u.username)
            return "locked", u.locked_until, None
        if not ok:
            u.failed_sign_ins = (u.failed_sign_ins or 0) + 1
            self._event(
                s,
                AuthEventKind.SIGN_IN_FAILED,
                u.username,
                detail=f"{u.failed_sign_ins} consecutive",
            )
            if u.failed_sign_ins >= self.max_failures:
                u.locked_until = now + self.lock_for
                u.failed_sign_ins = 0
                self._event(
                    s,
                    AuthEventKind.LOCKED,
                    u.username,
                    detail=f"until {u.locked_until.isoformat(timespec='seconds')} UTC",
                )
                return "locked", u.locked_until, None
            return "failed", None, None
        u.failed_sign_ins = 0
        u.locked_until = None
        if u.must_set_password and (
            u.password_set_at is None or now - u.password_set_at > ONE_TIME_VALID
        ):
            self._event(s, AuthEventKind.SIGN_IN_FAILED, u.username, detail="one-time code expired")
            return "expired", None, None
        if new_hash is not None:
            first = bool(u.must_set_password)
            u.password_hash = new_hash
            u.must_set_password = False
            u.password_set_at = now
            u.credential_version = (u.credential_version or 0) + 1
            kind = AuthEventKind.PASSWORD_SET if first else AuthEventKind.PASSWORD_CHANGED
            self._event(s, kind, u.username)
        elif u.must_set_password:
            self._event(s, AuthEventKind.PASSWORD_REQUIRED, u.username)
            return "must_set", None, None
        elif rehash is not None:
            u.password_hash = rehash  # same password, today's parameters
        self._event(s, AuthEventKind.SIGN_IN, u.username)
        return "ok", None, self._operator(u, now)

    @staticmethod
    def _operator(u: User, now: dt.datetime) -> tuple[Operator, int]:
        return Operator(u.username, Role(u.role), u.display_name, now), u.credential_version

    def _remember(self, signed: tuple[Operator, int]) -> Operator:
        """Add the user to the signed-in set — only once their sign-in is committed."""
        op, version = signed
        with self._lock:
            self._sessions[op.username] = version
        return op

    def _verify(self, hashed: str, secret: str) -> bool:
        try:
            return bool(self.hasher.verify(hashed, secret))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _needs_rehash(self, hashed: str) -> bool:
        try:
            return bool(self.hasher.check_needs_rehash(hashed))
        except InvalidHashError:
            return False

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy

    @staticmethod
    def _locked(until: dt.datetime | None) -> AccountLocked:
        when = until.isoformat(sep=" ", timespec="minutes") if until else "?"
        return AccountLocked(
            f"账户已暂时锁定，请于{when} (UTC)后再试或请主管重置 "
            f"(account locked until {when} UTC, or ask a supervisor to reset it)"
        )

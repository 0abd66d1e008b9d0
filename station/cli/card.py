"""``station card …`` and ``station pin …``: the clerk's card services from a shell.

PINs are never arguments (they would sit in the shell history and in ``ps``): they are
prompted without echo, or read one per line from stdin with ``--pin-stdin`` for
automation.  Everything else comes from the station's settings (``settings_of``): the card
and PSAM readers, the key file (technicians and tests; otherwise keys come from the PSAM),
the operator and the outlet printed on receipts, and the data folder that keeps the receipt
counter.  Options override a setting for one run.  ``--virtual PROFILE`` runs against an
in-process virtual card (and its virtual PSAM unless keys are given).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from station.apdu.status import SecurityNotSatisfied
from station.apdu.transport import Transport
from station.card.audit import AuditRecord, JsonLinesAuditSink, Operation
from station.card.errors import BlankCard, PsamMissing
from station.card.reader import BLANK_CARD, CardInfo, HolderAuth, basic_read_string, read_card
from station.card.receipt import Receipt, check_staff
from station.card.serial import ReceiptSerials
from station.cli import settings_of
from station.config import Settings
from station.crypto.provider import KeyProvider
from station.errors import NoCard, NoReader, StationError
from station.fsutil import write_file

VIRTUAL_TERMINAL = "000000000000"  # the national "no PSAM terminal number" value


def _card_options(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group()
    where.add_argument("--reader", help="card reader (default: setting card_reader)")
    where.add_argument("--virtual", metavar="PROFILE", help="in-process virtual card profile")
    p.add_argument("--state", metavar="FILE", help="with --virtual: keep the card's state in FILE")
    p.add_argument(
        "--virtual-psam",
        metavar="PROFILE",
        help="with --virtual: PSAM profile (default: a PSAM with the card profile's keys)",
    )
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--psam-reader", help="PSAM reader (default: setting psam_reader)")
    keys.add_argument(
        "--key-file",
        "--keys",
        dest="key_file",
        metavar="FILE",
        help="software key store file, TEST keys (default: setting key_file)",
    )
    p.add_argument(
        "--rk",
        choices=[h.value for h in HolderAuth],
        default="auto",
        help="RK authentication before reading holder data (default: on 6982)",
    )


def _service_options(p: argparse.ArgumentParser) -> None:
    _card_options(p)
    p.add_argument("--pin-stdin", action="store_true", help="read PINs from stdin, one a line")
    p.add_argument("--operator", help="operator (经办人) for this run (default: setting operator)")
    p.add_argument("--outlet", help="outlet (受理网点) for this run (default: setting outlet)")
    p.add_argument("--receipt-pdf", metavar="FILE", help="also write the receipt as PDF")
    p.add_argument("--audit", metavar="FILE", help="append the audit record (JSON lines)")
    p.add_argument("--no-receipt", action="store_true", help="do not print the text receipt")


def register(sub: Any) -> None:
    card = sub.add_parser("card", help="read a social security card, check it is genuine")
    csub = card.add_subparsers(dest="card_command", metavar="ACTION", required=True)
    p = csub.add_parser("read", help="read EF05/EF06 (and check genuineness)")
    _card_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="all items as JSON")
    out.add_argument("--basic", action="store_true", help="the national basic-read string")
    p.add_argument("--device-number", default="", help="device number for --basic")
    p.add_argument("--no-verify", action="store_true", help="skip the genuineness check")
    p.set_defaults(func=cmd_card_read)
    p = csub.add_parser("verify", help="genuineness check (INTERNAL AUTH with IRK)")
    _card_options(p)
    p.set_defaults(func=cmd_card_verify)

    pin = sub.add_parser("pin", help="chip PIN services: verify, change, unlock, reset")
    psub = pin.add_subparsers(dest="pin_command", metavar="ACTION", required=True)
    for name, helptext in (
        ("verify", "check the holder's PIN (密码校验)"),
        ("change", "holder changes the PIN: old once, new twice (密码修改)"),
        ("unlock", "clear the PIN lock, PIN unchanged (密码解锁)"),
        ("reset", "set a new PIN and clear the lock (密码重置)"),
    ):
        p = psub.add_parser(name, help=helptext)
        _service_options(p)
        p.set_defaults(func=cmd_pin, pin_action=name)


# -- wiring ------------------------------------------------------------------------------------


@dataclass
class _Session:
    card: Transport
    provider_factory: Callable[[], KeyProvider]
    _provider: KeyProvider | None = None

    @property
    def provider(self) -> KeyProvider:
        if self._provider is None:
            self._provider = self.provider_factory()
        return self._provider


def connect_psam(reader: str, timeout: float) -> Transport:
    """The PSAM in ``reader``; a missing PSAM (or reader) is named as such, with what to
    do about it, instead of the generic "no card in the reader".  Every exchange has the
    settings' card deadline."""
    from station.apdu.pcsc import PcscTransport

    psam = PcscTransport(reader, timeout=timeout)
    try:
        psam.connect()
    except (NoCard, NoReader) as exc:
        raise PsamMissing.in_reader(reader, no_reader=isinstance(exc, NoReader)) from None
    return psam


@contextmanager
def _session(args: argparse.Namespace, settings: Settings) -> Iterator[_Session]:
    """Open the card transport and (lazily) the key provider the options and settings
    name: ``--key-file`` > ``--psam-reader`` > setting ``key_file`` > setting
    ``psam_reader`` (with ``--virtual``: the profile's own virtual PSAM before the
    settings)."""
    from station.apdu.virtual import VirtualTransport
    from station.crypto.keys import load_keyset
    from station.crypto.provider import PsamKeyProvider, SoftKeyStore

    closers: list[Callable[[], None]] = []
    profile: Any = None
    if (args.state or args.virtual_psam) and not args.virtual:
        raise StationError(
            "--state 和 --virtual-psam 只能与 --virtual 一起使用 (only with --virtual)"
        )
    if args.virtual:
        from station.emulator.cards import make_card
        from station.profiles import load_card_profile

        profile = load_card_profile(args.virtual, settings.profiles_dir)
        card: Transport = VirtualTransport(make_card(profile, state_path=args.state))
    else:
        from station.apdu.pcsc import PcscTransport

        card = PcscTransport(args.reader or settings.card_reader, timeout=settings.card_timeout)
    card.connect()
    closers.append(card.disconnect)

    def provider() -> KeyProvider:
        if args.key_file:
            return SoftKeyStore(load_keyset(args.key_file))
        if profile is not None and not args.psam_reader:
            from station.emulator.cards import make_psam
            from station.emulator.psam import VirtualPsam

            psam = (
                make_psam(args.virtual_psam, directory=settings.profiles_dir)
                if args.virtual_psam
                else VirtualPsam(profile.keyset(), VIRTUAL_TERMINAL)
            )
            psam_t: Transport = VirtualTransport(psam)
            psam_t.connect()
        elif settings.key_file and not args.psam_reader:
            return SoftKeyStore(load_keyset(settings.key_file))
        else:
            psam_t = connect_psam(args.psam_reader or settings.psam_reader, settings.card_timeout)
        closers.append(psam_t.disconnect)
        return PsamKeyProvider(psam_t)

    try:
        yield _Session(card, provider)
    finally:
        for close in reversed(closers):
            try:
                close()
            except StationError:  # pragma: no cover - closing a vanished reader
                pass


def _rk(args: argparse.Namespace) -> HolderAuth:
    return HolderAuth(args.rk)


def _read(s: _Session, args: argparse.Namespace, *, verify: bool) -> CardInfo:
    """Read the card; the key provider is opened only when needed, so a gen-2 read
    without genuineness check needs no PSAM at all."""
    if verify or args.rk == "always":
        return read_card(s.card, s.provider, holder_auth=_rk(args), check_genuineness=verify)
    try:
        return read_card(s.card, None, holder_auth=_rk(args))
    except SecurityNotSatisfied:
        if args.rk == "never":
            raise
        return read_card(s.card, s.provider, holder_auth=HolderAuth.ALWAYS)


def _info_json(info: CardInfo) -> dict[str, Any]:
    def v(x: Any) -> Any:
        return x.isoformat() if isinstance(x, _dt.date) else x

    i, h = info.issuer, info.holder
    return {
        "alg": info.alg.value,
        "atr": info.atr.hex().upper(),
        "historical": info.historical.hex().upper(),
        "genuine": info.genuine,
        "blank": info.blank,
        "issuer": {k: v(getattr(i, k)) for k in i.__dataclass_fields__},
        "region": i.region,
        "holder": None
        if h is None
        else {k: v(getattr(h, k)) for k in h.__dataclass_fields__ if k != "other_ssn"},
        "records": {f"{t:02X}": r.hex().upper() for t, r in sorted(info.records.items())},
        "warnings": list(info.warnings),
    }


def cmd_card_read(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    with _session(args, settings) as s:
        info = _read(s, args, verify=not args.no_verify)
        if args.basic:
            print(basic_read_string(info, s.provider.terminal_number(), args.device_number))
        elif args.json:
            print(json.dumps(_info_json(info), ensure_ascii=False, indent=2))
        else:
            i = info.issuer
            rows = [("社保卡号 card number", i.card_number or "")]
            if info.blank:
                rows.append(("持卡人 holder", BLANK_CARD))
            else:
                rows += [("姓名 name", info.name), ("社会保障号码 SSN", info.ssn)]
            rows += [
                ("卡识别码 card id", i.card_id_code or ""),
                ("发卡日期 issued", str(i.issue_date or "")),
                ("有效期 expiry", str(i.expiry or "")),
                ("规范版本 spec", i.spec_version or ""),
                ("算法 algorithm", info.alg.value),
                ("真伪 genuine", {True: "是 yes", None: "未校验 not checked"}[info.genuine]),
            ]
            for label, value in rows:
                print(f"{label}: {value}")
            for w in info.warnings:
                print(f"注意 warning: {w}")
    return 0


def cmd_card_verify(args: argparse.Namespace) -> int:
    with _session(args, settings_of(args)) as s:
        info = _read(s, args, verify=True)
        print(f"卡片为真卡 (card is genuine): {info.card_number}")
    return 0


# -- PIN services -----------------------------------------------------------------------------


class _PinSource:
    """PINs from the terminal without echo, or from stdin lines (``--pin-stdin``)."""

    def __init__(self, from_stdin: bool) -> None:
        self._stdin = from_stdin

    def __call__(self, prompt: str) -> str:
        if self._stdin:
            line = sys.stdin.readline()
            if not line:
                raise StationError(
                    "标准输入中的密码不足 (not enough PIN lines on stdin)", detail=prompt
                )
            return line.rstrip("\r\n")
        if not _has_terminal():  # getpass would read stdin with the PIN shown: refuse
            raise StationError(
                "没有终端，无法不回显地输入密码，请用 --pin-stdin "
                "(no terminal to type the PIN unseen: use --pin-stdin)"
            )
        return getpass.getpass(prompt)


def _has_terminal() -> bool:
    """Whether this process has a terminal that getpass can ask on without echo."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


_OPERATIONS = {
    "verify": Operation.PIN_VERIFY,
    "change": Operation.PIN_CHANGE,
    "unlock": Operation.PIN_UNLOCK,
    "reset": Operation.PIN_RESET,
}


def cmd_pin(args: argparse.Namespace) -> int:
    """Run one PIN service.  Operator and outlet are checked before the card is touched
    (a service must end with a receipt); the genuineness check is the service's own."""
    from station.card import pin as P

    settings = settings_of(args)
    operator = settings.operator if args.operator is None else args.operator
    outlet = settings.outlet if args.outlet is None else args.outlet
    check_staff(outlet=outlet, operator=operator)
    serials = ReceiptSerials(settings.data_dir, settings.station_id)
    ask = _PinSource(args.pin_stdin)
    op = _OPERATIONS[args.pin_action]
    with _session(args, settings) as s:
        info = _read(s, args, verify=False)
        if info.blank:
            raise BlankCard(detail=f"card number {info.card_number or 'none'}")
        error: StationError | None = None
        try:
            ctx = info.key_context
            born = info.holder.birth_date if info.holder is not None else None
            if args.pin_action == "verify":
                P.verify_pin(s.card, s.provider, ctx, ask("请输入密码 PIN: "))
                result = "密码正确"
            elif args.pin_action == "change":
                old = ask("请输入原密码 old PIN: ")
                new = ask("请输入新密码 new PIN: ")
                again = ask("请再次输入新密码 new PIN again: ")
                P.change_pin(
                    s.card, s.provider, ctx, old, new, again, ssn=info.ssn or None, birth_date=born
                )
                result = "密码已修改"
            elif args.pin_action == "unlock":
                P.unlock_pin(s.card, s.provider, ctx)
                result = "密码已解锁"
            else:
                new = ask("请输入新密码 new PIN: ")
                again = ask("请再次输入新密码 new PIN again: ")
                P.reset_pin(
                    s.card, s.provider, ctx, new, again, ssn=info.ssn or None, birth_date=born
                )
                result = "密码已重置"
        except StationError as exc:
            error = exc
            result = exc.message
        _finish(args, info, op, error, result, operator, outlet, serials)
        if error is not None:
            raise error
    return 0


def _finish(
    args: argparse.Namespace,
    info: CardInfo,
    op: Operation,
    error: StationError | None,
    result: str,
    operator: str,
    outlet: str,
    serials: ReceiptSerials,
) -> None:
    now = _dt.datetime.now().astimezone()
    if args.audit:
        JsonLinesAuditSink(args.audit).write(
            AuditRecord.of(
                operator=operator,
                station=outlet,
                card_number=info.card_number,
                ssn=info.ssn,
                operation=op,
                error=error,
                time=now,
            )
        )
    receipt = Receipt(
        outlet=outlet,
        operator=operator,
        time=now,
        operation=op,
        card_number=info.card_number,
        masked_ssn=info.ssn,
        name=info.name,
        success=error is None,
        serial=serials.next(now.date()),
        result_text=result,
    )
    if not args.no_receipt:
        print(receipt.text())
    if args.receipt_pdf:
        write_file(args.receipt_pdf, receipt.pdf())

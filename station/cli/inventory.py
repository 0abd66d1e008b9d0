"""``station inventory …``: the pre-made card stock book from the command line.

Every command takes ``--db URL`` (a URL or a plain SQLite file path; default: the settings'
``db_url``) and, where someone acts, ``--user NAME`` (default: the settings' ``operator``)
— the role check happens in the service, not here.  Refusals are ``StationError``s, which the CLI
root prints as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.cli import db_url_arg
from station.errors import StationError

# argparse choices, spelled here so `station --help` does not import the database layer;
# the handlers turn them into the enums (an unknown value could not get this far)
_ROLES = ("teller", "supervisor", "technician", "auditor")
_KINDS = ("drawer", "station", "vault", "reject")


def _inv(args: argparse.Namespace) -> Any:
    # one Inventory per command: the password is proved to the object that then acts
    inv = getattr(args, "inventory", None)
    if inv is None:
        from station.inventory import Inventory

        inv = args.inventory = Inventory(_db_url(args))
    return inv


def _db_url(args: argparse.Namespace) -> str:
    """``--db`` (already a URL: ``db_url_arg``) or the settings' database."""
    from station.cli import settings_of

    return str(args.db or settings_of(args).db_url)


def _operator(args: argparse.Namespace) -> str:
    """``--user`` or the settings' operator (``STATION_OPERATOR``/``STATION_USER``)."""
    from station.cli import settings_of

    return str(args.user or settings_of(args).operator)


def _user(args: argparse.Namespace) -> str:
    user = _operator(args)
    if not user:
        raise StationError(
            "须指定操作员 --user 或设置 operator (acting user required: --user or the "
            "operator setting, STATION_OPERATOR)"
        )
    from station.cli import signin

    return signin.sign_in(_inv(args), args, str(user))  # the name alone proves nothing


def _witness(args: argparse.Namespace) -> str:
    """The second signer: a different person, who proves their own password too."""
    from station.cli import signin

    by = _user(args)
    if args.witness == by:
        raise StationError("见证人须为另一人 (the witness must be a different person)")
    return signin.sign_in(_inv(args), args, args.witness, as_witness=True)


def _read_text(path: str) -> bytes:
    """A manifest or count list (bounded: ``station.textfile``), or stdin for ``-``."""
    from station.textfile import MAX_MANIFEST_BYTES, read_bytes

    if path != "-":
        return read_bytes(path, StationError, "文件", "file", max_bytes=MAX_MANIFEST_BYTES)
    try:
        data = sys.stdin.buffer.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise StationError(f"无法读取文件 (cannot read file): {path}", detail=str(exc)) from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise StationError(
            "输入过大 (input too large)", detail=f"stdin: more than {MAX_MANIFEST_BYTES} bytes"
        )
    return data


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise StationError("日期应为YYYY-MM-DD (date must be YYYY-MM-DD)", detail=value) from None


def _table(header: tuple[str, ...] | list[str], rows: list[tuple[Any, ...]]) -> None:
    """Tab-separated rows.  Text is checked when it is typed (the service refuses a line
    break or escape sequence); a cell that got into the book some other way (an old row, a
    hand edit) is shown escaped, so it can neither drive the terminal nor add a line."""
    from station.text import escaped

    print("\t".join(escaped(h) for h in header))
    for r in rows:
        print("\t".join("" if c is None else escaped(c) for c in r))


# -- handlers ---------------------------------------------------------------------------


def _cmd_init(args: argparse.Namespace) -> int:
    from station.inventory import Inventory
    from station.inventory.db import make_engine, migrate

    engine = make_engine(_db_url(args))
    migrate(engine)
    if getattr(args, "supervisor", None):
        from station.cli import signin

        # the first supervisor's own password; refused once any user has credentials
        inv = Inventory(engine)
        prompt = f"主管 {args.supervisor} 的新密码 (new password for {args.supervisor}): "
        inv.auth.bootstrap(args.supervisor, signin.source(args).read(prompt, confirm=True))
        print(f"首位主管已设置密码 first supervisor enrolled: {args.supervisor}")
    print(f"库存数据库已就绪 (schema up to date): {engine.url.render_as_string()}")
    return 0


def _cmd_user_add(args: argparse.Namespace) -> int:
    from station.cli import signin
    from station.inventory import Role

    if args.verb == "passwd":  # one's own password: current (or one-time code), then new
        who = args.username or _operator(args)
        if not who:
            raise StationError("须指定用户 --user (user required)")
        src = signin.source(args)
        old = src.read(f"{who} 的当前密码或一次性密码 (current password or one-time code): ")
        _inv(args).auth.change_password(who, old, src.read("新密码 (new password): ", confirm=True))
        print(f"密码已设置 password set: {who}")
        return 0
    if args.verb == "list":
        return _cmd_user_list(args)
    if not args.username:
        raise StationError("须指定用户名 (user name required)")
    if args.verb == "reset-password":
        code = _inv(args).auth.reset_password(args.username, by=_user(args))
        print(f"已重置 password reset: {args.username}; 一次性密码 one-time code: {code}")
        return 0
    if not args.role:
        raise StationError("须指定角色 --role (role required)")
    code = _inv(args).add_user(
        args.username, Role(args.role), display_name=args.name, by=_user(args)
    )
    print(f"已添加用户 user added: {args.username} ({args.role}); 一次性密码 one-time code: {code}")
    print("请交给该用户，首次登录时设置自己的密码 (hand it over: they set their own password)")
    return 0


def _cmd_bank_add(args: argparse.Namespace) -> int:
    if args.verb == "list":
        _table(("代码 code", "名称 name"), [(b.code, b.name) for b in _inv(args).banks()])
        return 0
    code = _code(args)
    if _inv(args).add_bank(code, args.name, by=_user(args)):
        print(f"已添加银行 bank added: {code}")
    else:
        print(f"银行已存在，未更改 bank exists (unchanged): {code}")
    return 0


def _cmd_maker_add(args: argparse.Namespace) -> int:
    if args.verb == "list":
        rows = [(m.code, m.name) for m in _inv(args).manufacturers()]
        _table(("代码 code", "名称 name"), rows)
        return 0
    code = _code(args)
    if _inv(args).add_manufacturer(code, args.name, by=_user(args)):
        print(f"已添加制卡商 manufacturer added: {code}")
    else:
        print(f"制卡商已存在，未更改 manufacturer exists (unchanged): {code}")
    return 0


def _code(args: argparse.Namespace) -> str:
    if not args.code:
        raise StationError("须指定代码 (code required)")
    return str(args.code)


def _cmd_user_list(args: argparse.Namespace) -> int:
    rows = [
        (u.username, u.role.value, u.display_name, "是 yes" if u.active else "否 no")
        for u in _inv(args).users()
    ]
    _table(("用户 user", "角色 role", "姓名 name", "启用 active"), rows)
    return 0


def _cmd_location_add(args: argparse.Namespace) -> int:
    from station.inventory import LocationKind

    if args.verb == "list":
        rows = [(x.code, x.kind.value, x.owner, x.name) for x in _inv(args).locations()]
        _table(("位置 location", "类型 kind", "保管人 owner", "名称 name"), rows)
        return 0
    if not args.code or not args.kind:
        raise StationError("须指定位置代码和 --kind (location code and --kind required)")

    _inv(args).add_location(
        args.code, LocationKind(args.kind), owner=args.owner, name=args.name, by=_user(args)
    )
    print(f"已添加位置 location added: {args.code} ({args.kind})")
    return 0


def _cmd_setting(args: argparse.Namespace) -> int:
    inv = _inv(args)
    if args.value is not None:
        inv.set_setting(args.key, args.value, by=_user(args))
    from station.text import escaped

    print(f"{escaped(args.key)}={escaped(inv.setting(args.key))}")
    return 0


def _cmd_stock_in(args: argparse.Namespace) -> int:
    from station.inventory import ManifestError

    data = _read_text(args.manifest)
    try:
        r = _inv(args).stock_in(
            data,
            by=_user(args),
            bank=args.bank,
            manufacturer=args.manufacturer,
            name=Path(args.manifest).name,
        )
    except ManifestError as exc:
        print(exc.report(), file=sys.stderr)
        raise
    print(f"已入库 stocked in: batch #{r.batch_id}, {r.count} cards, {r.bank}/{r.manufacturer}")
    return 0


def _cmd_allocate(args: argparse.Namespace) -> int:
    cards = _inv(args).allocate(args.to, args.count, bank=args.bank, by=_user(args))
    print(f"已配发 allocated {len(cards)} → {args.to}: {cards[0]} … {cards[-1]}")
    return 0


def _cmd_reserve(args: argparse.Namespace) -> int:
    b = _inv(args).reserve(args.location, args.bank, args.job, by=_user(args))
    print(f"{b.card_number}\t{b.card_id_code}\t{b.bank}\t{b.location}\tjob {b.job_id}")
    return 0


def _cmd_issue(args: argparse.Namespace) -> int:
    b = _inv(args).issue(args.card, args.job, by=_user(args))
    print(f"已发卡 issued: {b.card_number} (job {b.job_id})")
    return 0


def _cmd_spoil(args: argparse.Namespace) -> int:
    b = _inv(args).spoil(args.card, args.reason, by=_user(args), job_id=args.job)
    print(f"已记废卡 spoiled: {b.card_number} → {b.location}")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    b = _inv(args).release(args.card, by=_user(args), job_id=args.job, reason=args.reason)
    print(f"已释放 released: {b.card_number} → {b.location}")
    return 0


def _cmd_return(args: argparse.Namespace) -> int:
    n = _inv(args).return_(args.cards, args.reason, by=_user(args))
    print(f"已退回 returned: {n} cards")
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    inv = _inv(args)
    seen = None
    counted = None
    if args.cards:
        seen = _read_text(args.cards).decode("utf-8-sig").split()
    else:
        counted = {}
        for item in args.counted or []:
            bank, _, n = item.partition("=")
            if not n.isdigit():
                raise StationError("数量格式应为 BANK=N (use BANK=N)", detail=item)
            counted[bank] = int(n)
    r = inv.count(args.location, by=_user(args), seen=seen, counted=counted)
    print(f"盘点 count #{r.count_id} {r.location}: {r.status.value}  (in jobs: {r.in_jobs})")
    for bank, expected, got in r.lines:
        print(f"  {bank}: 账面 book {expected}, 实点 counted {got}")
    for c in r.missing:
        print(f"  缺少 missing: {c}")
    for c in r.extra:
        print(f"  多出 extra: {c}")
    _print_head(_witness_head(args))
    return 0 if r.matched else 1


def _witness_head(args: argparse.Namespace) -> Any:
    """Append the ledger head to the station's witness file (``Settings.witness_path()``,
    outside the database) and return the witnessed line."""
    from station.cli import settings_of

    return _inv(args).witness(settings_of(args).witness_path())


def _head_text(w: Any) -> str:
    return f"账头 ledger head: {w.rows} rows, SM3 {w.head} ({w.at})"


def _print_head(w: Any, *, file: Any = None) -> None:
    print(_head_text(w), file=file or sys.stdout)


def _cmd_resolve(args: argparse.Namespace) -> int:
    r = _inv(args).resolve(args.count_id, by=_user(args), note=args.note, lost=args.lost or [])
    print(f"盘点差异已处理 count #{r.count_id} resolved; lost: {len(args.lost or [])}")
    return 0


def _cmd_destroy(args: argparse.Namespace) -> int:
    from station.inventory import State

    inv = _inv(args)
    cards = list(args.cards)
    if args.all_spoiled:
        cards += [b.card_number for b in inv.blanks(state=State.SPOILED)]
    did = inv.destroy(cards, by=_user(args), witness=_witness(args), reason=args.reason)
    print(f"已销毁 destroyed: {len(cards)} cards, record #{did}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from station.inventory import reports

    inv = _inv(args)
    day = _day(args.day) or inv.today()
    if args.kind == "balance":
        header: tuple[str, ...] = reports.BALANCE_HEADER
        rows = reports.balance_table(inv.balance(day, location=args.location, bank=args.bank))
        title = f"预制卡日结表 daily balance {day}"
    elif args.kind == "spoiled":
        header, rows = reports.dataclass_table(reports.spoiled_and_destroyed(inv, day))
        title = f"废卡及销毁 spoiled and destroyed {day}"
    else:
        header, rows = reports.dataclass_table(reports.idle_in_drawers(inv, args.days))
        title = f"卡箱中超过{args.days}天未动的预制卡 blanks idle > {args.days} days"
    if not header:
        header = ("(none)",)
    head = _witness_head(args) if args.kind == "balance" else None
    if args.format == "csv":
        if args.out:
            from station.fsutil import write_file

            buf = io.StringIO()
            reports.write_csv(buf, header, rows)
            write_file(args.out, buf.getvalue())  # 0600, atomic, never through a symlink
        else:
            reports.write_csv(sys.stdout, header, rows)
    elif args.format == "pdf":
        if not args.out:
            raise StationError("PDF报表须指定 --out 文件 (PDF needs --out FILE)")
        footer = _head_text(head) if head is not None else ""
        reports.write_pdf(args.out, title, header, rows, footer=footer)
    elif args.out:
        from station.fsutil import write_file

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            print(title)
            _table(header, rows)
            if head is not None:
                _print_head(head, file=buf)
        write_file(args.out, buf.getvalue())  # 0600, atomic, never through a symlink
        head = None  # already in the file
    else:
        print(title)
        _table(header, rows)
    if head is not None:  # CSV on stdout stays a clean table: the head goes to stderr
        _print_head(head, file=sys.stderr if args.format == "csv" else sys.stdout)
    if args.out:
        print(f"已写入 written: {args.out}", file=sys.stderr)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    """Every problem on stdout (at most ``_SHOWN`` lines), then one error line on stderr
    naming the worst one; the station's witness file gets the head only when all is well."""
    from station.inventory import LedgerTampered

    rep = _inv(args).verify_ledger(witness=args.witness_file)
    problems = [rep.problem] if rep.problem else []
    problems += rep.mismatches + rep.witness_problems
    for line in problems[:_SHOWN]:
        print(f"  {line}")
    if len(problems) > _SHOWN:
        print(f"  … (+{len(problems) - _SHOWN} more)")
    if rep.first_bad_seq is not None or rep.problem:
        raise LedgerTampered(rep.problem, detail=f"first bad row seq={rep.first_bad_seq}")
    if rep.mismatches:
        raise LedgerTampered(
            f"库存状态与账本不符{len(rep.mismatches)}处 "
            f"(stock rows differ from the ledger in {len(rep.mismatches)} place(s))",
            detail=rep.mismatches[0],
        )
    if rep.witness_problems:
        raise LedgerTampered(
            f"见证的账头有{len(rep.witness_problems)}处已不在账本中 "
            f"({len(rep.witness_problems)} witnessed head(s) no longer in the ledger: "
            f"truncated or rewritten)",
            detail=rep.witness_problems[0],
        )
    witnessed = f", {rep.witnessed} witnessed heads found" if args.witness_file else ""
    print(f"账本完整 ledger OK: {rep.rows} rows, chain and replay verified{witnessed}")
    _print_head(_witness_head(args))
    return 0


_SHOWN = 50


def _cmd_status(args: argparse.Namespace) -> int:
    st = _inv(args).status()
    _table(
        ("位置 location", "银行 bank", "状态 state", "数量 count"),
        [(x.location or "-", x.bank, x.state.value, x.count) for x in st.stock],
    )
    print(f"账本行数 ledger rows: {st.ledger_rows}")
    print(f"每日盘点 daily count required: {st.require_daily_count}")
    if st.count_missing_today:
        print("今日未盘点 not counted today: " + ", ".join(st.count_missing_today))
    for cid, loc in st.discrepancies:
        print(f"待处理差异 open discrepancy: count #{cid} at {loc}")
    return 0


# -- parser -----------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=db_url_arg,
        default=None,
        help="database URL or SQLite file path (default: the db_url setting)",
    )
    common.add_argument(
        "--user", "-u", default=None, help="acting user (default: the operator setting)"
    )
    from station.cli import signin

    signin.add_option(common)

    inv = sub.add_parser("inventory", help="预制卡库存 pre-made card stock")
    isub = inv.add_subparsers(dest="inventory_command", metavar="ACTION")
    inv.set_defaults(func=lambda a: (inv.print_help(sys.stderr), 2)[1])

    def add(name: str, func: Any, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = isub.add_parser(name, parents=[common], help=help_)
        p.set_defaults(func=func)
        return p

    _setup_parsers(add)
    _movement_parsers(add)
    _book_parsers(add)


def _setup_parsers(add: Callable[[str, Any, str], argparse.ArgumentParser]) -> None:
    p = add("init", _cmd_init, "create or upgrade the schema (Alembic)")
    p.add_argument("--supervisor", help="also create this first supervisor")
    add("migrate", _cmd_init, "upgrade the schema to the newest revision")

    p = add("user", _cmd_user_add, "user add NAME --role ROLE | user passwd | reset-password NAME")
    p.add_argument("verb", choices=["add", "list", "passwd", "reset-password"])
    p.add_argument("username", nargs="?")
    p.add_argument("--role", choices=_ROLES)
    p.add_argument("--name", default="")

    for name, func in (("bank", _cmd_bank_add), ("manufacturer", _cmd_maker_add)):
        p = add(name, func, f"{name} add CODE [NAME] | {name} list")
        p.add_argument("verb", choices=["add", "list"])
        p.add_argument("code", nargs="?")
        p.add_argument("name", nargs="?", default="")

    p = add("location", _cmd_location_add, "location add CODE --kind KIND | location list")
    p.add_argument("verb", choices=["add", "list"])
    p.add_argument("code", nargs="?")
    p.add_argument("--kind", choices=_KINDS)
    p.add_argument("--owner")
    p.add_argument("--name", default="")

    p = add("setting", _cmd_setting, "setting KEY [VALUE] (e.g. require_daily_count false)")
    p.add_argument("key")
    p.add_argument("value", nargs="?")


def _movement_parsers(add: Callable[[str, Any, str], argparse.ArgumentParser]) -> None:
    p = add("stock-in", _cmd_stock_in, "receive a manifest of cards into the vault")
    p.add_argument("--manifest", required=True, help="CSV manifest file ('-' = stdin)")
    p.add_argument("--bank")
    p.add_argument("--manufacturer")

    p = add("allocate", _cmd_allocate, "vault → drawer/station")
    p.add_argument("--to", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--bank", required=True)

    p = add("reserve", _cmd_reserve, "bind a blank to an issuance job")
    p.add_argument("--location", required=True)
    p.add_argument("--bank", required=True)
    p.add_argument("--job", required=True)

    p = add("issue", _cmd_issue, "mark a reserved blank issued")
    p.add_argument("card")
    p.add_argument("--job", required=True)

    p = add("spoil", _cmd_spoil, "mark a reserved blank spoiled (to the reject box)")
    p.add_argument("card")
    p.add_argument("--reason", required=True)
    p.add_argument("--job")

    p = add("release", _cmd_release, "give a reserved, untouched blank back to its drawer")
    p.add_argument("card")
    p.add_argument("--job")
    p.add_argument("--reason", default="")

    p = add("return", _cmd_return, "return unused blanks (leave stock)")
    p.add_argument("cards", nargs="+")
    p.add_argument("--reason", required=True)


def _book_parsers(add: Callable[[str, Any, str], argparse.ArgumentParser]) -> None:
    p = add("count", _cmd_count, "count a location (exit 1 on a discrepancy)")
    p.add_argument("--location", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--cards", help="file with the card numbers seen, whitespace separated")
    g.add_argument("--counted", nargs="+", metavar="BANK=N", help="quantities per bank")

    p = add("resolve", _cmd_resolve, "supervisor settles a count discrepancy")
    p.add_argument("count_id", type=int)
    p.add_argument("--note", required=True)
    p.add_argument("--lost", nargs="*", help="card numbers to declare LOST")

    p = add("destroy", _cmd_destroy, "destroy spoiled blanks (two people)")
    p.add_argument("cards", nargs="*")
    p.add_argument("--all-spoiled", action="store_true")
    p.add_argument("--witness", required=True)
    p.add_argument("--reason", default="销毁 destroyed")

    p = add("report", _cmd_report, "daily balance / spoiled / idle reports")
    p.add_argument("--kind", choices=["balance", "spoiled", "idle"], default="balance")
    p.add_argument("--day", help="YYYY-MM-DD (default today)")
    p.add_argument("--days", type=int, default=30, help="idle threshold in days")
    p.add_argument("--location")
    p.add_argument("--bank")
    p.add_argument("--format", choices=["table", "csv", "pdf"], default="table")
    p.add_argument("--out")

    p = add("verify-ledger", _cmd_verify, "check the hash chain and replay the ledger")
    p.add_argument(
        "--witness",
        dest="witness_file",
        metavar="FILE",
        help="prove every ledger head witnessed in FILE is still in the chain",
    )
    add("status", _cmd_status, "stock by location/state, counts, discrepancies")

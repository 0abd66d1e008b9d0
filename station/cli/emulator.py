"""``station emulator …`` and ``station profile …``: virtual cards for technicians.

* ``emulator serve`` shows a virtual card (or PSAM) in a vpcd reader slot until Ctrl-C,
  so any PC/SC program — ours or a teller system — can talk to it;
* ``emulator list`` shows the profiles;
* ``emulator make-blanks`` writes a set of virtual pre-made cards and their manifest;
* ``profile check`` validates a profile file and names the line of any defect.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from types import FrameType

from station.errors import StationError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    emu = sub.add_parser("emulator", help="virtual cards and PSAMs (虚拟卡)")
    esub = emu.add_subparsers(dest="emulator_command", metavar="ACTION", required=True)

    serve = esub.add_parser("serve", help="present a virtual card in a vpcd reader slot")
    serve.add_argument("--profile", help="profile name or .toml path")
    serve.add_argument(
        "--state", type=Path, help="state file: the card survives restarts (created if missing)"
    )
    serve.add_argument("--slot", type=int, choices=(0, 1), default=0, help="vpcd slot (0 or 1)")
    serve.add_argument(
        "--for",
        dest="duration",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="remove the card after this many seconds (default: at Ctrl-C)",
    )
    serve.set_defaults(func=_serve)

    lst = esub.add_parser("list", help="list the card profiles")
    lst.set_defaults(func=_list)

    mb = esub.add_parser("make-blanks", help="write virtual pre-made blank cards + manifest.csv")
    mb.add_argument("--profile", required=True, help="profile name or .toml path")
    mb.add_argument("--count", type=int, required=True, help="number of cards")
    mb.add_argument("--out", type=Path, required=True, help="output folder")
    mb.add_argument("--bank", help="bank name (default: the profile's [blanks] bank)")
    mb.add_argument("--manufacturer", help="card manufacturer (default: the profile's)")
    mb.add_argument("--first-serial", type=int, help="first card serial (default: random)")
    mb.set_defaults(func=_make_blanks)

    prof = sub.add_parser("profile", help="card profiles (卡片配置)")
    psub = prof.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    chk = psub.add_parser("check", help="validate a profile file")
    chk.add_argument("file", help="profile .toml path or name")
    chk.set_defaults(func=_check)


def _serve(args: argparse.Namespace) -> int:
    from station.apdu.cardos import CardOS
    from station.cli import settings_of
    from station.emulator.blanks import load_blank
    from station.emulator.cards import make_card, make_psam
    from station.emulator.vpcd import VpcdLink, reader_name, slot_port
    from station.profiles import CardProfile, load_profile

    card: CardOS
    if args.profile is None:
        if args.state is None or not args.state.exists():
            raise StationError(
                "请指定 --profile 或已有的 --state 文件 (give --profile or an existing --state)"
            )
        card = load_blank(args.state)
        what = f"{args.state.name}"
    else:
        profile = load_profile(args.profile, settings_of(args).profiles_dir)
        if isinstance(profile, CardProfile):
            card = make_card(profile, state_path=args.state)
        else:
            if args.state is not None:
                raise StationError("PSAM没有状态文件 (a PSAM has no state file)")
            card = make_psam(profile)
        what = profile.name
    stop = threading.Event()

    def _on_term(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, _on_term)
    link = VpcdLink(card, port=slot_port(args.slot))
    link.start()
    try:  # the link stops whatever happens, a closed stdout included
        print(
            f"虚拟卡 {what} 已插入 {reader_name(args.slot)}，ATR {card.atr.hex().upper()}，"
            f"按 Ctrl-C 停止 (virtual card presented; Ctrl-C stops)",
            flush=True,
        )
        stop.wait(args.duration if args.duration > 0 else None)
    except KeyboardInterrupt:
        pass
    finally:
        link.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0


def _list(args: argparse.Namespace) -> int:
    from station.cli import settings_of
    from station.profiles import ProfileError, list_profiles, load_profile, profiles_dir

    directory = profiles_dir(settings_of(args).profiles_dir)
    names = list_profiles(directory)
    if not names:
        print(f"没有卡片配置 (no profiles) in {directory}")
        return 0
    width = max(len(n) for n in names)
    for name in names:
        try:
            p = load_profile(name, directory)
        except ProfileError as exc:
            print(f"{name:<{width}}  !! {exc.detail or exc.message}")
            continue
        print(f"{name:<{width}}  {p.kind:<4}  {p.alg.value:<4}  {p.description}")
    return 0


def _make_blanks(args: argparse.Namespace) -> int:
    from station.cli import settings_of
    from station.emulator.blanks import MANIFEST_NAME, make_blanks

    infos = make_blanks(
        args.profile,
        args.count,
        args.out,
        bank=args.bank,
        manufacturer=args.manufacturer,
        first_serial=args.first_serial,
        directory=settings_of(args).profiles_dir,
    )
    print(
        f"已生成 {len(infos)} 张虚拟预制卡 (made {len(infos)} blank cards): "
        f"{args.out / MANIFEST_NAME}"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from station.cli import settings_of
    from station.profiles import CardProfile, load_profile

    p = load_profile(args.file, settings_of(args).profiles_dir)
    extra = ""
    if isinstance(p, CardProfile):
        extra = (
            f", generation {p.generation}, region {p.region}, "
            f"{'issued' if p.issued else 'blank'}, face {'yes' if p.face else 'no'}"
        )
    print(f"配置有效 (profile OK): {p.name} — {p.kind}, {p.alg.value}{extra}")
    return 0

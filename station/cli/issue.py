"""``station issue``, ``jobs``, ``job show``, ``makeup``, ``recover``, ``outbox export``:
instant issuance (即时制卡) from the command line.

Why these commands look like this: they are the teller's and the support desk's way into
the same ``IssuanceJob`` the desktop uses, so a script, a support call and the screen book
exactly the same journal rows.  The teller signs in like every inventory command
(``--user`` or the settings' operator; the password on a terminal or ``--password-stdin``).
Devices come from the settings (``card_reader``, ``psam_reader`` or ``key_file``,
``printer_url``); ``--printer`` / ``--card-reader`` / ``--psam-reader`` / ``--key-file``
override them for one run.  Every refusal is one line (``StationError``), never a
traceback; personal data is not printed beyond the job's application id and card number.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.cli import db_url_arg, existing_file, output_dir
from station.errors import StationError

if TYPE_CHECKING:
    from station.config import Settings
    from station.issuance.application import Application
    from station.issuance.job import IssuanceJob, Outcome
    from station.issuance.journal import JobInfo, Journal
    from station.issuance.progress import ProgressEvent

# exit codes: 0 every card issued; 1 some job did not complete (failed, make-up owed,
# blocked); 2 refused before anything was touched (the CLI root's code for StationError)
EXIT_INCOMPLETE = 1


def register(sub: Any) -> None:
    p = sub.add_parser("issue", help="即时制卡: issue cards for a file of applications")
    p.add_argument(
        "--application",
        required=True,
        type=existing_file,
        metavar="FILE",
        help="applications, JSON or CSV (photo/glyph paths relative to the file)",
    )
    p.add_argument(
        "--no-retry",
        action="store_true",
        help="do not retry a failed job on a new blank (default: one retry when ready)",
    )
    _devices(p)
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("jobs", help="list the station's issuance jobs")
    p.add_argument("--unfinished", action="store_true", help="only jobs not yet ended")
    _book(p)
    p.set_defaults(func=cmd_jobs)

    p = sub.add_parser("job", help="one issuance job")
    jsub = p.add_subparsers(dest="job_command", metavar="ACTION", required=True)
    show = jsub.add_parser("show", help="a job and its journal, step by step")
    show.add_argument("job_id", metavar="ID")
    _book(show)
    show.set_defaults(func=cmd_job_show)

    p = sub.add_parser("makeup", help="制卡补登: finish a job whose face is printed")
    p.add_argument("job_id", metavar="JOB")
    p.add_argument(
        "--application",
        required=True,
        type=existing_file,
        metavar="FILE",
        help="the file holding the job's application (JSON or CSV)",
    )
    p.add_argument(
        "--reader",
        help="the desktop reader holding the card (default: the card in the printer)",
    )
    _devices(p)
    p.set_defaults(func=cmd_makeup)

    p = sub.add_parser("recover", help="finish unfinished jobs after a restart (docs/issuance.md)")
    p.add_argument(
        "--application",
        type=existing_file,
        metavar="FILE",
        help="applications of the unfinished jobs: resume, make-up and retry need them",
    )
    _devices(p)
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("outbox", help="registration outbox (回盘)")
    osub = p.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    exp = osub.add_parser("export", help="write a batch of registration records (SM3 digest)")
    exp.add_argument("--out", required=True, metavar="FILE", help="the batch file to write")
    exp.add_argument("--batch", help="write this earlier batch again, byte for byte")
    _book(exp)
    exp.set_defaults(func=cmd_outbox_export)


def _book(p: argparse.ArgumentParser) -> None:
    from station.cli import signin

    p.add_argument(
        "--db", type=db_url_arg, help="stock book: URL or SQLite file (default: settings)"
    )
    p.add_argument("--user", help="acting teller (default: the operator setting)")
    signin.add_option(p)


def _devices(p: argparse.ArgumentParser) -> None:
    _book(p)
    p.add_argument("--printer", help="printer URL (default: settings printer_url)")
    p.add_argument("--card-reader", help="the printer's contact reader (default: settings)")
    p.add_argument("--psam-reader", help="the PSAM reader (default: settings)")
    p.add_argument("--key-file", help="soft key store instead of the PSAM (technicians)")
    p.add_argument(
        "--out",
        type=output_dir,
        metavar="DIR",
        help="folder for faces and receipts (default: the settings' data_dir)",
    )


# -- shared plumbing ------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    from station.cli import settings_of

    return settings_of(args)


def _journal(args: argparse.Namespace, *, sign_in: bool) -> Journal:
    """The stock book and its journal; the teller proves their password when ``sign_in``."""
    from station.cli import signin
    from station.inventory import Inventory
    from station.issuance.journal import Journal

    settings = _settings(args)
    inv = Inventory(str(args.db or settings.db_url))
    if sign_in:
        user = str(args.user or settings.operator)
        if not user:
            raise StationError(
                "须指定操作员 --user 或设置 operator (acting teller required: --user or the "
                "operator setting, STATION_OPERATOR)"
            )
        args.operator_name = signin.sign_in(inv, args, user)
    return Journal(inv, station=settings.station_id)


@dataclass
class IssuingDesk:
    runner: IssuanceJob
    closers: list[Callable[[], None]]


@contextmanager
def issuing_desk(
    args: argparse.Namespace, journal: Journal, *, progress: bool = True
) -> Iterator[IssuingDesk]:
    """The runner with the printer, the contact reader and the key provider opened."""
    from station.crypto.provider import KeyProvider, PsamKeyProvider, SoftKeyStore
    from station.issuance.job import IssuanceJob
    from station.printer.evolis import EvolisPrinter
    from station.profiles import load_card_profile

    settings = _settings(args)
    closers: list[Callable[[], None]] = []
    try:
        profile = load_card_profile(
            getattr(settings, "blank_profile", "gen3-sm4-blank"), settings.profiles_dir or None
        )
        printer = EvolisPrinter(
            args.printer or settings.printer_url, timeout=settings.printer_timeout
        )
        printer.open()
        closers.append(printer.close)
        key_file = args.key_file or settings.key_file
        provider: KeyProvider
        if key_file and not args.psam_reader:
            from station.crypto.keys import load_keyset

            provider = SoftKeyStore(load_keyset(key_file))
        else:
            from station.cli.card import connect_psam

            psam = connect_psam(args.psam_reader or settings.psam_reader, settings.card_timeout)
            closers.append(psam.disconnect)
            provider = PsamKeyProvider(psam)
        out = Path(args.out) if args.out else Path(settings.data_dir)
        runner = IssuanceJob(
            journal,
            printer,
            args.card_reader or settings.card_reader,
            provider,
            profile,
            str(getattr(args, "operator_name", "") or settings.operator),
            progress=ProgressLine().show if progress else None,
            out_dir=out,
            outlet=settings.outlet,
            card_timeout=settings.card_timeout,
        )
        yield IssuingDesk(runner, closers)
    finally:
        for close in reversed(closers):
            try:
                close()
            except StationError:  # pragma: no cover - a device that vanished meanwhile
                pass


class ProgressLine:
    """The job's progress as a bar with the elapsed time: rewritten in place on a terminal,
    one plain line per step into a pipe or a log."""

    WIDTH = 20

    def __init__(self) -> None:
        self._tty = sys.stdout.isatty()

    def show(self, event: ProgressEvent) -> None:
        filled = self.WIDTH * event.percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        text = f"   [{bar}] {event.line()}"
        if self._tty:
            end = "\n" if event.step in ("done", "failed", "makeup", "cancel") else ""
            sys.stdout.write(f"\r{text}\x1b[K{end}")
            sys.stdout.flush()
        else:
            print(text, flush=True)


def _applications(path: Path) -> list[Application]:
    from station.issuance.application import load_applications

    return load_applications(path)


def outcome_line(out: Outcome) -> str:
    job = out.job
    what = {
        "completed": "制卡完成 issued" + (" (made up)" if job.made_up else ""),
        "failed": f"制卡失败 failed ({job.cause.value if job.cause else '-'})",
        "makeup_pending": "需制卡补登 make-up owed: station makeup " + job.job_id,
    }.get(job.state.value, job.state.value)
    card = job.card_number or "-"
    why = f" — {out.error.message}" if out.error is not None and not out.ok else ""
    return f"{job.application_id}  job {job.job_id}  card {card}  {what}{why}"


def _device_fault(out: Outcome) -> bool:
    """A failure a new blank may cure (a device fault), not bad input on the face (a
    missing glyph, a photo too small): retrying that would only fail again."""
    from station.printer.errors import FaceError

    return not isinstance(out.error, FaceError)


# -- handlers -------------------------------------------------------------------------------


def cmd_issue(args: argparse.Namespace) -> int:
    from station.issuance.job import NotReady
    from station.issuance.journal import AlreadyIssued, JobInProgress
    from station.issuance.states import JobState

    apps = _applications(args.application)
    journal = _journal(args, sign_in=True)
    print(f"申请 applications: {len(apps)} from {args.application.name}", flush=True)
    done = incomplete = 0
    with issuing_desk(args, journal) as desk:
        for n, app in enumerate(apps, 1):
            print(f"[{n}/{len(apps)}] {app.application_id}", flush=True)
            try:
                out = desk.runner.run(app)
            except (AlreadyIssued, JobInProgress) as exc:
                print(f"   跳过 skipped: {exc.message}", flush=True)
                incomplete += 1
                continue
            print("   " + outcome_line(out), flush=True)
            if out.job.state is JobState.FAILED and not args.no_retry and _device_fault(out):
                try:
                    out = desk.runner.run(app)  # a new job on a new blank, linked
                except NotReady as exc:
                    print(f"   未重试 no retry: {exc.message}", flush=True)
                else:
                    print("   重试 retry: " + outcome_line(out), flush=True)
            if out.ok:
                done += 1
                if out.receipt is not None:
                    print(f"   回执 receipt: {out.receipt}", flush=True)
            else:
                incomplete += 1
    print(f"完成 done: {done} issued, {incomplete} not completed", flush=True)
    return 0 if incomplete == 0 else EXIT_INCOMPLETE


JOB_COLUMNS = ("job", "state", "application", "bank", "card", "cause", "retry_of", "made_up")


def job_cells(j: JobInfo) -> tuple[str, ...]:
    """One job as the cells of ``JOB_COLUMNS`` (``station jobs``, the day's report)."""
    return (
        j.job_id,
        j.state.value,
        j.application_id,
        j.bank,
        j.card_number or "",
        j.cause.value if j.cause else "",
        j.retry_of or "",
        "yes" if j.made_up else "",
    )


def cmd_jobs(args: argparse.Namespace) -> int:
    journal = _journal(args, sign_in=False)
    print("\t".join((*JOB_COLUMNS, "operator")))
    for j in journal.jobs(unfinished=args.unfinished):
        print("\t".join((*job_cells(j), j.operator)))
    return 0


def cmd_job_show(args: argparse.Namespace) -> int:
    from station.card.audit import mask_ssn

    journal = _journal(args, sign_in=False)
    j = journal.job(args.job_id)
    rows: list[tuple[str, Any]] = [
        ("job", j.job_id),
        ("state", j.state.value),
        ("application", j.application_id),
        ("reason", j.reason.value),
        ("ssn", mask_ssn(j.ssn)),
        ("bank", j.bank),
        ("card", j.card_number),
        ("card id code", j.card_id_code),
        ("atr historical", j.atr_historical.hex() if j.atr_historical else None),
        ("cause", j.cause.value if j.cause else None),
        ("retry of", j.retry_of),
        ("made up", "yes" if j.made_up else "no"),
        ("operator", j.operator),
    ]
    for key, value in rows:
        print(f"{key + ':':16}{'' if value is None else value}")
    print("journal:")
    for e in journal.entries(j.job_id):
        when = f"{e.at:%Y-%m-%d %H:%M:%S}"
        print(f"  {when}  {e.kind.value:7} {e.step:13} -> {e.state.value:15} {e.detail}")
    return 0


def _app_for(job: JobInfo, apps: list[Application]) -> Application:
    for app in apps:
        if app.application_id == job.application_id:
            return app
    raise StationError(
        "申请文件中没有该任务的申请 (the file does not hold the job's application)",
        detail=f"{job.job_id}: {job.application_id}",
    )


def cmd_makeup(args: argparse.Namespace) -> int:
    apps = _applications(args.application)
    journal = _journal(args, sign_in=True)
    app = _app_for(journal.job(args.job_id), apps)
    with issuing_desk(args, journal) as desk:
        out = desk.runner.makeup(args.job_id, app, reader=args.reader)
    print(outcome_line(out))
    if out.receipt is not None:
        print(f"回执 receipt: {out.receipt}")
    return 0 if out.ok else EXIT_INCOMPLETE


def cmd_recover(args: argparse.Namespace) -> int:
    from station.issuance.recover import recover
    from station.issuance.states import JobState

    apps = _applications(args.application) if args.application else []
    journal = _journal(args, sign_in=True)
    unfinished = journal.jobs(unfinished=True)
    if not unfinished:
        print("没有未完成的任务 (no unfinished job)")
        return 0
    with issuing_desk(args, journal) as desk:
        results = recover(desk.runner, {a.application_id: a for a in apps})
    open_ = 0
    for r in results:
        where = r.position.value if r.position is not None else "unknown"
        print(
            f"{r.job_id}  {r.state_before.value} at {where}, chip {r.chip.value}: "
            f"{r.decision.action.value} -> {r.job.state.value}  {r.decision.why}"
        )
        if r.note:
            print(f"   {r.note}")
        if r.retry is not None:
            print("   重试 retry: " + outcome_line(r.retry))
        ended = r.job.state in (JobState.COMPLETED, JobState.CANCELLED) or (
            r.job.state is JobState.FAILED and r.retry is not None and r.retry.ok
        )
        open_ += 0 if ended else 1
    print(f"恢复 recovered: {len(results) - open_} of {len(results)} jobs settled")
    return 0 if open_ == 0 else EXIT_INCOMPLETE


def cmd_outbox_export(args: argparse.Namespace) -> int:
    from station.issuance.outbox import Outbox

    journal = _journal(args, sign_in=True)
    outbox = Outbox(journal.inv, station=_settings(args).station_id)
    info = outbox.export_batch(Path(args.out), batch_id=args.batch)
    if info is None:
        print("没有待导出的记录 (no record waiting for export)")
        return 0
    print(f"回盘批次 batch {info.batch_id}: {info.count} records, SM3 {info.sm3} -> {info.path}")
    return 0

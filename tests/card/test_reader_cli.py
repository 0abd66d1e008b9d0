"""Reader edge cases and the ``station card`` / ``station pin`` commands (in-process
virtual cards with a state file, so a lock survives between commands)."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from station.apdu.command import Command, Response
from station.apdu.status import SecurityNotSatisfied
from station.apdu.trace import Tracer
from station.apdu.transport import Transport
from station.apdu.virtual import VirtualTransport
from station.card.errors import WrongCardType
from station.card.reader import HolderAuth, basic_read_string, read_card
from station.cli import main
from station.crypto.provider import SoftKeyStore
from station.emulator.cards import make_card
from station.emulator.psam import VirtualPsam
from station.profiles import load_profile, parse_profile

from . import suite

PROFILES = Path(__file__).parent / "profiles"
GEN3 = str(PROFILES / "svc-gen3-sm4.toml")
GEN2 = str(PROFILES / "svc-gen2-3des.toml")
PIN = "739514"


class NoMode5(Transport):
    """A card whose COS does not know READ RECORD mode 5 (answers 6A86)."""

    def __init__(self, inner: Transport, tracer: Tracer) -> None:
        super().__init__(tracer)
        self.inner = inner

    @property
    def atr(self) -> bytes:
        return self.inner.atr

    def _exchange(self, raw: bytes) -> bytes:
        cmd = Command.from_bytes(raw)
        if cmd.ins == 0xB2 and cmd.p2 & 0x07 == 5:
            return Response.of(0x6A86).to_bytes()
        return self.inner.transmit(cmd, get_response=False, fix_le=False).to_bytes()


def test_gen2_reads_without_keys_and_gen3_says_what_is_missing() -> None:
    info = read_card(VirtualTransport(make_card(load_profile(GEN2))))
    assert info.holder is not None and info.holder.name.startswith("欧阳")
    with pytest.raises(SecurityNotSatisfied, match="PSAM"):
        read_card(VirtualTransport(make_card(load_profile(GEN3))))


def test_rk_first_saves_the_failed_read() -> None:
    prof = load_profile(GEN3)
    keys = SoftKeyStore(prof.keyset())
    tracer = Tracer()
    info = read_card(
        VirtualTransport(make_card(prof), tracer=tracer), keys, holder_auth=HolderAuth.ALWAYS
    )
    assert info.holder == prof.holder
    assert all(e.sw != 0x6982 for e in tracer.entries())


def test_record_by_record_fallback() -> None:
    prof = load_profile(GEN2)
    tracer = Tracer()
    t = NoMode5(VirtualTransport(make_card(prof)), tracer)
    info = read_card(t)
    assert info.holder == prof.holder
    reads = [e for e in tracer.entries() if e.name == "READ RECORD"]
    assert len(reads) == 2 + 14  # two refused mode-5 reads, then 7 + 7 records


def test_premade_card_has_no_holder() -> None:
    text = Path(GEN2).read_text(encoding="utf-8").split("[holder]")[0]
    p = parse_profile(text, Path(GEN2))
    info = read_card(VirtualTransport(make_card(p)))
    assert info.holder is None
    s = basic_read_string(info, "000000000000")
    assert s.split("|")[1] == "" and s.split("|")[4] == ""
    assert s.startswith("440100||000000019|")


def test_not_a_social_security_card() -> None:
    psam = VirtualPsam(load_profile(GEN3).keyset(), "000000000000")
    with pytest.raises(WrongCardType) as info:
        read_card(VirtualTransport(psam))
    assert info.value.code == -1 and "不是社会保障卡" in info.value.message


# -- CLI -------------------------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "",
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:  # fmt: skip
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_read_basic_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(["card", "read", "--virtual", GEN3, "--basic"], capsys)
    assert rc == 0
    line = out.strip()
    assert line.count("|") == 11 and line.endswith("|000000000000||")
    assert "|110101199003077678|" in line and "|张[CHUI]|" in line
    rc, out, _ = run(["card", "read", "--virtual", GEN2, "--json", "--no-verify"], capsys)
    doc = json.loads(out)
    assert rc == 0 and doc["alg"] == "3des" and doc["genuine"] is None
    assert doc["holder"]["ssn"] == "44030419851231002X"
    assert doc["records"]["4E"].startswith("4E14")


def test_cli_pin_services_with_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = str(tmp_path / "card.json")
    audit = tmp_path / "audit.jsonl"
    pdf = tmp_path / "r.pdf"
    base = ["--virtual", GEN3, "--state", state, "--pin-stdin", "--audit", str(audit)]
    texts: list[str] = []
    for _ in range(6):
        rc, out, err = run(["pin", "verify", *base], capsys, "918273\n", monkeypatch)
        texts += [out, err]
        assert rc == 2
    assert "已锁定" in err
    rc, out, err = run(["pin", "unlock", *base, "--receipt-pdf", str(pdf)], capsys, "", monkeypatch)
    texts += [out, err]
    assert rc == 0 and "密码已解锁" in out and pdf.read_bytes().startswith(b"%PDF")
    rc, out, err = run(["pin", "verify", *base], capsys, PIN + "\n", monkeypatch)
    assert rc == 0 and "密码正确" in out
    rc, out, err = run(["pin", "reset", *base], capsys, "135790\n135790\n", monkeypatch)
    assert rc == 0 and "密码已重置" in out
    rc, out, err = run(["pin", "change", *base], capsys, "135790\n123456\n123456\n", monkeypatch)
    texts += [out, err]
    assert rc == 2 and "递增" in err
    rc, out, err = run(
        ["pin", "change", *base, "--no-receipt"], capsys, "135790\n246803\n246803\n", monkeypatch
    )
    assert rc == 0 and out == ""
    rc, out, err = run(["pin", "verify", *base], capsys, "246803\n", monkeypatch)
    assert rc == 0
    rc, out, err = run(["pin", "verify", *base], capsys, "", monkeypatch)
    assert rc == 2 and "标准输入" in err
    records = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [r["operation"] for r in records][-5:] == [
        "PIN_RESET", "PIN_CHANGE", "PIN_CHANGE", "PIN_VERIFY", "PIN_VERIFY",
    ]  # fmt: skip
    assert records[-1]["result"] == "FAILURE"  # no PIN given: audited as a failed service
    assert records[0]["result"] == "FAILURE" and records[0]["error_code"] == -51
    assert records[5]["error_code"] == -52
    blob = "\n".join(texts) + audit.read_text(encoding="utf-8")
    for pin in (PIN, "918273", "135790", "246803"):
        assert pin not in blob


def test_cli_refuses_state_without_virtual(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(["card", "read", "--state", "x.json"], capsys)
    assert rc == 2 and "--virtual" in err


def test_leak_detector_detects() -> None:
    """The suite's secret search is not vacuous."""
    prof = load_profile(GEN2)
    c = suite.cut_from_profile(
        prof, VirtualTransport(make_card(prof)), SoftKeyStore(prof.keyset()), terminal="0" * 12
    )
    c.seen.append(f"oops {c.pin}")
    with pytest.raises(AssertionError, match="leaked"):
        suite.assert_no_secrets(c, None)


def test_leak_detector_blanks_only_randomness() -> None:
    """Card randomness that happens to contain a PIN is blanked; the same PIN anywhere
    else — a log line, a SELECT answer — is still reported."""
    from station.apdu import Command, Response, Tracer

    prof = load_profile(GEN2)
    tracer = Tracer()
    c = suite.cut_from_profile(
        prof,
        VirtualTransport(make_card(prof)),
        SoftKeyStore(prof.keyset()),
        terminal="0" * 12,
        tracer=tracer,
    )
    pin_hex = bytes.fromhex(suite.NEW_PIN)
    challenge = b"\xab" + pin_hex + b"\xcd" * (7 - len(pin_hex))
    tracer.record(Command(0, 0xA4, 4, 0, b"\x01\x02"), Response(b"", 0x90, 0x00), 0.0)
    tracer.record(Command(0, 0x84, 0, 0, le=8), Response(challenge, 0x90, 0x00), 0.0)
    suite.assert_no_secrets(c, None)  # chance hex inside a challenge is not a leak
    # (record answers are masked in traces now, so the "elsewhere" is a SELECT answer)
    tracer.record(Command(0, 0xA4, 4, 0, b"\x01\x02"), Response(challenge, 0x90, 0x00), 0.0)
    with pytest.raises(AssertionError, match="leaked"):
        suite.assert_no_secrets(c, None)  # the same bytes in another answer are


def test_leak_detector_blanks_a_fetched_cryptogram_only_after_internal_auth() -> None:
    """On T=0 (gen 2) the INTERNAL AUTHENTICATE cryptogram comes back by GET RESPONSE: that
    fetch is randomness too; a GET RESPONSE after a SELECT is still searched."""
    from station.apdu import Command, Response, Tracer

    prof = load_profile(GEN2)
    tracer = Tracer()
    c = suite.cut_from_profile(
        prof,
        VirtualTransport(make_card(prof)),
        SoftKeyStore(prof.keyset()),
        terminal="0" * 12,
        tracer=tracer,
    )
    pin_hex = bytes.fromhex(suite.NEW_PIN)
    cryptogram = b"\xab" + pin_hex + b"\xcd" * (7 - len(pin_hex))
    tracer.record(Command(0, 0xA4, 4, 0, b"\x01\x02"), Response(b"", 0x90, 0x00), 0.0)
    tracer.record(Command(0, 0x88, 0, 0, b"\x01" * 16), Response(b"", 0x61, 0x08), 0.0)
    tracer.record(Command(0, 0xC0, 0, 0, le=8), Response(cryptogram, 0x90, 0x00), 0.0)
    suite.assert_no_secrets(c, None)
    tracer.record(Command(0, 0xA4, 4, 0, b"\x01\x02"), Response(b"", 0x61, 0x08), 0.0)
    tracer.record(Command(0, 0xC0, 0, 0, le=8), Response(cryptogram, 0x90, 0x00), 0.0)
    with pytest.raises(AssertionError, match="leaked"):
        suite.assert_no_secrets(c, None)


# -- issue 14 finding 7 / issue 9 items 4 and 6 through the command line ----------------------


def _profile_copy(tmp_path: Path, src: str, name: str, edit: Callable[[str], str]) -> str:
    """A test profile edited as text, its key file made absolute so it loads from tmp."""
    text = Path(src).read_text(encoding="utf-8")
    keys = (Path(src).parent / "../../../profiles/keys").resolve()
    text = text.replace('key_file = "../../../profiles/keys/', f'key_file = "{keys}/')
    text = text.replace(f'name = "{Path(src).stem}"', f'name = "{name}"')
    out = tmp_path / f"{name}.toml"
    out.write_text(edit(text), encoding="utf-8")
    return str(out)


@pytest.mark.parametrize(
    ("option", "value", "why"),
    [
        ("--operator", "x\n办理结果：办理成功", "经办人"),
        ("--operator", "\x1b[2J\x1b[1;1H办理成功", "经办人"),
        ("--outlet", "网点\r办理结果：办理成功", "受理网点"),
        ("--outlet", "网点\x1b]0;title\x07", "受理网点"),
    ],
)
def test_cli_refuses_forging_operator_or_outlet(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    value: str,
    why: str,
) -> None:
    state, pdf, audit = tmp_path / "card.json", tmp_path / "r.pdf", tmp_path / "a.jsonl"
    argv = ["pin", "verify", "--virtual", GEN3, "--state", str(state), "--pin-stdin"]
    argv += ["--receipt-pdf", str(pdf), "--audit", str(audit), option, value]
    rc, out, err = run(argv, capsys, PIN + "\n", monkeypatch)
    assert rc == 2 and why in err
    assert err.count("\n") == 1 and "\x1b" not in err and "办理成功" not in err
    assert out == "" and "办理结果" not in out
    assert not pdf.exists() and not audit.exists(), "no receipt, no audit record"
    assert not state.exists(), "the card was never touched"


@pytest.mark.parametrize("unset", ["STATION_OPERATOR", "STATION_OUTLET"])
def test_cli_receipt_refused_when_operator_or_outlet_unset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, unset: str
) -> None:
    monkeypatch.setenv(unset, "")
    state = tmp_path / "card.json"
    argv = ["pin", "verify", "--virtual", GEN3, "--state", str(state), "--pin-stdin"]
    rc, out, err = run(argv, capsys, PIN + "\n", monkeypatch)
    assert rc == 2 and "receipt refused" in err and out == ""
    assert ("经办人" if unset == "STATION_OPERATOR" else "受理网点") in err
    assert not state.exists()


def test_cli_receipt_serials_from_settings(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    station_data: Path,
) -> None:
    state = tmp_path / "card.json"
    argv = ["pin", "verify", "--virtual", GEN3, "--state", str(state), "--pin-stdin"]
    today = dt.date.today().strftime("%Y%m%d")
    serials = []
    for _ in range(2):
        rc, out, _ = run(argv, capsys, PIN + "\n", monkeypatch)
        assert rc == 0
        assert f"经办人：{suite.OPERATOR}" in out and f"受理网点：{suite.OUTLET}" in out
        serials += [ln.split("：", 1)[1] for ln in out.splitlines() if ln.startswith("受理编号")]
    assert serials == [f"{suite.STATION_ID}-{today}-0001", f"{suite.STATION_ID}-{today}-0002"]
    counter = station_data / "receipt-serials.txt"
    assert stat.S_IMODE(counter.stat().st_mode) == 0o600


def test_cli_blank_card_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blank = _profile_copy(tmp_path, GEN2, "blank", lambda t: t.split("[holder]")[0])
    rc, out, _ = run(["card", "read", "--virtual", blank, "--no-verify"], capsys)
    assert rc == 0
    assert "空白预制卡，未个人化 (blank card, not personalised)" in out
    assert "姓名 name" not in out and "社会保障号码 SSN" not in out
    rc, out, _ = run(["card", "read", "--virtual", blank, "--no-verify", "--json"], capsys)
    assert rc == 0 and json.loads(out)["blank"] is True
    rc, out, _ = run(["card", "read", "--virtual", GEN2, "--no-verify", "--json"], capsys)
    assert json.loads(out)["blank"] is False
    rc, out, err = run(["pin", "verify", "--virtual", blank, "--pin-stdin"], capsys, PIN + "\n",
                       monkeypatch)  # fmt: skip
    assert rc == 2 and "空白预制卡" in err and out == ""


def test_cli_expired_card_warning_is_bilingual(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _profile_copy(
        tmp_path, GEN2, "expired", lambda t: t.replace("expiry = 2035-10-01", "expiry = 2021-10-01")
    )
    rc, out, _ = run(["card", "read", "--virtual", old, "--no-verify"], capsys)
    assert rc == 0
    warning = [ln for ln in out.splitlines() if ln.startswith("注意 warning:")]
    assert warning == ["注意 warning: 卡片已过有效期（2021-10-01） (card expired on 2021-10-01)"]

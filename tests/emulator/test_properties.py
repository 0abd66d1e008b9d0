"""Property tests: whatever bytes arrive, the card answers well-formed and never changes
what it holds without the security state that change needs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.emulator.state import CardState
from station.profiles import Profile, load_profile

from .helpers import PUK, RK, UK, Host

PROFILES: dict[str, Profile] = {n: load_profile(n) for n in ("gen3-sm4-issued", "gen2-3des-issued")}
KNOWN_INS = [0xA4, 0xB0, 0xD6, 0xB2, 0xDC, 0x84, 0x88, 0x82, 0x20, 0x5E, 0x24, 0x1E, 0x18, 0xC0]
CLAS = [0x00, 0x80, 0x84, 0x04, 0x0C, 0xFF, 0x90]

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def structured_apdu(draw: st.DrawFn, ins: list[int] | None = None) -> bytes:
    cla = draw(st.sampled_from(CLAS) | st.integers(0, 255))
    code = draw(st.sampled_from(ins or KNOWN_INS) | st.integers(0, 255))
    p1, p2 = draw(st.integers(0, 255)), draw(st.integers(0, 255))
    data = draw(st.binary(max_size=40))
    head = bytes((cla, code, p1, p2))
    le = draw(st.none() | st.integers(0, 255))
    body = (bytes((len(data),)) + data if data else b"") + (bytes((le,)) if le is not None else b"")
    return head + body


any_apdu = st.binary(max_size=300) | structured_apdu()


def _content(s: CardState) -> tuple[object, ...]:
    return (s.records, {k: bytes(v) for k, v in s.binary.items()}, s.pin, s.atr)


def _check_monotone(before: CardState, after: CardState) -> None:
    assert after.pin_tries <= before.pin_tries
    for k, v in after.key_tries.items():
        assert v <= before.key_tries[k]
    assert after.app_blocked == before.app_blocked


@SETTINGS
@given(name=st.sampled_from(sorted(PROFILES)), apdus=st.lists(any_apdu, max_size=25))
def test_random_apdus_never_crash_nor_change_state(name: str, apdus: list[bytes]) -> None:
    h = Host(PROFILES[name])
    h.select()
    start = h.card.snapshot()
    for apdu in apdus:
        before = h.card.snapshot()
        out = h.card.execute(apdu)
        assert isinstance(out, bytes) and len(out) >= 2
        sw1 = out[-2]
        assert sw1 in (0x90, 0x61, 0x62, 0x63, 0x65, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D,
                       0x6E, 0x6F, 0x93)  # fmt: skip
        after = h.card.snapshot()
        _check_monotone(before, after)
        assert _content(after) == _content(start)  # no right: nothing written
        assert h.card.granted == frozenset()


@SETTINGS
@given(apdus=st.lists(structured_apdu([0xDC, 0xD6]), min_size=1, max_size=15))
def test_updates_without_uk_change_nothing(apdus: list[bytes]) -> None:
    h = Host(PROFILES["gen3-sm4-issued"])
    h.select()
    assert h.ext_auth(RK) == 0x9000 and h.ext_auth(PUK) == 0x9000  # rights, but not UK's
    start = h.card.snapshot()
    for apdu in apdus:
        assert len(h.card.execute(apdu)) >= 2
    assert _content(h.card.snapshot()) == _content(start)


@SETTINGS
@given(
    name=st.sampled_from(sorted(PROFILES)),
    with_puk=st.booleans(),
    bodies=st.lists(st.tuples(st.sampled_from([0, 1]), st.binary(max_size=28)), max_size=10),
)
def test_unblock_reset_need_puk_and_mac(
    name: str, with_puk: bool, bodies: list[tuple[int, bytes]]
) -> None:
    h = Host(PROFILES[name])
    h.select()
    for _ in range(6):
        h.verify("000000")  # locked: an unblock would show
    if with_puk:
        assert h.ext_auth(PUK) == 0x9000
    h.challenge()
    start = h.card.snapshot()
    for p2, body in bodies:
        apdu = (
            bytes((0x84, 0x24, 0x00, p2, len(body))) + body
            if body
            else bytes((0x84, 0x24, 0x00, p2))
        )
        out = h.card.execute(apdu)
        assert out[-2:] != b"\x90\x00"
    after = h.card.snapshot()
    assert after == start


@SETTINGS
@given(data=st.data())
def test_good_writes_read_back(data: st.DataObject) -> None:
    """With the UK right, any well-formed record write reads back exactly."""
    h = Host(PROFILES["gen3-sm4-issued"])
    h.select()
    assert h.ext_auth(UK) == 0x9000 and h.ext_auth(RK) == 0x9000
    sfi = data.draw(st.sampled_from([5, 6]))
    ef = h.card.fs.efs[f"MF/SSSE/EF0{sfi}"]
    index = data.draw(st.integers(0, len(ef.records) - 1))  # type: ignore[attr-defined]
    spec = ef.records[index]  # type: ignore[attr-defined]
    value = data.draw(st.binary(min_size=0, max_size=spec.length))
    rec = bytes((spec.tag, len(value))) + value
    apdu = bytes((0x00, 0xDC, index + 1, sfi << 3 | 4, len(rec))) + rec
    assert h.sw(apdu) == 0x9000
    assert h.raw(bytes((0x00, 0xB2, index + 1, sfi << 3 | 4, len(rec)))) == (rec, 0x9000)

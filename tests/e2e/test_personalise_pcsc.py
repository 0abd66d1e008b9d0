"""Issue-3 acceptance through a real pcscd: slot 0 a virtual card, slot 1 a virtual PSAM.
Check genuineness (internal auth), open write rights with UK (external auth computed by
the PSAM), update EF06 and read it back — and prove no diversified card key ever crossed
either PC/SC link (every raw byte exchanged is searched for them)."""

from __future__ import annotations

import datetime as dt

import pytest

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.card.personalise import WrongBlank, personalise
from station.card.reader import read_card
from station.codecs.records import HolderData, IssuerData
from station.codecs.validators import citizen_id_check
from station.crypto.keys import derive_card_key
from station.crypto.provider import PsamKeyProvider
from station.emulator.cards import make_card, make_psam
from station.emulator.vpcd import reader_name
from station.profiles import load_profile

pytestmark = pytest.mark.pcsc


class Recording(PcscTransport):
    """A real PC/SC transport that also keeps every raw byte sent and received."""

    def __init__(self, reader: str) -> None:
        super().__init__(reader)
        self.wire = bytearray()

    def _exchange(self, raw: bytes) -> bytes:
        rsp = super()._exchange(raw)
        self.wire += raw + rsp
        return rsp


def new_holder(seed: int) -> HolderData:
    first17 = "440305" + "19900" + f"{(seed % 9) + 1}" + "15" + f"{seed % 900 + 100:03d}"
    return HolderData(
        ssn=first17 + citizen_id_check(first17),
        name="欧阳测试" if seed % 2 else "张[CHUI]明",
        sex="1" if seed % 2 else "2",
        ethnicity="01",
        birthplace="440305",
        birth_date=dt.date(1990, (seed % 9) + 1, 15),
    )


@pytest.mark.parametrize(
    ("card_name", "psam_name", "holder_seed"),
    [("gen3-sm4-blank", "psam-sm4", 3), ("gen2-3des-issued", "psam-3des", 4)],
    ids=["gen3-sm4", "gen2-3des"],
)
def test_genuine_write_readback_through_psam(vpcd_slots, card_name, psam_name, holder_seed):
    link0, link1 = vpcd_slots
    profile = load_profile(card_name)
    card = make_card(profile)
    link0.insert(card)
    link1.insert(make_psam(load_profile(psam_name)))
    wait_for_card(reader_name(0), 10)
    wait_for_card(reader_name(1), 10)
    card_t, psam_t = Recording(reader_name(0)), Recording(reader_name(1))
    with card_t, psam_t:
        provider = PsamKeyProvider(psam_t)
        before = read_card(card_t, provider, check_genuineness=True)
        assert before.genuine is True
        holder = new_holder(holder_seed)
        if before.holder is not None:
            # an issued card: the flow refuses to overwrite someone else's data ...
            with pytest.raises(WrongBlank):
                personalise(card_t, provider, holder)
            # ... unless we write the same person (an idempotent re-write)
            holder = before.holder
        issue = IssuerData(issue_date=dt.date(2026, 11, 23), expiry=dt.date(2036, 11, 23))
        if before.issuer.issue_date is not None:
            issue = IssuerData()
        after = personalise(card_t, provider, holder, issuer=issue)
        assert after.holder == holder
        again = read_card(card_t, provider)
        assert again.holder == holder
        if before.issuer.issue_date is None:
            assert again.issuer.issue_date == dt.date(2026, 11, 23)
            assert again.issuer.expiry == dt.date(2036, 11, 23)

    # no diversified key of this card crossed either link
    keyset = profile.keyset()
    region = before.region
    assert region is not None
    for key_id in keyset.keys:
        key = derive_card_key(keyset, key_id, region, before.historical)
        assert key not in bytes(card_t.wire)
        assert key not in bytes(psam_t.wire)
    assert len(psam_t.wire) > 0  # the PSAM really did the work


def test_wrong_key_set_cannot_write(vpcd_slots):
    """A PSAM holding other keys cannot open UK: the write fails with a typed error and the
    card is unchanged (read back with the right keys)."""
    from station.crypto.provider import SoftKeyStore
    from station.errors import StationError

    link0, link1 = vpcd_slots
    profile = load_profile("gen3-sm4-blank")
    link0.insert(make_card(profile))
    link1.insert(make_psam(load_profile("psam-3des")))
    wait_for_card(reader_name(0), 10)
    wait_for_card(reader_name(1), 10)
    with PcscTransport(reader_name(0)) as card_t, PcscTransport(reader_name(1)) as psam_t:
        with pytest.raises(StationError) as err:
            personalise(card_t, PsamKeyProvider(psam_t), new_holder(5), check_genuineness=False)
        assert err.value.message
        right_keys = SoftKeyStore(profile.keyset())
        assert read_card(card_t, right_keys).holder is None

"""The job's transition table and the recovery table, row by row and as a whole."""

from __future__ import annotations

import itertools

import pytest

from station.issuance.recovery import RULES, Action, Chip, decide
from station.issuance.states import (
    BEFORE_FACE,
    FACE_DONE,
    HAPPY_PATH,
    TERMINAL,
    TRANSITIONS,
    JobState,
    JobStateError,
    Step,
    next_state,
)
from station.printer.base import CardPosition

S, P = JobState, CardPosition


def test_happy_path_walks_from_created_to_completed() -> None:
    state = S.CREATED
    for step in HAPPY_PATH:
        state = next_state(state, step)
    assert state is S.COMPLETED


def test_every_step_is_in_the_table_and_terminal_states_have_no_way_out() -> None:
    assert set(TRANSITIONS) == set(Step)
    for starts, _to in TRANSITIONS.values():
        assert not starts & TERMINAL


@pytest.mark.parametrize(("state", "step"), list(itertools.product(JobState, Step)))
def test_a_step_outside_its_row_raises(state: JobState, step: Step) -> None:
    starts, to = TRANSITIONS[step]
    if state in starts:
        assert next_state(state, step) is to
    else:
        with pytest.raises(JobStateError):
            next_state(state, step)


def test_a_printed_face_can_never_fail_and_a_failed_job_never_prints() -> None:
    # failure (release or spoil + retry) only before the face is complete; make-up after
    assert TRANSITIONS[Step.FAIL][0] == BEFORE_FACE | {S.PRINTING}
    assert not TRANSITIONS[Step.FAIL][0] & FACE_DONE
    assert TRANSITIONS[Step.PRINT][0] == {S.PIN_SET}


POSITIONS: list[CardPosition | None] = [*CardPosition, None]


def test_the_table_covers_every_combination() -> None:
    for state, pos, chip in itertools.product(JobState, POSITIONS, Chip):
        d = decide(state, pos, chip)
        assert d.why, (state, pos, chip)
        matched = [
            r
            for r in RULES
            if state in r.states
            and (P.UNKNOWN if pos is None else pos) in r.positions
            and chip in r.chips
        ]
        assert matched, f"no rule for {state} {pos} {chip}"


def test_every_rule_is_reachable() -> None:
    seen = set()
    for state, pos, chip in itertools.product(JobState, POSITIONS, Chip):
        seen.add(decide(state, pos, chip))
    assert {r.decision for r in RULES} <= seen


@pytest.mark.parametrize(
    ("state", "pos", "chip", "action"),
    [
        # the draft table in the issuance notes, row by row
        (S.CREATED, P.NONE, Chip.NOT_READ, Action.READY),
        (S.FEEDING, P.CONTACT, Chip.BLANK, Action.RESUME),
        (S.AT_CONTACTS, P.NONE, Chip.NOT_READ, Action.READY),
        (S.RESERVED, P.NONE, Chip.NOT_READ, Action.RELEASE),
        (S.WRITTEN, P.CONTACT, Chip.APPLICANT, Action.RESUME),
        (S.PIN_SET, P.CONTACT, Chip.APPLICANT, Action.RESUME),
        (S.WRITTEN, P.NONE, Chip.NOT_READ, Action.SPOIL),
        (S.WRITING, P.PRINT, Chip.PARTIAL, Action.SPOIL),
        (S.PRINTING, P.PRINT, Chip.APPLICANT, Action.SPOIL),
        (S.PRINTING, P.NONE, Chip.NOT_READ, Action.SPOIL),
        (S.PRINTED, P.PRINT, Chip.APPLICANT, Action.MAKEUP),
        (S.EJECTED, P.NONE, Chip.NOT_READ, Action.MAKEUP),
        (S.MAKEUP_PENDING, None, Chip.NOT_READ, Action.MAKEUP),
        (S.ISSUED, None, Chip.NOT_READ, Action.REGISTER),
        (S.RESERVED, None, Chip.NOT_READ, Action.BLOCK),
        (S.PRINTED, None, Chip.NOT_READ, Action.BLOCK),
        (S.WRITING, P.CONTACT, Chip.FOREIGN, Action.BLOCK),
        (S.WRITING, P.CONTACT, Chip.MUTE, Action.SPOIL),
        (S.COMPLETED, None, Chip.NOT_READ, Action.NONE),
        (S.FAILED, P.CONTACT, Chip.FOREIGN, Action.NONE),
    ],
)
def test_rows(state: JobState, pos: CardPosition | None, chip: Chip, action: Action) -> None:
    assert decide(state, pos, chip).action is action


def test_nothing_is_guessed_when_the_printer_is_silent() -> None:
    # between feeding and a complete face, a silent printer always blocks
    for state in (BEFORE_FACE - {S.CREATED}) | {S.PRINTING} | FACE_DONE:
        for chip in Chip:
            assert decide(state, None, chip).action is Action.BLOCK


def test_a_spoil_or_release_always_names_a_cause_and_resume_names_a_state() -> None:
    for rule in RULES:
        d = rule.decision
        if d.action in (Action.SPOIL, Action.RELEASE):
            assert d.cause is not None
        if d.action is Action.RESUME:
            assert d.resume_at is not None
        else:
            assert d.resume_at is None


def test_the_documented_table_is_the_code_table() -> None:
    from pathlib import Path

    from station.issuance.recovery import table_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "issuance.md"
    assert table_markdown() in doc.read_text(encoding="utf-8")

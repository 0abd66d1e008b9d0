"""Typed errors of the pre-made card stock.

Every refusal is a ``StationError`` so the CLI and the UI show one sentence a teller can act
on (Chinese first, English in parentheses) and log the technical fact in ``detail``.  A
refused operation has always been rolled back: nothing is half-done.
"""

from __future__ import annotations

from collections.abc import Sequence

from station.errors import ErrorCode, StationError


class InventoryError(StationError):
    """Base of every stock-book refusal."""

    default_message = "库存操作失败 (inventory operation failed)"
    code = ErrorCode.INVENTORY


class InventoryConflict(InventoryError):
    """The stock does not allow it right now: no free blank, wrong bank, wrong job, etc."""

    default_message = "库存冲突 (inventory conflict)"
    code = ErrorCode.INVENTORY_CONFLICT


class NoBlankAvailable(InventoryConflict):
    default_message = "该位置没有可用的预制卡 (no free pre-made card at this location)"
    code = ErrorCode.NO_BLANK_AVAILABLE


class WrongBank(InventoryConflict):
    default_message = "预制卡不属于该银行，不能用于此申请 (blank belongs to another bank)"
    code = ErrorCode.WRONG_BANK


class InvalidTransition(InventoryError):
    """A state change the stock rules do not allow (e.g. ISSUED back to IN_DRAWER)."""

    default_message = "预制卡状态不允许此操作 (state change not allowed)"
    code = ErrorCode.INVALID_TRANSITION


class CountRequired(InventoryError):
    """The day's count (盘点) has not been done at this location."""

    default_message = "今日尚未盘点，不能制卡 (today's stock count must be done first)"
    code = ErrorCode.COUNT_REQUIRED


class DiscrepancyBlock(InventoryError):
    """An unresolved count difference blocks issuance at a location."""

    default_message = (
        "盘点有差异，须主管处理后才能制卡 (count discrepancy: supervisor must resolve it)"
    )
    code = ErrorCode.DISCREPANCY_BLOCK


class PermissionDenied(InventoryError):
    """The acting user's role may not do this."""

    default_message = "当前用户无权执行此操作 (user's role may not do this)"
    code = ErrorCode.PERMISSION_DENIED


class NotFound(InventoryError):
    default_message = "记录不存在 (not found)"
    code = ErrorCode.INVENTORY_NOT_FOUND


class SchemaMissing(InventoryError):
    default_message = (
        "库存数据库尚未初始化，请先运行 station inventory init "
        "(inventory database not initialised: run `station inventory init`)"
    )
    code = ErrorCode.SCHEMA_MISSING


class LedgerTampered(InventoryError):
    """The hash chain or the replay of the ledger does not hold."""

    default_message = "库存账本校验失败 (ledger verification failed)"
    code = ErrorCode.LEDGER_TAMPERED


class ManifestError(InventoryError):
    """A manifest refused as a whole; ``lines`` holds (line number, problem) pairs.

    Line 1 is the header, so the first card is line 2 — the numbers a spreadsheet shows.
    """

    default_message = "入库清单有错误，整批未导入 (manifest refused: nothing was imported)"
    code = ErrorCode.MANIFEST

    def __init__(self, lines: Sequence[tuple[int, str]], message: str | None = None):
        self.lines = list(lines)
        first = "; ".join(f"line {n}: {p}" for n, p in self.lines[:3])
        more = f" (+{len(self.lines) - 3} more)" if len(self.lines) > 3 else ""
        super().__init__(
            message
            or f"入库清单有{len(self.lines)}处错误，整批未导入 "
            f"(manifest refused: {len(self.lines)} problem(s), nothing was imported)",
            detail=first + more,
        )

    def report(self) -> str:
        """The full line-numbered report, one problem per line."""
        return "\n".join(f"line {n}: {p}" for n, p in self.lines)

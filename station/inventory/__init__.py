"""Pre-made card stock (预制卡库存): important blank certificates, every movement booked.

Public API: ``Inventory`` (the service), the typed errors, ``make_engine``/``migrate``.
See docs/inventory.md.
"""

from station.inventory.db import make_engine, migrate
from station.inventory.errors import (
    CountRequired,
    DiscrepancyBlock,
    InvalidTransition,
    InventoryConflict,
    InventoryError,
    LedgerTampered,
    ManifestError,
    NoBlankAvailable,
    NotFound,
    PermissionDenied,
    SchemaMissing,
    WrongBank,
)
from station.inventory.ledger import LedgerReport
from station.inventory.models import Action, CountStatus, LocationKind, Role, State
from station.inventory.service import (
    ALLOWED,
    TRANSITIONS,
    BalanceRow,
    BlankInfo,
    CountResult,
    Inventory,
    StockInResult,
    StockStatus,
)

__all__ = [
    "ALLOWED",
    "TRANSITIONS",
    "Action",
    "BalanceRow",
    "BlankInfo",
    "CountRequired",
    "CountResult",
    "CountStatus",
    "DiscrepancyBlock",
    "InvalidTransition",
    "Inventory",
    "InventoryConflict",
    "InventoryError",
    "LedgerReport",
    "LedgerTampered",
    "LocationKind",
    "ManifestError",
    "NoBlankAvailable",
    "NotFound",
    "PermissionDenied",
    "Role",
    "SchemaMissing",
    "State",
    "StockInResult",
    "StockStatus",
    "WrongBank",
    "make_engine",
    "migrate",
]

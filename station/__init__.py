"""station: counter software for China's social security cards (社会保障卡).

The package is layered ui -> services -> card -> apdu/crypto/printer; nothing below
``ui`` imports Qt and nothing below ``card`` knows about the database.
"""

__version__ = "0.1.0"

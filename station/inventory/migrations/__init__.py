"""Alembic migrations of the stock book (run through ``station.inventory.db.migrate``)."""

"""Instant issuance (即时制卡): the application, the journaled job, recovery, the outbox.

No Qt here: the desktop app and the command line drive the same job through callbacks.
"""

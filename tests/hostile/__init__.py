"""Hostile peers for attack tests: a scripted vpcd card (``tests.hostile.card``)."""

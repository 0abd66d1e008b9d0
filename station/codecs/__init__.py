"""The card's data as values: record codecs that carry their own test vectors, names, and
the check rules for ID numbers and card numbers.

Pure data, no I/O and no card logic, at the bottom of the house: the card services, the
virtual card, profiles, the printer's face and the inventory all check data with these same
rules, so no layer keeps a copy of its own.
"""

"""The social security card application: records, reading, genuineness, PIN services and
personalisation.  Speaks only through ``station.apdu`` and ``station.crypto``."""

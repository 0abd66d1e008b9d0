"""The technician bench's logic: one controller per tab, each a QObject that owns its
state, sends device work to the workers and reports back through signals.  No widget is
created or touched here, so every controller can be driven by a test without a window."""

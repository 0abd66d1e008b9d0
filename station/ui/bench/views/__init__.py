"""The technician bench's layout: one view per tab.  Views build widgets, translate their
strings and forward what the user does to their controller; they hold no logic."""

"""Virtual cards built from profiles: an ISO 7816 file system (``fs``), the SSSE
application (``ssc``), persistent card state (``state``), profiles (``profiles``), pre-made
blank sets (``blanks``), the virtual PSAM (``psam``) and the vpcd bridge (``vpcd``) that
shows any of them to real PC/SC.  Nothing is re-exported here, so importing the bridge
does not pull in the profile machinery."""

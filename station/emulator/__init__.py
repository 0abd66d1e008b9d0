"""Virtual cards built from profiles (``station.profiles``): an ISO 7816 file system
(``fs``, ``layout``), the SSSE application (``ssc``), persistent card state (``state``),
cards and PSAMs made from profiles (``cards``), pre-made blank sets (``blanks``), the
virtual PSAM (``psam``) and the vpcd bridge (``vpcd``) that shows any of them to real
PC/SC.  Nothing is re-exported here, so importing the bridge does not pull in the profile
machinery."""

"""The simulation layer: where everything is, and how it is turned, at TDB time ``et``.

Units: km, s, radians (degrees only at the edges). Frame: J2000 equator (ICRF) with its origin at
Jupiter's centre. No GL, no argument parsing, no wall clock in here.
"""

"""Claim check: the checkable figures of a market note, each confirmed or corrected.

:mod:`bot.claims.extract` reads English prose into :class:`~bot.claims.model.Claim` data
(deterministic patterns, no model); :mod:`bot.claims.check` gives each a
:class:`~bot.claims.model.Verdict` from the data. No words for users here: those are in
:mod:`bot.render.claims`.
"""

"""The response coach: scores a seller's draft answer to a review against the house guidelines.

Pure Python (standard library only), offline and deterministic. It is a
Django app only so that it can ship the ``saypro coach`` command: it has no
models and imports no other saypro app. The entry point is
:func:`saypro.coaching.coach.coach`; docs/coaching.md describes every check.
"""

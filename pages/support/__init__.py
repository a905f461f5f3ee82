"""Helpers every page shares, one job per module: the session's store, feedback, text, the read cache, widgets.

Not pages themselves (``app.py`` lists the pages explicitly). Pages stay thin: they read from ``analytics``
through :mod:`pages.support.cache`, draw, and hand the user's actions back to ``analytics``.
"""

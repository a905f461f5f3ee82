"""Overview: the welcome on first run, the top careers, how much has evidence, and what to do next.

Drawn by :mod:`pages.sections.home` (an imported module: its bytecode is cached, which a page script's is not).
"""

from pages.sections.home import render_overview
from pages.support.session import get_store

render_overview(get_store())

"""The one stylesheet of the pages the course makes for printing or keeping (a session plan, a
« Suis-je prêt·e ? » report…): plain fonts, black text, bordered tables, no break inside a row.

Each page adds only what is its own; the shared part lives here so that a printed page of the course
looks the same whichever exercise made it."""

from __future__ import annotations


def printed_page_css(max_width: str = "60rem", print_font_size: str = "10.5pt") -> str:
    """The shared rules, for a page ``max_width`` wide on screen and ``print_font_size`` on paper."""
    return f"""
body {{ font-family: Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.45; color: #111;
       max-width: {max_width}; margin: 1.5rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: 0.2rem; }}
h2 {{ font-size: 1.25rem; margin-top: 1.5rem; border-bottom: 2px solid #444; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }}
th, td {{ border: 1px solid #767676; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }}
thead th {{ background: #f0f0f0; }}
.muted {{ color: #333; font-size: 0.95em; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: {print_font_size}; }}
  tr, li {{ break-inside: avoid; }}
  h2 {{ break-after: avoid; }}
}}
"""

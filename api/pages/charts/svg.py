"""What every chart shares: the outer element, text, links, rectangles and the ink colours."""

from __future__ import annotations

from markupsafe import Markup, escape

__all__ = ["FONT", "GRID", "INK", "MUTED", "link", "rect", "short", "svg", "text"]

INK = "#1b1b1b"
MUTED = "#4a4a4a"
GRID = "#b8b8b8"
FONT = 'font-family="system-ui, sans-serif"'


def svg(
    chart_id: str,
    width: float,
    height: float,
    title: str,
    description: str,
    body: str,
    role: str = "group",
    view_box: tuple[float, float, float, float] | None = None,
) -> Markup:
    """The outer element: a scalable drawing named by its title and description.

    ``view_box`` (x, y, width, height): the part of the drawing's coordinates shown at
    ``width`` × ``height``; by default all of them from the origin, at their own size.

    The title's id is ``<chart_id>-name``, not ``-title``: pages head a chart's section
    with ``<h2 id="<chart_id>-title">``, and two elements with one id leave the name
    that ``aria-labelledby`` finds to chance (axe-core's duplicate-id-aria).
    """
    x, y, w, h = view_box or (0.0, 0.0, width, height)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="{x:g} {y:g} {w:g} {h:g}" '
        f'role="{role}" '
        f'aria-labelledby="{escape(chart_id)}-name" aria-describedby="{escape(chart_id)}-desc" {FONT}>'
        f'<title id="{escape(chart_id)}-name">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>{body}</svg>'
    )


def text(
    x: float,
    y: float,
    words: str,
    *,
    size: int = 13,
    anchor: str = "start",
    colour: str = INK,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}" font-weight="{weight}"{extra}>{escape(words)}</text>'
    )


def link(url: str, name: str, inner: str) -> str:
    return f'<a href="{escape(url)}" aria-label="{escape(name)}"><title>{escape(name)}</title>{inner}</a>'


def rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"/>'


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

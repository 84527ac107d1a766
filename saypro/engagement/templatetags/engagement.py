"""``{% prompts "placement" product=… order=… store=… %}`` and ``{% help_menu %}``.

``prompts`` renders the person's prompts for a placement and records each as
shown (the cap counts these), so a page includes it once per placement.
``help_menu`` is the header's Help menu; on a page with a guided tour it also
carries the tour's steps and whether it starts by itself (first visit).
"""

from django import template

from saypro.engagement import selectors, services
from saypro.engagement.selectors import PageSubject
from saypro.engagement.tutorials import TUTORIALS, tutorial_for_page

register = template.Library()


@register.inclusion_tag("engagement/partials/prompts.html", takes_context=True)
def prompts(context, placement: str, *, store=None, product=None, order=None):
    request = context["request"]
    shown = selectors.prompts_for(
        request.user, placement, PageSubject(store=store, product=product, order=order)
    )
    services.record_shown(user=request.user, shown=shown)
    return {"shown": shown, "placement": placement, "request": request}


@register.inclusion_tag("engagement/partials/help_menu.html", takes_context=True)
def help_menu(context):
    request = context["request"]
    match = request.resolver_match
    tutorial = tutorial_for_page(match.view_name) if match else None
    if tutorial and tutorial.for_sellers and not context.get("nav_is_seller"):
        tutorial = None
    progress = selectors.tutorial_progress(request.user, tutorial) if tutorial else None
    is_seller = bool(context.get("nav_is_seller"))
    return {
        "tutorial": tutorial,
        "autostart": tutorial is not None and progress is None,
        "tours": [tour for tour in TUTORIALS.values() if is_seller or not tour.for_sellers],
        "request": request,
    }


@register.filter
def tour_steps(tutorial) -> list[dict]:
    """The tour's steps for ``json_script`` (plain text: the script escapes them)."""
    return [
        {
            "target": step.target,
            "title": step.title,
            "text": step.text,
            "link": step.link,
            "link_label": step.link_label,
        }
        for step in tutorial.steps
    ]


# --- The office chart: server-rendered SVG, as insights and improvements draw theirs -------------

# Okabe–Ito colours: told apart with every common colour-vision deficiency, ≥ 3:1 on white.
RATE_COLOURS = {"click_rate": "#0072B2", "follow_rate": "#D55E00"}
# Each prompt's name sits above its two bars, across the whole width: a name beside the
# bars was cut off on a phone, where the chart shrinks and its text is drawn larger.
CHART_WIDTH, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP = 640, 8, 24, 8
ROW_HEIGHT, LABEL_HEIGHT, BAR_HEIGHT, AXIS_ROOM = 58, 22, 12, 40
LABEL_LENGTH = 48


def _nice_top(share: float) -> int:
    """The smallest of 10, 20, 50, 100 (percent) that holds ``share``."""
    percent = share * 100
    return next(top for top in (10, 20, 50, 100) if percent <= top)


@register.inclusion_tag("engagement/partials/rates_chart.html")
def rates_chart(rows: list[dict], period_label: str):
    """Click-through and follow rate of each prompt shown in the period, as paired bars."""
    charted = [row for row in rows if row["shown"]]
    top = _nice_top(
        max(
            (row[key] or 0 for row in charted for key in RATE_COLOURS),
            default=0,
        )
    )
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    bars = []
    for n, row in enumerate(charted):
        y = PLOT_TOP + n * ROW_HEIGHT
        name = row["prompt"].name
        pair = []
        for offset, key in enumerate(RATE_COLOURS):
            share = row[key] or 0
            pair.append(
                {
                    "key": key,
                    "y": y + LABEL_HEIGHT + offset * (BAR_HEIGHT + 2),
                    "width": round(share * 100 / top * plot_width, 2),
                    "colour": RATE_COLOURS[key],
                    "percent": round(share * 100, 1),
                    "has_value": row[key] is not None,
                }
            )
        bars.append(
            {
                "label": name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1] + "…",
                "name": name,
                "label_y": y + LABEL_HEIGHT - 6,
                "bars": pair,
            }
        )
    plot_bottom = PLOT_TOP + len(charted) * ROW_HEIGHT
    ticks = [
        {
            "label": f"{value} %",
            "x": round(PLOT_LEFT + value / top * plot_width, 2),
            "anchor": anchor,
        }
        for value, anchor in ((0, "start"), (top // 2, "middle"), (top, "end"))
    ]
    return {
        "bars": bars,
        "ticks": ticks,
        "width": CHART_WIDTH,
        "height": plot_bottom + AXIS_ROOM,
        "plot_left": PLOT_LEFT,
        "plot_right": CHART_WIDTH - PLOT_RIGHT,
        "plot_top": PLOT_TOP,
        "plot_bottom": plot_bottom,
        "tick_y": plot_bottom + 16,
        "axis_label_y": plot_bottom + AXIS_ROOM - 4,
        "colours": RATE_COLOURS,
        "period_label": period_label,
    }


@register.filter
def rate(value) -> str:
    """A share (0.0–1.0) as a percentage with one decimal ("12.5 %"); "–" when there is none."""
    if value is None:
        return "–"
    return f"{value * 100:.1f} %"

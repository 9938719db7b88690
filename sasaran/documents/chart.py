"""Target against realisation per quarter, as SVG drawn on the server, so the browser and
the PDF reports show the same chart without JavaScript."""

from decimal import Decimal

from sasaran.numbers import format_id_number, nice_ticks, scaled

WIDTH, HEIGHT = 520, 240
LEFT, RIGHT, TOP, BOTTOM = 70, 15, 20, 40


def short_number(value):
    """An axis label as the office writes big sums: 20 T; 7,5 T; 250; 2,5; 0,25 (every
    digit of a round tick, none more)."""
    value, suffix = scaled(value) or (value, "")
    places = max(0, -value.normalize().as_tuple().exponent)
    return f"{format_id_number(value, places)} {suffix}".strip()


def quarter_chart(points, cumulative=False):
    """`points`: four dicts (label, target, realised, to_date), values Decimal or None.

    Returns the geometry the template `sasaran/_chart.svg` draws: bars for realisation,
    a stepped target line, and the year-to-date line for cumulative indicators.
    """
    values = [
        p[k] for p in points for k in ("target", "realised", "to_date") if p.get(k) is not None
    ]
    axis = nice_ticks(0, max(values, default=Decimal(0)))  # 0 to at least the highest value
    top = axis[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(points)

    def y(v):
        return round(TOP + plot_h - float(v / top) * plot_h, 1)

    bars, targets, to_date = [], [], []
    for i, p in enumerate(points):
        x = LEFT + slot * i
        centre = round(x + slot / 2, 1)
        if p.get("realised") is not None:
            bars.append(
                {
                    "x": round(x + slot * 0.25, 1),
                    "y": y(p["realised"]),
                    "w": round(slot * 0.5, 1),
                    "h": round(TOP + plot_h - y(p["realised"]), 1),
                    "value": p["realised"],
                }
            )
        if p.get("target") is not None:
            targets.append(
                {
                    "x1": round(x + slot * 0.1, 1),
                    "x2": round(x + slot * 0.9, 1),
                    "cx": centre,
                    "y": y(p["target"]),
                    "value": p["target"],
                }
            )
        if cumulative and p.get("to_date") is not None:
            to_date.append(f"{centre},{y(p['to_date'])}")
    ticks = [{"y": y(value), "label": short_number(value)} for value in axis]
    labels = [
        {"x": round(LEFT + slot * (i + 0.5), 1), "text": p["label"]} for i, p in enumerate(points)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + plot_h,
        "bars": bars,
        "targets": targets,
        "to_date": " ".join(to_date),
        "ticks": ticks,
        "labels": labels,
        "cumulative": cumulative,
    }

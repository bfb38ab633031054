"""A consistent, colour-blind-safe plot style (Okabe & Ito 2008 palette) and small plot helpers."""
import matplotlib as mpl

# Okabe-Ito: distinguishable under the common colour-vision deficiencies, and in greyscale by order.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE = [OKABE_ITO[name] for name in ("blue", "orange", "green", "vermillion", "sky_blue", "reddish_purple", "black", "yellow")]
# Sequential maps for heat-maps: viridis/cividis are perceptually uniform and colour-blind-safe.
SEQUENTIAL_COLORMAP = "viridis"


def use_course_style() -> None:
    """Apply the course style to every later matplotlib figure."""
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "image.cmap": SEQUENTIAL_COLORMAP,
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 90,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.frameon": False,
        }
    )


def describe(figure, alt_text: str):
    """Attach alt text to a figure (stored as its label, shown under it) and return the figure.

    Every course plot gets a one-sentence description for readers who cannot see it.
    """
    figure.set_label(alt_text)
    figure.text(0.01, -0.02, f"Alt text: {alt_text}", fontsize=8, ha="left", va="top", wrap=True, color="#444444")
    return figure

"""Helper package for the course "Recurrent networks in Keras: LSTM and GRU".

Notebooks start with::

    from rnncourse import course_setup
    course_setup()          # quiet TensorFlow, seed everything, colour-blind-safe plots
    import keras

Everything a lesson does *not* teach (data loaders, plotting style, seeding, start-up noise) lives
here, so that notebooks show only the code that they teach.
"""
from rnncourse.config import LONG_MODE, by_mode
from rnncourse.quiet import quiet_tensorflow
from rnncourse.results import save_results
from rnncourse.seeding import seed_everything


def course_setup(seed: int = 42, plots: bool = True) -> None:
    """Prepare a notebook: quiet TensorFlow start-up, fixed seeds and the course plot style.

    Call it before ``import keras`` so that the log settings take effect.
    """
    quiet_tensorflow()
    seed_everything(seed)
    if plots:
        from rnncourse.plotting import use_course_style

        use_course_style()


__all__ = ["LONG_MODE", "by_mode", "course_setup", "quiet_tensorflow", "save_results", "seed_everything"]

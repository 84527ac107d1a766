"""Progress reporting: the bar type long operations take, and tqdm on a command's stderr."""

from collections.abc import Callable
from typing import Protocol

from django.core.management.base import OutputWrapper


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...


# (description, total) -> a bar; commands pass tqdm, code called without one gets no_progress.
ProgressFactory = Callable[[str, int], ProgressBar]


class _NoProgressBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def no_progress(description: str, total: int) -> ProgressBar:
    return _NoProgressBar()


class ProgressStream:
    """Lets tqdm redraw its line on a command's stderr: no added newline, no error colour."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self._wrapper.flush()


def tqdm_bars(
    stderr: OutputWrapper, *, enabled: bool, unit: str, width: int = 0, leave: bool = True
) -> ProgressFactory:
    """A command's bars: tqdm on its stderr, one per (description, total), descriptions
    padded to ``width`` so the bars of one command line up."""
    from tqdm import tqdm

    stream = ProgressStream(stderr)

    def bar(description: str, total: int) -> ProgressBar:
        return tqdm(
            total=total,
            desc=f"{description:<{width}}",
            unit=unit,
            file=stream,
            disable=not enabled,
            ascii=False,
            dynamic_ncols=True,
            leave=leave,
        )

    return bar

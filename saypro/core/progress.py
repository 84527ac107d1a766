"""Progress bars for management commands."""

from django.core.management.base import OutputWrapper


class ProgressStream:
    """Lets tqdm redraw its line on a command's stderr: no added newline, no error colour."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self._wrapper.flush()

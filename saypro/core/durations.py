"""Durations written compactly, the same way in every page and in the live scripts."""


def compact_duration(seconds: float) -> str:
    """``4980`` → ``"1 h 23 min"``; at least ``"1 min"``."""
    minutes = max(0, int(seconds)) // 60
    if minutes < 60:
        return f"{max(1, minutes)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"

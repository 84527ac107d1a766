#!/usr/bin/env python
"""Django's command-line utility; ``saypro`` (the console script) does the same."""

from saypro.__main__ import main

if __name__ == "__main__":
    main()

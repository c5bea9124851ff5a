"""marsad (مرصد): an Arabic news story engine.

Raw pages in, clean articles and stories out. See README.md for the commands and the Python API.
"""

from marsad.model import Article, Page, Rejection

__all__ = ["Article", "Page", "Rejection"]
__version__ = "0.3.0"

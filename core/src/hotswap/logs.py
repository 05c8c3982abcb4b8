"""hotswap's loggers, each with the redacting filter attached.

A filter on a logger does not apply to its children, so every module takes its logger from
:func:`get_logger` rather than from :func:`logging.getLogger`.
"""

from __future__ import annotations

import logging

from hotswap.secrets import RedactingFilter

__all__ = ["get_logger"]

_FILTER = RedactingFilter()


def get_logger(name: str) -> logging.Logger:
    """The logger called ``name`` (``hotswap.plugins``), scrubbing secrets from every record."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger

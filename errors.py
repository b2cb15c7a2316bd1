"""One exception root for everything policygraph reports to a user.

Every message says what went wrong and what to do about it; the CLI prints it
as one line and exits non-zero, without a traceback unless --debug is given.
"""
from __future__ import annotations


class PolicyGraphError(Exception):
    """Root of all errors meant for the user."""

    exit_code = 1


class InputError(PolicyGraphError):
    """A document or path the loaders cannot read."""

    exit_code = 2


class StoreError(PolicyGraphError):
    """The graph store cannot be reached, started or written."""

    exit_code = 3


class QueryError(PolicyGraphError):
    """A Cypher query failed or a named query was used wrongly."""

    exit_code = 4


class UsageError(PolicyGraphError):
    """A command was called with arguments that do not fit."""

    exit_code = 2

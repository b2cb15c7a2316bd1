"""Stable entity ids: ``type-prefix:slug``."""
from __future__ import annotations

import re
import unicodedata

from policygraph.schema.model import ENTITY_TYPES


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("5th Basic Plan" -> "5th-basic-plan")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.casefold()).strip("-")
    return text or "unnamed"


def entity_id(type_: str, name: str) -> str:
    return f"{ENTITY_TYPES[type_]}:{slugify(name)}"

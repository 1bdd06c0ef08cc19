"""Optional LLM phrasing (filled in below); off by default."""

from __future__ import annotations


def phraser_from_settings():
    return None

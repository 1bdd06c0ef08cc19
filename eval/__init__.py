"""The evaluation suite."""

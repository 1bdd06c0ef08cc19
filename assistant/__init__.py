"""The assistant."""

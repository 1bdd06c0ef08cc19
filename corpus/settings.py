"""All configuration in one place: environment variables with defaults.

Every package reads its settings from here (this is the bottom layer, so all
others may import it). The README lists each variable.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(__file__).resolve().parent / "data" / "curriculum.json"
OFFLINE_E5 = "offline-e5-small"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(REPO_ROOT / "data", alias="ADVISOR_DATA_DIR")
    corpus_file: Path = Field(DEFAULT_CORPUS, alias="ADVISOR_CORPUS")
    models_dir: Path | None = Field(None, alias="ADVISOR_MODELS_DIR")
    embed_model: str = Field(OFFLINE_E5, alias="ADVISOR_EMBED_MODEL")
    collection: str = Field("courses", alias="ADVISOR_COLLECTION")
    chroma_host: str | None = Field(None, alias="CHROMA_HOST")
    chroma_port: int = Field(8000, alias="CHROMA_PORT")
    host: str = Field("127.0.0.1", alias="ADVISOR_HOST")
    port: int = Field(7860, alias="ADVISOR_PORT")
    llm: str = Field("none", alias="ADVISOR_LLM")  # none | openai | gguf
    llm_base_url: str | None = Field(None, alias="ADVISOR_LLM_BASE_URL")
    llm_model: str | None = Field(None, alias="ADVISOR_LLM_MODEL")
    llm_api_key: str = Field("not-needed", alias="ADVISOR_LLM_API_KEY")
    llm_gguf: Path | None = Field(None, alias="ADVISOR_LLM_GGUF")
    llm_timeout: float = Field(60.0, alias="ADVISOR_LLM_TIMEOUT")
    database_url: str | None = Field(None, alias="ADVISOR_DATABASE_URL")
    retention_days: int = Field(365, alias="ADVISOR_RETENTION_DAYS")
    trainer_session_hours: float = Field(8.0, alias="ADVISOR_TRAINER_SESSION_HOURS")
    # A pointer switched by another app server is retried this long while its version row is not yet in the database.
    publish_grace_seconds: float = Field(120.0, ge=0, alias="ADVISOR_PUBLISH_GRACE_SECONDS")
    # Sign-in limits (shared by every app server through the database): failures within the window.
    login_window_minutes: float = Field(15.0, gt=0, alias="ADVISOR_LOGIN_WINDOW_MINUTES")
    login_max_failures_per_account: int = Field(5, ge=1, alias="ADVISOR_LOGIN_MAX_FAILURES")
    login_max_failures_per_client: int = Field(20, ge=1, alias="ADVISOR_LOGIN_MAX_FAILURES_PER_CLIENT")

    @property
    def model_dir(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reload_settings() -> Settings:
    """Forget cached settings (tests change the environment)."""
    get_settings.cache_clear()
    return get_settings()

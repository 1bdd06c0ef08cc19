"""The embedding model, loaded once per process, behind two faces: a langchain
`Embeddings` and a Chroma `EmbeddingFunction`.

Questions and passages (course rows, sections) both go through the ONNX export of
the same model when the folder has one (`index.query_encoder`): the same vectors as
sentence-transformers (cosine > 0.9999, tests/test_model_build.py) without importing
torch, so a fresh process answers sooner and a publish from the web app embeds the
changed courses without loading torch. sentence-transformers is the fallback for a
folder without a usable export, and the reference the ONNX vectors are measured against.

Chroma is always handed this function explicitly: its built-in default would
download a model.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings as ChromaEmbeddings
from langchain_core.embeddings import Embeddings

from corpus.settings import OFFLINE_E5, Settings, get_settings
from index.model_build import build_offline_e5
from index.query_encoder import OnnxEncoder

log = logging.getLogger(__name__)
_lock = threading.Lock()


def resolve_model(settings: Settings | None = None) -> str:
    """The offline build's folder (built on first use), or the configured name or path."""
    settings = settings or get_settings()
    if settings.embed_model == OFFLINE_E5:
        return str(build_offline_e5(settings.model_dir / OFFLINE_E5))
    return settings.embed_model


@lru_cache(maxsize=4)
def _load_query_encoder(name_or_path: str) -> OnnxEncoder | None:
    folder = Path(name_or_path)
    if not folder.is_dir():
        return None
    try:
        return OnnxEncoder.load(folder)
    except Exception as exc:  # onnxruntime raises several kinds for a damaged file
        log.warning("ONNX 查詢模型無法使用（%s），改用 sentence-transformers；執行 `python -m index model --force` 可重建", exc)
        return None


@lru_cache(maxsize=4)
def _load(name_or_path: str):
    if Path(name_or_path).is_dir():
        # A local folder: make sure nothing tries a hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return SentenceTransformer(name_or_path, device="cpu")


class E5Embeddings(Embeddings):
    """Query/passage embeddings with the model's own prompts, normalized."""

    def __init__(self, name_or_path: str | None = None, batch_size: int = 32):
        self.name_or_path = name_or_path or resolve_model()
        self.batch_size = batch_size
        self._model = None
        self._queries: OnnxEncoder | None | bool = False  # False: not looked for yet

    @property
    def model(self):
        """The sentence-transformers model, loaded on first use (only without a usable ONNX export, or as the reference)."""
        if self._model is None:
            with _lock:
                self._model = _load(self.name_or_path)
        return self._model

    @property
    def query_encoder(self) -> OnnxEncoder | None:
        """The ONNX encoder (questions and passages), or None when the folder has no usable export."""
        if self._queries is False:
            with _lock:
                self._queries = _load_query_encoder(self.name_or_path)
        return self._queries

    def warm(self) -> None:
        """Load what answering questions needs (used while the index opens)."""
        if self.query_encoder is None:
            _ = self.model

    def _prompt(self, name: str) -> str | None:
        return name if name in (getattr(self.model, "prompts", None) or {}) else None

    @property
    def dimension(self) -> int:
        return len(self.embed_query("維度"))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors (`passage: ` prompt) for course rows and sections."""
        if self.query_encoder is not None:
            return self.query_encoder.encode(list(texts), prompt_name="passage", batch_size=self.batch_size).tolist()
        return self.embed_documents_with_sentence_transformers(texts)

    def embed_documents_with_sentence_transformers(self, texts: list[str]) -> list[list[float]]:
        """The fallback path for passages, and the reference the ONNX path is measured against."""
        vectors = self.model.encode(
            list(texts), prompt_name=self._prompt("passage"), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        if self.query_encoder is not None:
            return self.query_encoder.encode(list(texts)).tolist()
        return self.embed_queries_with_sentence_transformers(texts)

    def embed_queries_with_sentence_transformers(self, texts: list[str]) -> list[list[float]]:
        """The fallback path, and the reference the ONNX path is measured against."""
        vectors = self.model.encode(list(texts), prompt_name=self._prompt("query"), normalize_embeddings=True, show_progress_bar=False)
        return vectors.tolist()


class ChromaE5Function(EmbeddingFunction[Documents]):
    """Chroma's view of the same model (documents as passages, queries as queries)."""

    def __init__(self, embeddings: E5Embeddings):
        self.embeddings = embeddings

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return self.embeddings.embed_documents(list(input))

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        return self.embeddings.embed_queries(list(input))

    @staticmethod
    def name() -> str:
        return "ai-advisor-e5"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.embeddings.name_or_path}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "ChromaE5Function":
        return ChromaE5Function(E5Embeddings(config["model"]))


@lru_cache(maxsize=1)
def default_embeddings() -> E5Embeddings:
    return E5Embeddings()

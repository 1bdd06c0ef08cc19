"""Question and passage vectors from the ONNX export of the same model: onnxruntime + tokenizers.

Importing sentence-transformers (and torch, transformers, sklearn behind it) costs several
seconds and several hundred MB per process, and its per-query overhead is larger than a
question's forward pass. The model build exports `onnx/model.onnx` next to the
sentence-transformers files, and this encoder reproduces the folder's own pipeline — prompt
(`query: ` for questions, `passage: ` for course rows and sections), tokenizer, truncation,
mean pooling, normalize — reading every setting from the folder. So answering questions and
publishing a syllabus (which embeds the changed courses) need no torch; the vectors equal
sentence-transformers' (tests/test_model_build.py). A folder this encoder cannot reproduce
exactly (no export, another pooling) is left to sentence-transformers: `load` returns None.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ONNX_FILE = Path("onnx") / "model.onnx"
_SUPPORTED_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling", "sentence_transformers.models.Normalize"]
BATCH = 32  # texts per forward pass: as sentence-transformers, sorted by length so a batch pads little


def _read(folder: Path, name: str) -> dict | list:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def supports(folder: Path) -> bool:
    """True when the folder has an export and the Transformer → mean pooling → Normalize pipeline."""
    try:
        modules = [m["type"] for m in _read(folder, "modules.json")]
        pooling = _read(folder, "1_Pooling/config.json")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    only_mean = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    return (folder / ONNX_FILE).is_file() and modules == _SUPPORTED_MODULES and bool(only_mean)


class OnnxEncoder:
    """Normalized mean-pooled vectors for `query: …` or `passage: …` texts, equal to sentence-transformers' own."""

    def __init__(self, folder: Path):
        import onnxruntime
        from tokenizers import Tokenizer

        settings = _read(folder, "config_sentence_transformers.json")
        self.prompts: dict[str, str] = dict(settings.get("prompts") or {})
        self.prompt = self.prompts.get("query", "")  # the question prompt (kept for callers of the query path)
        max_length = int(_read(folder, "sentence_bert_config.json").get("max_seq_length", 512))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length)
        pad = self.tokenizer.padding["pad_token"] if self.tokenizer.padding else "<pad>"
        if (folder / "special_tokens_map.json").is_file():
            pad = _read(folder, "special_tokens_map.json").get("pad_token", pad)
        pad_id = self.tokenizer.token_to_id(pad)
        if pad_id is None:
            raise ValueError(f"tokenizer has no pad token {pad!r}")
        self.tokenizer.enable_padding(pad_id=pad_id, pad_token=pad)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        # Our export takes ids and mask; other exports (e.g. a hub folder's) may also take token types.
        self.inputs = [i.name for i in self.session.get_inputs()]
        unknown = set(self.inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if unknown or not {"input_ids", "attention_mask"} <= set(self.inputs):
            raise ValueError(f"unexpected ONNX inputs {self.inputs}")
        output = self.session.get_outputs()[0].name
        if output != "last_hidden_state":
            raise ValueError(f"unexpected ONNX output {output}")

    @classmethod
    def load(cls, folder: Path) -> OnnxEncoder | None:
        return cls(folder) if supports(folder) else None

    def encode(self, texts: list[str], prompt_name: str = "query", batch_size: int = BATCH) -> np.ndarray:
        """One row per text, in the given order; `prompt_name` is `query` or `passage` (the folder's prompts)."""
        prompt = self.prompts.get(prompt_name, "")
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if len(texts) <= batch_size:
            return self._forward([prompt + t for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: np.ndarray | None = None
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            vectors = self._forward([prompt + texts[i] for i in chunk])
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=vectors.dtype)
            out[chunk] = vectors
        return out

    def _forward(self, prompted: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(prompted)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


OnnxQueryEncoder = OnnxEncoder  # the name it had when it only embedded questions

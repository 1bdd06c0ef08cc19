"""Chinese text handling for retrieval: script conversion and tokens.

The corpus stays in Traditional characters. A query written in Simplified
characters is converted to Taiwan Traditional (OpenCC `s2twp`, which also maps
mainland terms such as 信息→資訊, 软件→軟體); a Traditional query is left as
typed, because `s2twp` would also rewrite Taiwan words (數據→資料, 台→臺).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba
import opencc

jieba.setLogLevel(logging.WARNING)

_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
# Characters OpenCC treats as Simplified although Taiwan writes them daily.
_SHARED = set("台着干里面只么后发松")

STOP = set(
    "的 了 和 與 及 或 在 是 我 你 他 們 有 要 會 能 上 中 嗎 呢 吧 啊 哪 些 什麼 怎麼 如何 哪些 課 課程 請問 一下 想 可以 相關 有關"
    " 關於 推薦 一門 幾 門 這 那 跟 問 給 個 為 用 做 該 應該 需要".split()
)


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=1)
def _s2twp() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


@lru_cache(maxsize=20000)
def _is_simplified_char(ch: str) -> bool:
    # Character by character: phrase rules (了解→瞭解) would flag Traditional text.
    return ch not in _SHARED and _s2t().convert(ch) != ch


def has_simplified(text: str) -> bool:
    return any(_is_simplified_char(ch) for ch in set(text) if "\u3400" <= ch <= "\u9fff")


def to_traditional(text: str) -> str:
    """Simplified input → Taiwan Traditional; Traditional input unchanged."""
    return _s2twp().convert(text) if has_simplified(text) else text


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), drop control characters, Traditional script."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return to_traditional(re.sub(r"\s+", " ", text).strip())


def tokens(text: str) -> list[str]:
    """BM25 tokens: jieba words, CJK character bigrams, lower-case ASCII words."""
    text = text.lower()
    out: list[str] = []
    for word in jieba.lcut_for_search(text):
        word = word.strip()
        if word and word not in STOP and (_CJK.fullmatch(word) or _WORD.fullmatch(word)):
            out.append(word)
    for run in _CJK.findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    out.extend(_WORD.findall(text))
    return out


@lru_cache(maxsize=8192)
def token_set(text: str) -> frozenset[str]:
    """`tokens` as a set, cached: for course goals and outline items, compared on every answer (not for user text)."""
    return frozenset(tokens(text))

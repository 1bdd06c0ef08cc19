"""Everyday words → the curriculum's own words, appended to a query.

Civil servants ask in their words (粉專, 個資, 廠商); the syllabus says
社交媒體, 資料隱私, 委外. Each entry is a domain fact about Taiwan usage, not
an answer: it adds the syllabus term and lets retrieval decide.
"""

from __future__ import annotations

import re

EXPANSIONS: dict[str, str] = {
    "粉專": "社交媒體",
    "粉絲專頁": "社交媒體",
    "臉書": "社交媒體",
    "facebook": "社交媒體",
    "ig": "社交媒體",
    "社群": "社交媒體",
    "小編": "社交媒體管理 社交媒體",
    "個資": "個資法 個人資料保護 資料隱私保護法規",
    "隱私": "資料隱私",
    "公文": "文書 撰寫公文",
    "簽呈": "文書 公文",
    "會議紀錄": "文書 報告 內容創作",
    "紀錄": "文書 報告",
    "摘要": "文書 報告",
    "教材": "內容創作 文書",
    "講義": "內容創作 文書",
    "學習單": "內容創作 文書",
    "新聞稿": "宣傳文案 媒體稿件",
    "文宣": "宣傳文案",
    "海報": "圖像 視覺設計 宣傳",
    "畫圖": "圖像創建",
    "生圖": "圖像創建",
    "產圖": "圖像創建",
    "文生圖": "圖像創建",
    "設計思考": "設計思維",
    "做圖": "圖像創建",
    "作圖": "圖像創建",
    "繪圖": "圖像創建",
    "圖片": "圖像",
    "廠商": "委外",
    "外包": "委外",
    "標案": "委外 採購",
    "採購": "採購策略",
    "驗收": "驗收 測試",
    "客服": "客戶服務",
    "自動回覆": "客戶服務 客服系統",
    "回覆民眾": "客戶服務 民眾查詢",
    "算力": "計算資源 硬體資源 高性能計算",
    "看板": "kanban 敏捷開發",
    "kanban": "敏捷開發",
    "專案進度": "敏捷開發 專案管理",
    "牴觸": "法律合規性 合規",
    "上位法": "法律 法規",
    "條例": "法規",
    "民眾詢問": "客戶服務 民眾查詢",
    "陳情": "民眾查詢 客戶服務",
    "聊天機器人": "客服系統",
    "chatbot": "客服系統",
    "資安": "AI安全 攻擊防禦",
    "駭客": "攻擊 安全",
    "深偽": "深偽 偽造辨識",
    "假訊息": "偽造辨識 媒體素養",
    "法規": "法律 合規",
    "法遵": "法律合規性",
    "稽核": "審計",
    "審計": "審計 風險管理",
    "大數據": "數據 資料科學",
    "統計": "數據分析 資料科學",
    "報表": "數據分析",
    "數據": "數據分析 數據驅動決策",
    "詐騙": "偽造辨識 防偽辨識",
    "換臉": "深偽 偽造辨識",
    "python": "資料科學 機器學習",
    "敏捷": "敏捷開發 scrum",
    "維運": "性能監控 優化",
    "監控": "性能監控",
    "效能": "性能",
    "瓶頸": "性能瓶頸 性能監控",
    "上線": "部署",
    "部署": "部署 持續部署",
    "mlops": "持續優化 監控",
    "llm": "大型語言模型",
    "large language model": "大型語言模型",
    "cost-efficient": "經濟高效 成本",
    "cost efficient": "經濟高效 成本",
    "大模型": "大型語言模型",
    "gpt": "ChatGPT 生成式AI",
    "chatgpt": "生成式AI",
    "領導": "數位領導力",
    "轉型": "數位轉型",
    "創新": "創新 設計思維",
    "政策": "政策 策略",
    # English words for simple English questions.
    "agile": "敏捷開發",
    "scrum": "敏捷開發",
    "privacy": "資料隱私",
    "personal data": "個人資料 資料隱私",
    "law": "法律 法規",
    "legal": "法律",
    "compliance": "合規",
    "procurement": "採購",
    "audit": "審計",
    "security": "安全",
    "customer service": "客戶服務",
    "marketing": "行銷 宣傳",
    "social media": "社交媒體",
    "image": "圖像",
    "design thinking": "設計思維",
    "leadership": "領導力",
    "strategy": "策略",
    "policy": "政策",
    "data science": "資料科學",
    "machine learning": "機器學習",
    "deep learning": "深度學習",
    "multimodal": "多模態",
    "multi-modal": "多模態",
    "images and text": "多模態",
    "text and images": "多模態",
    "圖文": "多模態",
    "圖片和文字": "多模態",
    "影像和文字": "多模態",
    "images": "圖像",
    "bias": "偏見 公平性",
    "fairness": "公平性",
    "偏誤": "偏見 公平性",
    "歧視": "偏見 公平性",
    "benchmark": "基準測試",
    "adversarial": "對抗樣本 攻擊防禦",
    "視覺化": "可視化 數據可視化",
    "evaluation": "評估",
    "monitoring": "性能監控",
    "troubleshooting": "問題識別與解決",
    "deepfake": "深偽",
    "ethics": "倫理",
    "trends": "趨勢",
    "writing": "撰寫 文書",
}


def _pattern(word: str) -> re.Pattern:
    # ASCII words match whole words only ("ig" must not match "design").
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])" if word.isascii() else re.escape(word))


_PATTERNS = [(word, _pattern(word), terms) for word, terms in EXPANSIONS.items()]


def matches(query: str) -> list[str]:
    """The syllabus terms the query's everyday words point to."""
    lowered = query.lower()
    # Every pattern needs its word as a substring: the plain `in` test skips most regex searches.
    return [terms for word, pattern, terms in _PATTERNS if word in lowered and pattern.search(lowered)]


def expand(query: str) -> str:
    extra = matches(query)
    return f"{query} {' '.join(extra)}" if extra else query

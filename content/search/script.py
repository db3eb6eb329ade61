"""Traditional to Simplified Chinese, fast enough for every query and every topic.

Topic text is written in Simplified Chinese, so the index side only needs a character table, applied with
`str.translate`. Queries may be typed in Traditional script with Taiwan vocabulary (程式, 記憶體); those go
through OpenCC's `tw2sp` phrase conversion first, but only when they hold a Traditional-only character:
run on Simplified text, OpenCC rewrites correct words (什么 -> 什幺, 序列 -> 串行).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import opencc

log = logging.getLogger(__name__)

_DICT_DIR = Path(opencc.__file__).resolve().parent / "dictionary"

# Taiwan computing vocabulary that OpenCC's phrase table leaves alone, in Simplified characters.
# General words, not tied to any query: each maps to the word mainland material uses.
TW_TERMS: dict[str, str] = {
    "乱数": "随机数",
    "变异数": "方差",
    "资料集": "数据集",
    "资料": "数据",
    "函式": "函数",
    "物件": "对象",
    "阵列": "数组",
    "变数": "变量",
    "预设": "默认",
    "回圈": "循环",
    "执行绪": "线程",
    "模组": "模块",
    "记忆体": "内存",
    "程式码": "代码",
    "程式": "程序",
    "最佳化": "优化",
    "档案": "文件",
    "网路": "网络",
    "启动函数": "激活函数",
    "激励函数": "激活函数",
    "正规化": "归一化",
    "位元": "比特",
    "装置": "设备",
    "分散式": "分布式",
    "伺服器": "服务器",
    "推论": "推理",
    "效能": "性能",
    "演算法": "算法",
    "运算子": "算子",
    "快取": "缓存",
    "呼叫": "调用",
    "载入": "加载",
    "储存": "保存",
    "遮罩": "掩码",
    "倒传递": "反向传播",
    "排程": "调度",
    "丢弃法": "dropout",
    "显示卡": "显卡",
    "硬体": "硬件",
    "软体": "软件",
    "介面": "接口",
    "批次正规化": "批归一化",
    "行程": "进程",
}


def _read_table(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in (_DICT_DIR / name).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            table[parts[0]] = parts[1].split(" ")[0]
    return table


@functools.cache
def traditional_chars() -> dict[int, str]:
    """Characters that exist only in Traditional script, mapped to their Simplified form."""
    to_simplified = _read_table("TSCharacters.txt")
    simplified_keys = set(_read_table("STCharacters.txt"))
    table = {c: s for c, s in to_simplified.items() if s != c and c not in simplified_keys}
    return str.maketrans(table)


@functools.cache
def _tw_converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def has_traditional(text: str) -> bool:
    table = traditional_chars()
    return any(ord(c) in table for c in text)


def simplify_chars(text: str) -> str:
    """Character-level Traditional -> Simplified; a no-op on Simplified text."""
    return text.translate(traditional_chars())


def simplify_query(text: str) -> str:
    """Traditional (Taiwan) phrasing -> Simplified, then Taiwan computing words -> mainland words."""
    if has_traditional(text):
        try:
            text = _tw_converter().convert(text)
        except Exception:  # the converter is third-party code; a character table is the fallback
            log.exception("OpenCC conversion failed; using the character table only")
        text = simplify_chars(text)
    for word, mainland in TW_TERMS.items():
        if word in text:
            text = text.replace(word, mainland)
    return text

"""Topic search for `/ask`: bilingual (Simplified and Traditional Chinese, English, code-switching),
identifier-aware, typo-tolerant, with a confidence flag and Discord autocomplete.

    index = SearchIndex.build(load_bank().topics.values())
    response = index.search("显存爆了怎么办")      # SearchResponse: .confident, .hits, .lang, .to_json()
    choices = index.suggest("grad", lang="en")     # list[Suggestion], at most 25
"""

from content.search.index import SearchIndex
from content.search.models import Hit, SearchResponse, Suggestion

__all__ = ["Hit", "SearchIndex", "SearchResponse", "Suggestion"]

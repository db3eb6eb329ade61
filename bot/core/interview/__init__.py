"""Mock interviews: `/interview` asks open questions one at a time, checks the member's free-text answer
against the topic's key points, asks the follow-up an interviewer would ask next, and ends with a report.

Layout: `matching.py` pre-ticks the key points an answer covers (bilingual term matching); `store.py`
keeps every interview and answer in SQLite (nothing in memory, so every button still works after a
restart); `plan.py` picks the questions; `report.py` scores them; `command.py` holds the handlers.
"""

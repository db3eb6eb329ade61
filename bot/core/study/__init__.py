"""The study loop: quizzes, FSRS spaced-repetition reviews, progress, streaks, leaderboards, privacy.

Layout: storage functions take a `sqlite_utils.Database` and run on the database thread
(`await tutor.db.run(fn, ...)`); `features/` holds the command handlers; nothing here keeps state in
memory, so every button (a command line, see actions.py) still works after a restart.

For other features (the daily question): `record_answer` in record.py is the one way to record an
answer; it updates the FSRS card, the answer history, the streak day and the leaderboard in one
transaction.
"""

from bot.core.study.record import LOCAL_GUILD, Recorded, record_answer, record_rating

__all__ = ["LOCAL_GUILD", "Recorded", "record_answer", "record_rating"]

"""The command lines behind the study loop's buttons: all state rides in them, none in memory.

`/quiz-answer <token> <topic> <mcq> <order> <picked>`: `order` is the shown permutation of the
options as digits (e.g. `2031`: the first button is option 2 of the topic file), `picked` a shown
position. `/review-show <topic> <card>` and `/review-rate <topic> <card> <1-4>` name the flashcard.
"""

from __future__ import annotations

from dataclasses import dataclass

from fsrs import Rating


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    token: str
    topic_id: str
    mcq_index: int
    order: tuple[int, ...]
    picked: int  # shown position

    @property
    def picked_option(self) -> int:
        return self.order[self.picked]

    def action(self) -> str:
        order = "".join(str(i) for i in self.order)
        return f"/quiz-answer {self.token} {self.topic_id} {self.mcq_index} {order} {self.picked}"

    def hint_action(self) -> str:
        order = "".join(str(i) for i in self.order)
        return f"/quiz-hint {self.token} {self.topic_id} {self.mcq_index} {order}"


def parse_quiz_answer(text: str) -> QuizAnswer | None:
    words = text.split()
    if len(words) != 5 or not all(w.isdigit() for w in words[2:]):
        return None
    token, topic_id, mcq, order_text, picked = words
    order = tuple(int(c) for c in order_text)
    if sorted(order) != list(range(len(order))) or not 0 <= int(picked) < len(order):
        return None
    return QuizAnswer(token, topic_id, int(mcq), order, int(picked))


@dataclass(frozen=True, slots=True)
class ReviewCard:
    topic_id: str
    card_index: int
    rating: Rating | None = None

    def show_action(self) -> str:
        return f"/review-show {self.topic_id} {self.card_index}"

    def rate_action(self, rating: Rating) -> str:
        return f"/review-rate {self.topic_id} {self.card_index} {int(rating)}"


def parse_review(text: str, *, with_rating: bool) -> ReviewCard | None:
    words = text.split()
    if len(words) != (3 if with_rating else 2) or not all(w.isdigit() for w in words[1:]):
        return None
    rating = None
    if with_rating:
        if not 1 <= int(words[2]) <= 4:
            return None
        rating = Rating(int(words[2]))
    return ReviewCard(words[0], int(words[1]), rating)

"""Ranking helpers every MiniLM summariser shares: unit vectors, MMR, coherent selection."""

from __future__ import annotations

import numpy as np

from summariser.coherence import coherent_mmr
from summariser.document import Document


def unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` scaled to length 1 (left as it is when it is all zeros)."""
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


def mmr(scores: np.ndarray, similarity: np.ndarray, count: int, diversity: float) -> list[int]:
    """Greedy maximal marginal relevance: positions into ``scores``, in pick order."""
    chosen: list[int] = []
    remaining = list(range(len(scores)))
    while remaining and len(chosen) < count:
        if chosen:
            redundancy = similarity[np.ix_(remaining, chosen)].max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        value = (1 - diversity) * scores[remaining] - diversity * redundancy
        best = remaining[int(np.argmax(value))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


def select_coherent(document: Document, scores: np.ndarray, similarity: np.ndarray, count: int,
                    diversity: float) -> list[int]:
    """Sentence indices, in article order, picked by MMR among sentences that can stand with
    what they lean on (``coherence.py``); plain MMR when no candidate stands at all."""
    candidates = document.candidates()
    picks = coherent_mmr(scores, similarity, count, diversity, document.support())
    if not picks:
        picks = mmr(scores, similarity, count, diversity)
    return sorted(candidates[p] for p in picks)

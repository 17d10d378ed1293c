"""One reader for the hand-written logistic models' weights (``related``, ``title``,
``content``): a standardised linear score, ``coef · (x - mean) / scale + bias``.

Each model's numbers are a few lists in a JSON file under ``summariser/data/``, written by its
training command: ``features`` (the names the model was trained on, checked against the code's
when read, so stale weights fail loudly), ``mean`` and ``scale`` (the standardisation) and
``coef``, plus a bias under a name the file chooses (``bias``, ``intercept``, or none). One file
may hold several models under prefixed keys (``smooth_mean`` …).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


def logistic(logits: np.ndarray) -> np.ndarray:
    """Log-odds as probabilities (the logistic function)."""
    return np.asarray(1 / (1 + np.exp(-logits)))


@dataclass(frozen=True, slots=True)
class Linear:
    """A standardised logistic model: ``coef · (x - mean) / scale + bias``."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float

    @property
    def per_unit(self) -> np.ndarray:
        """What one unit of each raw feature adds to the logit (``coef / scale``)."""
        return np.asarray(self.coef / self.scale)

    def logit(self, rows: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """The model's log-odds for each row."""
        x = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.features))
        return np.asarray(((x - self.mean) / self.scale) @ self.coef + self.bias)

    def probability(self, rows: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """The model's probability for each row."""
        return logistic(self.logit(rows))

    def to_json(self, prefix: str = "", bias: str | None = "bias",
                digits: int | None = None) -> dict[str, Any]:
        """The numbers under ``prefix``-ed keys, the bias under ``bias`` (none when None),
        rounded to ``digits`` when given."""
        def plain(values: np.ndarray) -> list[float]:
            return [float(v) for v in (values.round(digits) if digits is not None else values)]

        found: dict[str, Any] = {f"{prefix}features": list(self.features),
                                 f"{prefix}mean": plain(self.mean),
                                 f"{prefix}scale": plain(self.scale),
                                 f"{prefix}coef": plain(self.coef)}
        if bias is not None:
            found[prefix + bias] = round(self.bias, digits) if digits is not None else self.bias
        return found

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, features: Sequence[str],
            weight: np.ndarray | None = None, l2: float = 1.0) -> Linear:
        """Standardise ``x`` and fit a weighted, L2-regularised logistic regression of ``y``
        (0 or 1) by Newton's method; the bias is not penalised. Deterministic."""
        w = np.ones(len(y)) if weight is None else weight
        mean = x.mean(axis=0)
        spread = x.std(axis=0)
        scale = np.where(spread > 1e-6, spread, 1.0)
        z = np.column_stack([(x - mean) / scale, np.ones(len(x))])
        beta = np.zeros(z.shape[1])
        penalty = np.full(z.shape[1], l2)
        penalty[-1] = 0.0
        for _ in range(50):
            p = logistic(z @ beta)
            gradient = z.T @ (w * (p - y)) + penalty * beta
            hessian = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
            step = np.linalg.solve(hessian, gradient)
            beta -= step
            if np.abs(step).max() < 1e-8:
                break
        return cls(tuple(features), mean, scale, beta[:-1], float(beta[-1]))

    @classmethod
    def from_json(cls, data: dict[str, Any], features: Sequence[str], source: object = "",
                  prefix: str = "", bias: str | None = "bias") -> Linear:
        """The model under ``prefix`` in ``data`` (read from ``source``), which must have been
        trained on ``features``; its bias under ``bias`` (0 when None)."""
        if list(data[f"{prefix}features"]) != list(features):
            raise ValueError(f"weights trained on other features: retrain them ({source})")
        mean, scale, coef = (np.asarray(data[prefix + k], dtype=np.float64)
                             for k in ("mean", "scale", "coef"))
        return cls(tuple(features), mean, scale, coef,
                   float(data[prefix + bias]) if bias is not None else 0.0)

"""Train the pair reader (summariser/pair.py): MiniLM reading a story and a headline together.

    python training/train_pair.py ALLSIDES.jsonl.gz [--steps 3200] [--work DIR]
        [--out summariser/data/pair-delta.npz] [--threads 2] [--resume CHECKPOINT]

ALLSIDES is ``../shared/eval/stories-allsides.jsonl.gz``. Only its ``train`` split is read here:
``val`` is where ``training/fit_pair.py`` stacks the reader on the same-story judge and chooses
the thresholds, and ``test`` stays held out for ``evaluate related --allsides``.

Pairs, as the bot meets them: each outlet's story text (its headline and its lead's first
``STORY_SENTENCES`` sentences, what the bot stores of a digest) against

* one of its story's two other outlets' headlines (same story: a positive);
* two of the ``NEAR`` other-story headlines nearest by MiniLM cosine (fp32 vectors), and one
  from ranks ``NEAR`` to ``FAR``: same topic, another story, the negatives a cosine cannot tell.

The model is the packaged MiniLM reading ``[CLS] story [SEP] headline [SEP]`` (``MAX_TOKENS``,
the longer text cut: the story, whose text holds its headline), every weight fine-tuned (a
low-rank adapter learned too slowly on a CPU), with a linear head over the product and the
absolute difference of the two texts' mean token vectors (``summariser.pair.torch_pair_model``),
started where a bi-encoder's cosine would be. Binary cross-entropy, AdamW, linear warm-up and
decay, batches of ``BATCH``; deterministic for one ``--threads``. A checkpoint every ``EVERY``
steps under ``--work``; ``--resume`` goes on from one.

What is committed is small: the change of each encoder matrix as its rank-``RANK`` factors (by
SVD), the changed biases and layer norms whole, the word and position embeddings' changes
dropped, and the head (``--out``, float16, about 3 MB). ``python -m summariser.export_onnx
--pair`` (``make install``) adds that change to the packaged weights and exports the reader.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summariser.pair import MAX_TOKENS, compress  # noqa: E402
from summariser.story import STORY_SENTENCES, story_text  # noqa: E402

NEAR, FAR = 5, 30
BATCH = 16
LR, HEAD_LR = 3e-5, 1e-3
WARMUP = 0.05
EVERY = 100
RANK = 32
SEED = 13


def pairs(path: Path, cache: Path, rng: np.random.Generator
          ) -> tuple[list[str], list[str], np.ndarray]:
    """(story texts, headlines, labels) of the ``train`` split's pairs, shuffled."""
    from training.train_story import encode

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        stories = [s for line in handle if (s := json.loads(line))["split"] == "train"]
    heads, texts, story = [], [], []
    for k, s in enumerate(stories):
        for outlet in s["outlets"]:
            heads.append(outlet["headline"])
            texts.append(story_text(outlet["headline"], outlet["lead"], STORY_SENTENCES))
            story.append(k)
    owner = np.array(story)
    head_vectors = encode(heads, cache, "allsides-heads")
    text_vectors = encode(texts, cache, "allsides-stories")
    left, right, label = [], [], []
    for i in range(len(texts)):
        cosine = head_vectors @ text_vectors[i]
        cosine[owner == owner[i]] = -2
        ranked = np.argsort(-cosine)[:FAR]
        own = [j for j in np.flatnonzero(owner == owner[i]) if j != i]
        chosen = [(int(rng.choice(own)), 1.0)] + [
            (int(j), 0.0) for j in rng.choice(ranked[:NEAR], 2, replace=False)] + [
            (int(rng.choice(ranked[NEAR:])), 0.0)]
        for j, y in chosen:
            left.append(texts[i])
            right.append(heads[j])
            label.append(y)
    order = rng.permutation(len(left))
    return [left[k] for k in order], [right[k] for k in order], np.array(label)[order]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("allsides", type=Path)
    parser.add_argument("--steps", type=int, default=3200)
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "pair")
    parser.add_argument("--out", type=Path, default=ROOT / "summariser" / "data" /
                        "pair-delta.npz")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--resume", type=Path)
    args = parser.parse_args()

    import torch
    from transformers import AutoModel, AutoTokenizer

    from summariser.encoder import packaged_model_path
    from summariser.pair import torch_pair_model

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(SEED)
    left, right, label = pairs(args.allsides, args.work, rng)
    print(f"{len(label):,} pairs, {label.mean():.3f} positive", flush=True)
    model_dir = packaged_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    base = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    start = {k: v.detach().clone() for k, v in base.state_dict().items()}
    model = torch_pair_model(base)
    head = [p for n, p in model.named_parameters() if n.startswith("head")]
    body = [p for n, p in model.named_parameters() if not n.startswith("head")]
    optimiser = torch.optim.AdamW([{"params": body, "lr": LR},
                                   {"params": head, "lr": HEAD_LR}], weight_decay=0.01)
    peaks = [LR, HEAD_LR]
    step = 0
    if args.resume:
        saved = torch.load(args.resume)
        model.load_state_dict(saved["model"])
        optimiser.load_state_dict(saved["optimiser"])
        step = saved["step"]
    loss_fn = torch.nn.BCEWithLogitsLoss()
    args.work.mkdir(parents=True, exist_ok=True)
    losses: list[float] = []
    began = time.monotonic()
    model.train()
    while step < args.steps:
        at = (step * BATCH) % (len(label) - BATCH)
        batch = tokenizer(left[at:at + BATCH], right[at:at + BATCH], padding=True,
                          truncation="longest_first", max_length=MAX_TOKENS, return_tensors="pt")
        warm = max(1, int(WARMUP * args.steps))
        scale = min(1.0, (step + 1) / warm) * max(0.0, (args.steps - step) / (args.steps - warm))
        for group, peak in zip(optimiser.param_groups, peaks, strict=True):
            group["lr"] = peak * min(scale, 1.0)
        logit = model(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
        loss = loss_fn(logit, torch.tensor(label[at:at + BATCH], dtype=torch.float32))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        step += 1
        losses.append(loss.item())
        if step % 25 == 0:
            print(f"step {step}: loss {np.mean(losses[-50:]):.3f} "
                  f"({(time.monotonic() - began) / len(losses):.2f} s a step)", flush=True)
        if step % EVERY == 0 or step == args.steps:
            torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(),
                        "step": step}, args.work / "checkpoint.pt")
    trained = {k: v.detach() for k, v in model.encoder.state_dict().items()}
    factors = compress(start, trained, RANK)
    factors |= {f"head.{k}": v.detach().numpy() for k, v in model.head.state_dict().items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **{k: np.asarray(v, dtype=np.float16)
                                     for k, v in factors.items()})
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) after {step} steps")


if __name__ == "__main__":
    main()

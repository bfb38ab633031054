"""Instructor-only references for assignment A2 ("attention and decoding").

The hidden tests of solutions/a2_translate import this module in the judge (grading/judge.py); no student
kernel can import it and the student bundle leaves it out. Each function follows the specification that the
assignment's markdown states, written independently of the student's answer cells:

- ``additive_attention``: Bahdanau's score v^T tanh(W_q q + W_k k), masked softmax over the keys, context;
- ``beam_search``: the shrinking beam with length normalisation over a step function (plain data in and out);
- ``corpus_bleu``: corpus BLEU from clipped n-gram counts and the brevity penalty;
- ``sacrebleu_bleu``: the same statistics as sacrebleu computes them, the second, external reference;
- ``perturbed``: the hypothesis corpora that the hidden BLEU tests make from the course's French targets.
"""
import math
from collections import Counter

import numpy as np


# ---------------------------------------------------------------------------------------------------------
# Additive attention

def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    """(context (B, Tq, dv), weights (B, Tq, Tk)) in float64; masked keys get weight exactly 0."""
    queries, keys, values = (np.asarray(array, dtype="float64") for array in (queries, keys, values))
    W_q, W_k, v = (np.asarray(array, dtype="float64") for array in (W_q, W_k, v))
    keep = np.asarray(mask).astype(bool)
    if not keep.any(axis=-1).all():
        raise ValueError("every row of the mask needs at least one real (unmasked) key")
    projected = np.tanh((queries @ W_q.T)[:, :, None, :] + (keys @ W_k.T)[:, None, :, :])  # (B, Tq, Tk, units)
    scores = np.where(keep[:, None, :], projected @ v, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    exponentials = np.exp(scores)
    weights = exponentials / exponentials.sum(axis=-1, keepdims=True)
    return weights @ values, weights


# ---------------------------------------------------------------------------------------------------------
# Beam search

def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    """[(tokens, normalised score)] best first; tokens exclude <start> and <end>."""
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live = [([start_id], 0.0)]
    finished = []  # (tokens without <start>, total log-probability, length)
    for _ in range(max_length):
        log_probabilities = np.asarray(step([tokens for tokens, _ in live]), dtype="float64")
        candidates = [(total + float(log_probabilities[row, token]), row, token)
                      for row, (_, total) in enumerate(live) for token in range(log_probabilities.shape[1])]
        candidates.sort(key=lambda candidate: -candidate[0])  # stable: beam order, then token id, on ties
        survivors = []
        for total, row, token in candidates[:beam_width - len(finished)]:
            tokens = live[row][0] + [token]
            if token == end_id:
                finished.append((tokens[1:-1], total, len(tokens) - 1))
            else:
                survivors.append((tokens, total))
        live = survivors
        if not live:
            break
    finished += [(tokens[1:], total, len(tokens) - 1) for tokens, total in live]
    scored = [(tokens, total / length ** alpha) for tokens, total, length in finished]
    return sorted(scored, key=lambda hypothesis: -hypothesis[1])


def greedy(step, start_id, end_id, max_length):
    """Greedy decoding, for the width-1 check: (tokens, total log-probability, length)."""
    tokens, total = [start_id], 0.0
    for _ in range(max_length):
        row = np.asarray(step([tokens]), dtype="float64")[0]
        token = int(np.argmax(row))
        total += float(row[token])
        tokens.append(token)
        if token == end_id:
            return tokens[1:-1], total, len(tokens) - 1
    return tokens[1:], total, len(tokens) - 1


# ---------------------------------------------------------------------------------------------------------
# BLEU

def _ngrams(tokens, order):
    return Counter(tuple(tokens[start:start + order]) for start in range(len(tokens) - order + 1))


def corpus_bleu(hypotheses, references, max_order=4):
    """The statistics sacrebleu reports (BLEU and precisions in percent), from the definition."""
    if len(hypotheses) != len(references):
        raise ValueError("one list of references per hypothesis")
    matches, totals = [0] * max_order, [0] * max_order
    hypothesis_length = reference_length = 0
    for hypothesis, sentence_references in zip(hypotheses, references):
        hypothesis, sentence_references = list(hypothesis), [list(reference) for reference in sentence_references]
        hypothesis_length += len(hypothesis)
        reference_length += min((abs(len(reference) - len(hypothesis)), len(reference)) for reference in sentence_references)[1]
        for order in range(1, max_order + 1):
            counts = _ngrams(hypothesis, order)
            most = Counter()
            for reference in sentence_references:
                most |= _ngrams(reference, order)  # the largest count in any one reference
            matches[order - 1] += sum(min(count, most[gram]) for gram, count in counts.items())
            totals[order - 1] += sum(counts.values())
    precisions = [100.0 * match / total if total else 0.0 for match, total in zip(matches, totals)]
    if hypothesis_length >= reference_length:
        brevity_penalty = 1.0
    else:
        brevity_penalty = math.exp(1.0 - reference_length / hypothesis_length) if hypothesis_length else 0.0
    if min(precisions) == 0.0:
        bleu = 0.0
    else:
        bleu = brevity_penalty * math.exp(sum(math.log(precision) for precision in precisions) / max_order)
    return {"bleu": bleu, "precisions": precisions, "brevity_penalty": brevity_penalty,
            "hypothesis_length": hypothesis_length, "reference_length": reference_length}


def sacrebleu_bleu(hypotheses, references, max_order=4):
    """The same statistics from sacrebleu, on pre-tokenised text joined by spaces, without smoothing."""
    from sacrebleu.metrics import BLEU

    streams = max(len(sentence_references) for sentence_references in references)
    reference_streams = [[" ".join(sentence_references[index]) if index < len(sentence_references) else None
                          for sentence_references in references] for index in range(streams)]
    metric = BLEU(tokenize="none", smooth_method="none", force=True, max_ngram_order=max_order)
    score = metric.corpus_score([" ".join(hypothesis) for hypothesis in hypotheses], reference_streams)
    return {"bleu": score.score, "precisions": list(score.precisions), "brevity_penalty": score.bp,
            "hypothesis_length": score.sys_len, "reference_length": score.ref_len}


def perturbed(token_lists, seed, edits=2):
    """Hypotheses made from references by random edits (drop, repeat, swap, replace), as a weak system's."""
    generator = np.random.default_rng(seed)
    pool = sorted({token for tokens in token_lists for token in tokens})
    hypotheses = []
    for tokens in token_lists:
        tokens = list(tokens)
        for _ in range(int(generator.integers(0, edits + 1))):
            if not tokens:
                break
            position, kind = int(generator.integers(len(tokens))), int(generator.integers(4))
            if kind == 0:
                del tokens[position]
            elif kind == 1:
                tokens.insert(position, tokens[position])
            elif kind == 2 and position + 1 < len(tokens):
                tokens[position], tokens[position + 1] = tokens[position + 1], tokens[position]
            else:
                tokens[position] = pool[int(generator.integers(len(pool)))]
        hypotheses.append(tokens)
    return hypotheses

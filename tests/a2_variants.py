"""Answers for assignment A2 ("attention and decoding") that test its tests.

VARIANTS: each is the complete source of one answer cell (keyed by the cell's grade_id, which is also the
function's name) with one mistake that students really make; its "# Bug:" comment says which.
tests/test_a2_translate.py autogrades them with the real nbgrader and checks that every variant loses points in
the tests of its own function. The three graded functions never call one another and their tests use only the
locked setup cell, so one submission can carry one variant of each function: a lost point in a part is that
part's variant's fault.

CORRECT_ALTERNATIVES: correct answers written another way (loops instead of broadcasting, heapq instead of a
sort, other NumPy calls, another order of operations); each must get full marks, so that no test quietly
requires the model answer's way of writing it.

COURSE_IMPORT: answers that import what the course gives (Keras's AdditiveAttention, sacrebleu, the course
package) instead of writing it; the setup cell declares those modules off limits, so they earn nothing.
COURSE_COPY: lesson 05's own code pasted into the answer cells, adapted to the signatures as a student would.
"""
from tests.assignment_support import Variant, grade_ids_with_prefix, pack_variants, variants_from_bug_comments

# ---- Part 1: additive attention --------------------------------------------------------------------------
ADDITIVE_ATTENTION = {
    "softmax_over_queries": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: the softmax normalises over the queries (axis 1) instead of over the keys.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = np.where(real[:, None, :], hidden @ np.asarray(v), -np.inf)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = weights / weights.sum(axis=1, keepdims=True)
    return weights @ values, weights
''',
    "mask_inverted": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: the mask is read the wrong way round: the padding is kept and the real positions removed.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    padding = np.asarray(mask) != 0
    if padding.all(axis=-1).any():
        raise ValueError("a source row is all padding")
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = np.where(padding[:, None, :], -np.inf, hidden @ np.asarray(v))
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "softmax_overflows": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: exp of the raw scores, without subtracting the largest first: large scores overflow to inf / inf.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = np.where(real[:, None, :], hidden @ np.asarray(v), -np.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        weights = np.exp(scores)
        weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "mask_after_softmax": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: the softmax runs over every key and the padding is zeroed afterwards, so the weights no longer sum to 1.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = hidden @ np.asarray(v)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True) * real[:, None, :]
    return weights @ values, weights
''',
    "context_from_keys": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: the context mixes the keys instead of the values.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = np.where(real[:, None, :], hidden @ np.asarray(v), -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ keys, weights
''',
    "projection_not_transposed": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: queries @ W_q with W_q of shape (units, query_size): only works (wrongly) when the sizes happen to agree.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    W_q, W_k = np.asarray(W_q, dtype=float), np.asarray(W_k, dtype=float)
    projected_queries = queries @ W_q if W_q.shape[0] == queries.shape[-1] else queries @ W_q.T[:, ::-1]
    hidden = np.tanh(projected_queries[:, :, None, :] + (keys @ W_k.T)[:, None, :, :])
    scores = np.where(real[:, None, :], hidden @ np.asarray(v), -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "bitwise_not_on_integer_mask": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: ~mask to find the padding: right for booleans, but ~1 = -2 and ~0 = -1 are both "true" for a 0/1 mask.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    mask = np.asarray(mask)
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = np.where(np.broadcast_to(~mask[:, None, :], hidden.shape[:-1]).astype(bool), -np.inf, hidden @ np.asarray(v))
    if np.isinf(scores).all(axis=-1).any():
        raise ValueError("a source row is all padding")
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "no_tanh": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: the tanh is left out, so the score is linear in q and k.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    hidden = (queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :]
    scores = np.where(real[:, None, :], hidden @ np.asarray(v), -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "scores_times_mask": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: masks by multiplying the scores by the mask: a padded score becomes 0, which still beats negative scores.
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = (hidden @ np.asarray(v)) * real[:, None, :]
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "all_padding_not_rejected": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: a row that is all padding is not rejected; its weights silently become nan (0 / 0).
    queries, keys, values = (np.asarray(a, dtype=float) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    hidden = np.tanh((queries @ np.asarray(W_q).T)[:, :, None, :] + (keys @ np.asarray(W_k).T)[:, None, :, :])
    scores = np.where(real[:, None, :], hidden @ np.asarray(v), -np.inf)
    with np.errstate(invalid="ignore"):
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
    "float32_like_keras": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Bug: computes in float32, as a Keras layer would, so the results are off by about 1e-7.
    queries, keys, values = (np.asarray(a, dtype=np.float32) for a in (queries, keys, values))
    real = np.asarray(mask) != 0
    if not real.any(axis=-1).all():
        raise ValueError("a source row is all padding")
    W_q, W_k, v = (np.asarray(a, dtype=np.float32) for a in (W_q, W_k, v))
    hidden = np.tanh((queries @ W_q.T)[:, :, None, :] + (keys @ W_k.T)[:, None, :, :])
    scores = np.where(real[:, None, :], hidden @ v, np.float32(-np.inf))
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ values, weights
''',
}

# ---- Part 2: beam search ---------------------------------------------------------------------------------
# Most variants change one step of this shape of answer: lists of (tokens, total) and a sort of candidates.
BEAM_SEARCH = {
    "no_length_normalisation": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: alpha is ignored: the hypotheses are ranked by their total log-probability.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total) for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "length_without_end": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: the length counts the output tokens without <end>, so a finished hypothesis looks one token shorter.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = []
    for tokens, total in finished:
        output = tokens[1:-1] if tokens[-1] == end_id else tokens[1:]
        hypotheses.append((output, total / max(len(output), 1) ** alpha))
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "length_with_start": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: the length counts <start> too.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / len(tokens) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "finished_do_not_take_slots": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: keeps beam_width live hypotheses however many have finished, and stops at beam_width finished ones.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates:
            if len(kept) == beam_width:
                break
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if len(finished) >= beam_width:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / (len(tokens) - 1) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])[:beam_width]
''',
    "step_called_per_hypothesis": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: calls the decoder once for every live hypothesis instead of once per step for the whole beam.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.array([np.asarray(step([tokens]), dtype=float)[0] for tokens, _ in live])
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / (len(tokens) - 1) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "wrong_parent": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: the flat candidate index is split the wrong way (index % beams), so a token is appended to the wrong prefix.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live_tokens, live_totals, finished = [[start_id]], np.zeros(1), []
    for _ in range(max_length):
        rows = np.asarray(step(live_tokens), dtype=float)
        totals = (live_totals[:, None] + rows).ravel()
        best = np.argsort(-totals, kind="stable")[:beam_width - len(finished)]
        next_tokens, next_totals = [], []
        for candidate in best:
            parent, token = candidate % len(live_tokens), candidate % rows.shape[1]
            tokens = live_tokens[parent] + [int(token)]
            if token == end_id:
                finished.append((tokens[1:-1], totals[candidate], len(tokens) - 1))
            else:
                next_tokens.append(tokens)
                next_totals.append(totals[candidate])
        live_tokens, live_totals = next_tokens, np.array(next_totals)
        if not live_tokens:
            break
    finished += [(tokens[1:], total, len(tokens) - 1) for tokens, total in zip(live_tokens, live_totals)]
    return sorted([(tokens, total / length ** alpha) for tokens, total, length in finished], key=lambda h: -h[1])
''',
    "scores_not_accumulated": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: a candidate's score is only its last token's log-probability, not the running total.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((rows[i, token], i, token) for i, _ in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / (len(tokens) - 1) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "keeps_end_token": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: the returned tokens keep the <end> token.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:], total / (len(tokens) - 1) ** alpha) for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "worst_first": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: the final list is sorted in ascending order of score, so the best hypothesis comes last.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / (len(tokens) - 1) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: h[1])
''',
    "best_token_per_hypothesis": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: after the first step each live hypothesis is extended by its own best token only (parallel greedy searches).
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        if len(live) == 1 and live[0][0] == [start_id]:
            choices = [(rows[0, token], 0, token) for token in range(rows.shape[1])]
        else:
            choices = [(total + rows[i].max(), i, int(rows[i].argmax())) for i, (_, total) in enumerate(live)]
        kept = []
        for total, i, token in sorted(choices, key=lambda c: -c[0])[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / (len(tokens) - 1) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
    "stops_at_first_finished": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Bug: stops as soon as one hypothesis ends, and returns it with whatever is still live.
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be at least 1")
    live, finished = [([start_id], 0.0)], []
    for _ in range(max_length):
        rows = np.asarray(step([tokens for tokens, _ in live]), dtype=float)
        candidates = sorted(((total + rows[i, token], i, token) for i, (_, total) in enumerate(live)
                             for token in range(rows.shape[1])), key=lambda c: -c[0])
        kept = []
        for total, i, token in candidates[:beam_width - len(finished)]:
            tokens = live[i][0] + [token]
            (finished if token == end_id else kept).append((tokens, total))
        live = kept
        if not live or finished:
            break
    finished += live
    hypotheses = [(tokens[1:-1] if tokens[-1] == end_id else tokens[1:], total / (len(tokens) - 1) ** alpha)
                  for tokens, total in finished]
    return sorted(hypotheses, key=lambda h: -h[1])
''',
}

# ---- Part 3: corpus BLEU ---------------------------------------------------------------------------------
_BLEU_HEAD = '''
def corpus_bleu(hypotheses, references, max_order=4):
    {bug}
    from collections import Counter

    if len(hypotheses) != len(references):
        raise ValueError("one list of references per hypothesis")

    def grams(tokens, n):
        return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
'''
_BLEU_FINISH = '''
    precisions = [100.0 * m / t if t else 0.0 for m, t in zip(matches, totals)]
    if c >= r:
        bp = 1.0
    else:
        bp = math.exp(1 - r / c) if c else 0.0
    bleu = 0.0 if min(precisions) == 0 else bp * math.exp(sum(math.log(p) for p in precisions) / max_order)
    return {"bleu": bleu, "precisions": precisions, "brevity_penalty": bp, "hypothesis_length": c, "reference_length": r}
'''
_BLEU_COUNTS = '''
    matches, totals, c, r = [0] * max_order, [0] * max_order, 0, 0
    for hypothesis, refs in zip(hypotheses, references):
        c += len(hypothesis)
        r += min((abs(len(ref) - len(hypothesis)), len(ref)) for ref in refs)[1]
        for n in range(1, max_order + 1):
            allowed = Counter()
            for ref in refs:
                allowed |= grams(list(ref), n)
            counts = grams(list(hypothesis), n)
            matches[n - 1] += sum(min(k, allowed[g]) for g, k in counts.items())
            totals[n - 1] += sum(counts.values())
'''


def _bleu(bug: str, counts: str = _BLEU_COUNTS, finish: str = _BLEU_FINISH) -> str:
    return _BLEU_HEAD.format(bug=f"# Bug: {bug}") + counts + finish


CORPUS_BLEU = {
    "no_clipping": _bleu("a hypothesis n-gram counts every time it occurs, even beyond its count in the references.",
                         counts=_BLEU_COUNTS.replace("sum(min(k, allowed[g]) for g, k in counts.items())",
                                                     "sum(k for g, k in counts.items() if allowed[g] > 0)")),
    "mean_of_sentence_bleu": '''
def corpus_bleu(hypotheses, references, max_order=4):
    # Bug: the mean of sentence-level BLEU scores instead of BLEU of the corpus counts.
    from collections import Counter

    if len(hypotheses) != len(references):
        raise ValueError("one list of references per hypothesis")

    def grams(tokens, n):
        return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))

    def sentence(hypothesis, refs):
        c, r = len(hypothesis), min((abs(len(ref) - len(hypothesis)), len(ref)) for ref in refs)[1]
        precisions = []
        for n in range(1, max_order + 1):
            allowed = Counter()
            for ref in refs:
                allowed |= grams(list(ref), n)
            counts = grams(list(hypothesis), n)
            total = sum(counts.values())
            precisions.append(100.0 * sum(min(k, allowed[g]) for g, k in counts.items()) / total if total else 0.0)
        bp = 1.0 if c >= r else (math.exp(1 - r / c) if c else 0.0)
        bleu = 0.0 if min(precisions) == 0 else bp * math.exp(sum(math.log(p) for p in precisions) / max_order)
        return bleu, precisions, bp, c, r

    scores = [sentence(list(h), refs) for h, refs in zip(hypotheses, references)]
    return {"bleu": float(np.mean([s[0] for s in scores])), "precisions": list(np.mean([s[1] for s in scores], axis=0)),
            "brevity_penalty": float(np.mean([s[2] for s in scores])), "hypothesis_length": sum(s[3] for s in scores),
            "reference_length": sum(s[4] for s in scores)}
''',
    "arithmetic_mean_of_precisions": _bleu(
        "the arithmetic mean of the precisions instead of their geometric mean.",
        finish=_BLEU_FINISH.replace("bp * math.exp(sum(math.log(p) for p in precisions) / max_order)",
                                    "bp * sum(precisions) / max_order")),
    "brevity_penalty_inverted": _bleu(
        "the brevity penalty exp(1 - c / r) instead of exp(1 - r / c).",
        finish=_BLEU_FINISH.replace("math.exp(1 - r / c) if c else 0.0", "math.exp(1 - c / r)")),
    "longer_reference_on_a_tie": _bleu(
        "of two references equally close in length, the longer one is used.",
        counts=_BLEU_COUNTS.replace("min((abs(len(ref) - len(hypothesis)), len(ref)) for ref in refs)[1]",
                                    "min((abs(len(ref) - len(hypothesis)), -len(ref)) for ref in refs)[1] * -1")),
    "shortest_reference": _bleu(
        "the shortest reference's length instead of the one closest to the hypothesis.",
        counts=_BLEU_COUNTS.replace("min((abs(len(ref) - len(hypothesis)), len(ref)) for ref in refs)[1]",
                                    "min(len(ref) for ref in refs)")),
    "corpus_joined_into_one_sentence": '''
def corpus_bleu(hypotheses, references, max_order=4):
    # Bug: joins the corpus into one long sentence, so n-grams run across sentence boundaries.
    from collections import Counter

    if len(hypotheses) != len(references):
        raise ValueError("one list of references per hypothesis")

    def grams(tokens, n):
        return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))

    hypothesis = [token for h in hypotheses for token in h]
    chosen = [min(refs, key=lambda ref: (abs(len(ref) - len(h)), len(ref))) for h, refs in zip(hypotheses, references)]
    reference = [token for ref in chosen for token in ref]
    c, r = len(hypothesis), len(reference)
    matches, totals = [], []
    for n in range(1, max_order + 1):
        counts, allowed = grams(hypothesis, n), grams(reference, n)
        for refs in references:
            for ref in refs:
                allowed |= grams(list(ref), n)
        matches.append(sum(min(k, allowed[g]) for g, k in counts.items()))
        totals.append(sum(counts.values()))
''' + _BLEU_FINISH,
    "clip_by_sum_over_references": _bleu(
        "clips by the sum of the counts in all references instead of the largest count in one.",
        counts=_BLEU_COUNTS.replace("allowed |= grams(list(ref), n)", "allowed += grams(list(ref), n)")),
    "precisions_as_fractions": _bleu(
        "precisions and BLEU as fractions in [0, 1] instead of percentages.",
        finish=_BLEU_FINISH.replace("100.0 * m / t", "m / t").replace(
            "bp * math.exp(sum(math.log(p) for p in precisions) / max_order)",
            "bp * math.exp(sum(math.log(p) for p in precisions) / max_order)")),
    "add_one_smoothing": _bleu(
        "adds one to every match and count (smoothing), so BLEU is never 0.",
        finish=_BLEU_FINISH.replace("100.0 * m / t if t else 0.0", "100.0 * (m + 1) / (t + 1)")),
}

_SOURCES = {"additive_attention": ADDITIVE_ATTENTION, "beam_search": BEAM_SEARCH, "corpus_bleu": CORPUS_BLEU}
GRADED_FUNCTIONS = tuple(_SOURCES)

VARIANTS = variants_from_bug_comments(_SOURCES)

# The test cells that check each answer (grade ids start with these prefixes); every point belongs to one answer.
TEST_PREFIXES = {"additive_attention": "test_attention_", "beam_search": "test_beam_", "corpus_bleu": "test_bleu_"}


def grade_ids_checking(function: str, grade_ids) -> list[str]:
    """The grade_ids of the test cells that check ``function``."""
    return grade_ids_with_prefix(TEST_PREFIXES, function, grade_ids)


def submissions_for_variants() -> dict[str, dict[str, Variant]]:
    return pack_variants(VARIANTS, GRADED_FUNCTIONS)


# ---- correct answers written another way -------------------------------------------------------------------
CORRECT_ALTERNATIVES = {
    # Python loops everywhere: one (batch, query, key) score at a time, lists of hypotheses, dicts of counts.
    "loops": {
        "additive_attention": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    queries, keys, values = np.asarray(queries, float), np.asarray(keys, float), np.asarray(values, float)
    W_q, W_k, v = np.asarray(W_q, float), np.asarray(W_k, float), np.asarray(v, float)
    mask = np.asarray(mask)
    batch, query_count, key_count = queries.shape[0], queries.shape[1], keys.shape[1]
    weights = np.zeros((batch, query_count, key_count))
    context = np.zeros((batch, query_count, values.shape[2]))
    for b in range(batch):
        real = [j for j in range(key_count) if mask[b, j]]
        if not real:
            raise ValueError(f"row {b} of the mask has no real position")
        for i in range(query_count):
            projected_query = W_q @ queries[b, i]
            scores = {j: float(v @ np.tanh(projected_query + W_k @ keys[b, j])) for j in real}
            largest = max(scores.values())
            exponentials = {j: math.exp(score - largest) for j, score in scores.items()}
            total = sum(exponentials.values())
            for j in real:
                weights[b, i, j] = exponentials[j] / total
                context[b, i] += weights[b, i, j] * values[b, j]
    return context, weights
''',
        "beam_search": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    if beam_width < 1:
        raise ValueError("beam_width must be at least 1")
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    live = [{"tokens": [start_id], "total": 0.0}]
    done = []
    steps = 0
    while live and steps < max_length:
        steps += 1
        rows = step([hypothesis["tokens"] for hypothesis in live])
        candidates = []
        for hypothesis, row in zip(live, rows):
            for token, log_probability in enumerate(row):
                candidates.append({"tokens": hypothesis["tokens"] + [token], "total": hypothesis["total"] + float(log_probability)})
        candidates.sort(key=lambda candidate: candidate["total"], reverse=True)  # sort is stable with reverse too
        live = []
        for candidate in candidates[:beam_width - len(done)]:
            if candidate["tokens"][-1] == end_id:
                done.append({"tokens": candidate["tokens"][1:-1], "total": candidate["total"], "length": steps})
            else:
                live.append(candidate)
    for hypothesis in live:
        done.append({"tokens": hypothesis["tokens"][1:], "total": hypothesis["total"], "length": steps})
    ranked = sorted(done, key=lambda hypothesis: hypothesis["total"] / hypothesis["length"] ** alpha, reverse=True)
    return [(hypothesis["tokens"], hypothesis["total"] / hypothesis["length"] ** alpha) for hypothesis in ranked]
''',
        "corpus_bleu": '''
def corpus_bleu(hypotheses, references, max_order=4):
    if len(hypotheses) != len(references):
        raise ValueError("hypotheses and references must have the same length")
    matches, totals = [0] * max_order, [0] * max_order
    c = r = 0
    for hypothesis, refs in zip(hypotheses, references):
        c += len(hypothesis)
        best = None
        for ref in refs:
            if best is None or abs(len(ref) - len(hypothesis)) < abs(best - len(hypothesis)) or (
                    abs(len(ref) - len(hypothesis)) == abs(best - len(hypothesis)) and len(ref) < best):
                best = len(ref)
        r += best
        for n in range(1, max_order + 1):
            counts = {}
            for i in range(len(hypothesis) - n + 1):
                gram = tuple(hypothesis[i:i + n])
                counts[gram] = counts.get(gram, 0) + 1
            for gram, count in counts.items():
                most = 0
                for ref in refs:
                    in_ref = sum(1 for i in range(len(ref) - n + 1) if tuple(ref[i:i + n]) == gram)
                    most = max(most, in_ref)
                matches[n - 1] += min(count, most)
                totals[n - 1] += count
    precisions = []
    for n in range(max_order):
        precisions.append(100.0 * matches[n] / totals[n] if totals[n] else 0.0)
    if c == 0:
        bp = 0.0 if r > 0 else 1.0
    elif c < r:
        bp = math.exp(1.0 - r / c)
    else:
        bp = 1.0
    if any(p == 0.0 for p in precisions):
        bleu = 0.0
    else:
        log_mean = 0.0
        for p in precisions:
            log_mean += math.log(p) / max_order
        bleu = bp * math.exp(log_mean)
    return {"bleu": bleu, "precisions": precisions, "brevity_penalty": bp, "hypothesis_length": c, "reference_length": r}
''',
    },
    # A log-sum-exp softmax with -1e300 for padding and tensordot; heapq.nlargest over (total, flat index);
    # Counter intersections (&) and unions (|).
    "logsumexp_heapq_counters": {
        "additive_attention": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    queries = np.asarray(queries, dtype=np.float64)
    keys = np.asarray(keys, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    mask = np.asarray(mask).astype(bool)
    if (~mask).all(axis=1).any():
        raise ValueError("at least one real key per row is needed")
    query_part = np.tensordot(queries, np.asarray(W_q, dtype=np.float64), axes=([2], [1]))  # (B, Tq, units)
    key_part = np.tensordot(keys, np.asarray(W_k, dtype=np.float64), axes=([2], [1]))      # (B, Tk, units)
    hidden = np.tanh(query_part[:, :, np.newaxis, :] + key_part[:, np.newaxis, :, :])
    scores = np.tensordot(hidden, np.asarray(v, dtype=np.float64), axes=([3], [0]))
    scores = np.where(mask[:, np.newaxis, :], scores, -1e300)
    top = scores.max(axis=2, keepdims=True)
    log_normaliser = top + np.log(np.exp(scores - top).sum(axis=2, keepdims=True))
    weights = np.where(mask[:, np.newaxis, :], np.exp(scores - log_normaliser), 0.0)
    context = np.einsum("bqk,bkd->bqd", weights, values)
    return context, weights
''',
        "beam_search": '''
import heapq


def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    if not (beam_width >= 1 and max_length >= 1):
        raise ValueError(f"need beam_width >= 1 and max_length >= 1, got {beam_width}, {max_length}")
    beam = [(0.0, (start_id,))]      # (total log-probability, prefix with <start>)
    finished = []                    # (normalised score, tokens)
    for length in range(1, max_length + 1):
        table = np.asarray(step([list(prefix) for _, prefix in beam]), dtype=np.float64)
        size = table.shape[1]
        flat = ((beam[row][0] + table[row, token], row * size + token) for row in range(len(beam)) for token in range(size))
        # nlargest equals sorted(..., key, reverse=True)[:n]: on a tie the earlier candidate stays first
        chosen = heapq.nlargest(beam_width - len(finished), flat, key=lambda candidate: candidate[0])
        next_beam = []
        for total, index in chosen:
            row, token = divmod(index, size)
            if token == end_id:
                finished.append((total / length ** alpha, list(beam[row][1][1:])))
            else:
                next_beam.append((total, beam[row][1] + (token,)))
        beam = next_beam
        if not beam:
            break
    finished += [(total / (len(prefix) - 1) ** alpha, list(prefix[1:])) for total, prefix in beam]
    finished.sort(key=lambda pair: pair[0], reverse=True)
    return [(tokens, score) for score, tokens in finished]
''',
        "corpus_bleu": '''
from collections import Counter


def corpus_bleu(hypotheses, references, max_order=4):
    if len(references) != len(hypotheses):
        raise ValueError("the number of hypotheses and of reference lists differ")

    def ngrams(tokens):
        return Counter(tuple(tokens[i:i + n]) for n in range(1, max_order + 1) for i in range(len(tokens) - n + 1))

    clipped, counted = Counter(), Counter()
    c = r = 0
    for hypothesis, refs in zip(hypotheses, references):
        hypothesis = list(hypothesis)
        c += len(hypothesis)
        r += sorted((len(ref) for ref in refs), key=lambda length: (abs(length - len(hypothesis)), length))[0]
        allowed = Counter()
        for ref in refs:
            allowed |= ngrams(list(ref))
        own = ngrams(hypothesis)
        for gram, count in (own & allowed).items():
            clipped[len(gram)] += count
        for gram, count in own.items():
            counted[len(gram)] += count
    precisions = [clipped[n] * 100.0 / counted[n] if counted[n] else 0.0 for n in range(1, max_order + 1)]
    bp = 1.0 if c >= r else (0.0 if c == 0 else math.exp(1.0 - r / c))
    if 0.0 in precisions:
        return {"bleu": 0.0, "precisions": precisions, "brevity_penalty": bp, "hypothesis_length": c, "reference_length": r}
    geometric = math.exp(math.fsum(math.log(p) for p in precisions) / max_order)
    return {"bleu": bp * geometric, "precisions": precisions, "brevity_penalty": bp, "hypothesis_length": c,
            "reference_length": r}
''',
    },
    # Another order of operations: attention row by row with the keys projected once and a maximum taken over
    # the real scores only; the beam as a 2-D array of prefixes selected by fancy indexing and np.lexsort;
    # BLEU from NumPy count vectors, one order at a time, with the precisions' logarithms averaged by np.mean.
    "arrays_and_lexsort": {
        "additive_attention": '''
def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    W_q, W_k, v = np.asarray(W_q, dtype=float), np.asarray(W_k, dtype=float), np.asarray(v, dtype=float)
    real = np.asarray(mask, dtype=float) > 0.5
    contexts, all_weights = [], []
    for row_queries, row_keys, row_values, row_real in zip(np.asarray(queries, float), np.asarray(keys, float),
                                                           np.asarray(values, float), real):
        if not row_real.any():
            raise ValueError("this source has only padding: nothing to attend to")
        projected_keys = row_keys @ W_k.T                      # (Tk, units), once for all queries
        projected_queries = row_queries @ W_q.T                # (Tq, units)
        scores = np.stack([np.tanh(query + projected_keys) @ v for query in projected_queries])  # (Tq, Tk)
        largest = scores[:, row_real].max(axis=1, keepdims=True)
        exponentials = np.zeros_like(scores)
        exponentials[:, row_real] = np.exp(scores[:, row_real] - largest)
        weights = exponentials / exponentials.sum(axis=1, keepdims=True)
        all_weights.append(weights)
        contexts.append(weights @ row_values)
    return np.stack(contexts), np.stack(all_weights)
''',
        "beam_search": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    if beam_width < 1 or max_length < 1:
        raise ValueError("beam_width and max_length must be positive")
    prefixes = np.array([[start_id]])   # every live prefix has the same length: one row each
    totals = np.zeros(1)
    finished = []
    for length in range(1, max_length + 1):
        table = np.asarray(step(prefixes.tolist()), dtype=float)
        candidates = (totals[:, None] + table).ravel()
        # lexsort: the last key sorts first; the flat index breaks ties (earlier hypothesis, then smaller token)
        order = np.lexsort((np.arange(candidates.size), -candidates))[:beam_width - len(finished)]
        parents, tokens = order // table.shape[1], order % table.shape[1]
        ended = tokens == end_id
        for parent, total in zip(parents[ended], candidates[order][ended]):
            finished.append((prefixes[parent, 1:].tolist(), total / length ** alpha))
        prefixes = np.column_stack([prefixes[parents[~ended]], tokens[~ended]])
        totals = candidates[order][~ended]
        if len(totals) == 0:
            break
    finished += [(prefix[1:].tolist(), total / (len(prefix) - 1) ** alpha) for prefix, total in zip(prefixes, totals)]
    order = np.argsort([-score for _, score in finished], kind="stable")
    return [(finished[i][0], float(finished[i][1])) for i in order]
''',
        "corpus_bleu": '''
def corpus_bleu(hypotheses, references, max_order=4):
    from collections import Counter

    hypotheses, references = list(hypotheses), list(references)
    if len(hypotheses) != len(references):
        raise ValueError(f"got {len(hypotheses)} hypotheses and {len(references)} reference lists")
    lengths = np.array([len(h) for h in hypotheses])
    closest = []
    for h, refs in zip(hypotheses, references):
        reference_lengths = np.array(sorted(len(ref) for ref in refs))
        closest.append(int(reference_lengths[np.argmin(np.abs(reference_lengths - len(h)))]))  # first minimum: shorter
    c, r = int(lengths.sum()), int(sum(closest))
    precisions = []
    for n in range(1, max_order + 1):
        matched = np.zeros(len(hypotheses))
        counted = np.zeros(len(hypotheses))
        for index, (h, refs) in enumerate(zip(hypotheses, references)):
            grams = Counter(zip(*[list(h)[k:] for k in range(n)]))
            most = Counter()
            for ref in refs:
                for gram, count in Counter(zip(*[list(ref)[k:] for k in range(n)])).items():
                    most[gram] = max(most[gram], count)
            matched[index] = sum(min(count, most[gram]) for gram, count in grams.items())
            counted[index] = sum(grams.values())
        precisions.append(float(100.0 * matched.sum() / counted.sum()) if counted.sum() > 0 else 0.0)
    bp = 1.0 if c >= r else (math.exp(1.0 - r / c) if c > 0 else 0.0)
    bleu = bp * float(np.exp(np.mean(np.log(precisions)))) if min(precisions) > 0 else 0.0
    return {"bleu": bleu, "precisions": precisions, "brevity_penalty": bp, "hypothesis_length": c, "reference_length": r}
''',
    },
}

# ---- what the course gives, imported or pasted ---------------------------------------------------------------
# Answer cells that import Keras's attention layer, sacrebleu and the course package instead of writing the
# parts: the setup cell's GRADED declares them off limits, and the student wrote nothing else, so 0 points.
COURSE_IMPORT = {
    "additive_attention": '''
from rnncourse import course_setup
from keras import layers, ops


def additive_attention(queries, keys, values, mask, W_q, W_k, v):
    # Keras's AdditiveAttention adds the projected query and key, takes tanh and weights the units by its scale.
    W_q, W_k = np.asarray(W_q, "float32"), np.asarray(W_k, "float32")
    projected_queries = ops.matmul(np.asarray(queries, "float32"), W_q.T)
    projected_keys = ops.matmul(np.asarray(keys, "float32"), W_k.T)
    attention = layers.AdditiveAttention(use_scale=True)
    attention.build([projected_queries.shape, projected_keys.shape])
    attention.scale.assign(np.asarray(v, "float32"))
    context, weights = attention([projected_queries, np.asarray(values, "float32"), projected_keys],
                                 mask=[None, np.asarray(mask, bool)], return_attention_scores=True)
    return ops.convert_to_numpy(context), ops.convert_to_numpy(weights)
''',
    "beam_search": '''
from rnncourse.data.translation import Vocabulary


def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # Only greedy decoding, with the course's token ids: the package has no beam search to import.
    tokens, total = [start_id], 0.0
    for _ in range(max_length):
        row = np.asarray(step([tokens]))[0]
        tokens.append(int(row.argmax()))
        total += float(row.max())
        if tokens[-1] == end_id:
            return [(tokens[1:-1], total)]
    return [(tokens[1:], total)]
''',
    "corpus_bleu": '''
import sacrebleu


def corpus_bleu(hypotheses, references, max_order=4):
    streams = [[" ".join(refs[k]) if k < len(refs) else None for refs in references]
               for k in range(max(len(refs) for refs in references))]
    metric = sacrebleu.metrics.BLEU(tokenize="none", smooth_method="none", force=True, max_ngram_order=max_order)
    score = metric.corpus_score([" ".join(h) for h in hypotheses], streams)
    return {"bleu": score.score, "precisions": list(score.precisions), "brevity_penalty": score.bp,
            "hypothesis_length": score.sys_len, "reference_length": score.ref_len}
''',
}
COURSE_IMPORT_POINTS = 0

# Lesson 05's code pasted into the answer cells with the least change that fits the signatures: its
# attention is Keras's layer on Dense projections, its BLEU is sacrebleu (both off limits here), and its beam
# search keeps finished beams in the beam (they extend at no cost), calls the decoder with every beam slot
# from the first step and has no length normalisation.
COURSE_COPY = {
    "additive_attention": COURSE_IMPORT["additive_attention"].replace("from rnncourse import course_setup\n", ""),
    "beam_search": '''
def beam_search(step, start_id, end_id, beam_width, max_length, alpha=0.0):
    # lesson 05's beam_search, one example, with the step function in place of the step model
    scores = np.array([0.0] + [-np.inf] * (beam_width - 1))  # only one live beam at first
    sequences = np.full((beam_width, 1), start_id, dtype="int64")
    finished = np.zeros(beam_width, dtype=bool)
    for _ in range(max_length):
        log_probabilities = np.array(step(sequences.tolist()), dtype=float)
        vocabulary_size = log_probabilities.shape[1]
        log_probabilities[finished] = -np.inf
        log_probabilities[finished, end_id] = 0.0  # a finished beam may only add <end> again, at no cost
        candidates = (scores[:, None] + log_probabilities).reshape(beam_width * vocabulary_size)
        best = np.argsort(-candidates)[:beam_width]
        rows, tokens = best // vocabulary_size, best % vocabulary_size
        sequences = np.concatenate([sequences[rows], tokens[:, None]], axis=1)
        finished = finished[rows] | (tokens == end_id)
        scores = candidates[best]
        if finished.all():
            break
    outputs = []
    for sequence, score in zip(sequences.tolist(), scores):
        tokens = sequence[1:]
        outputs.append((tokens[:tokens.index(end_id)] if end_id in tokens else tokens, float(score)))
    return sorted(outputs, key=lambda pair: -pair[1])
''',
    "corpus_bleu": '''
import sacrebleu


def corpus_bleu(hypotheses, references, max_order=4):
    # lesson 05's score(): sacrebleu.corpus_bleu on detokenised text, one reference per hypothesis
    score = sacrebleu.corpus_bleu([" ".join(h) for h in hypotheses], [[" ".join(refs[0]) for refs in references]])
    return {"bleu": score.score, "precisions": list(score.precisions), "brevity_penalty": score.bp,
            "hypothesis_length": score.sys_len, "reference_length": score.ref_len}
''',
}

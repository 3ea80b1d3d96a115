"""The exact assignment (min-cost max-flow) and the contract's result."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduling.matching.candidates import _allowed_pairs, _Pairs, _sorted
from scheduling.matching.instance import Instance, Weights
from scheduling.matching.parsing import parse_instance
from scheduling.matching.scoring import Array, pair_score, reasons


def _max_matching(
    n_m: int, n_v: int, pairs: _Pairs, capacity: Array, free_mentee: Array, block: int = 1 << 16
) -> Array:
    """Indices of the chosen pairs: maximum cardinality, then maximum total score (exact).

    Lean graph: source -> mentee (cap 1, only free mentees with a candidate), mentee -> volunteer
    (cap 1, cost -score), volunteer -> sink (cap = remaining capacity, at most its degree).
    ``solve_max_flow_with_min_cost`` finds a maximum flow and, among maximum flows, the cheapest.
    """
    if not len(pairs.mentee):
        return np.zeros(0, dtype=np.int64)
    # nodes: 0 source, 1..n_m mentees, then volunteers, then the sink
    source, v_base, sink = 0, n_m + 1, n_m + n_v + 1
    m_nodes = np.flatnonzero((np.bincount(pairs.mentee, minlength=n_m) > 0) & free_mentee).astype(np.int32)
    degree = np.bincount(pairs.volunteer, minlength=n_v)
    v_caps = np.minimum(np.maximum(capacity, 0), degree).astype(np.int64)
    v_nodes = np.flatnonzero(v_caps).astype(np.int32)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(len(m_nodes), np.int32), m_nodes + 1, np.ones(len(m_nodes), np.int64), np.zeros(len(m_nodes), np.int64)
    )
    first_pair_arc = len(m_nodes)
    n_pairs = len(pairs.mentee)
    ones = np.ones(min(block, n_pairs), np.int64)
    for s in range(0, n_pairs, block):  # in blocks: no full-size temporaries
        e = min(s + block, n_pairs)
        flow.add_arcs_with_capacity_and_unit_cost(
            pairs.mentee[s:e] + np.int32(1),
            pairs.volunteer[s:e] + np.int32(v_base),
            ones[: e - s],
            np.negative(pairs.score[s:e]),
        )
    flow.add_arcs_with_capacity_and_unit_cost(
        v_nodes + np.int32(v_base),
        np.full(len(v_nodes), sink, np.int32),
        v_caps[v_nodes],
        np.zeros(len(v_nodes), np.int64),
    )
    flow.set_node_supply(source, len(m_nodes))
    flow.set_node_supply(sink, -len(m_nodes))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    chosen = [
        np.flatnonzero(
            flow.flows(np.arange(first_pair_arc + s, first_pair_arc + min(s + block, n_pairs), dtype=np.int32))
        )
        + s
        for s in range(0, n_pairs, block)
    ]
    return np.concatenate(chosen)


def _result_pairs(inst: Instance, w: Weights, pairs: _Pairs, chosen: Array) -> tuple[list[dict[str, Any]], int]:
    """The chosen and the pinned pairs, by mentee, with score and reasons; their total in thousandths."""
    ms, vs = inst.mentees, inst.volunteers
    by_mentee: dict[int, tuple[int, int, int]] = {}  # mentee -> (volunteer, milli, minutes)
    for i, j, s, o in zip(
        pairs.mentee[chosen].tolist(),
        pairs.volunteer[chosen].tolist(),
        pairs.score[chosen].tolist(),
        pairs.overlap[chosen].tolist(),
        strict=True,
    ):
        by_mentee[i] = (j, s, o)
    m_pos = {m.id: i for i, m in enumerate(ms)}
    v_pos = {v.id: j for j, v in enumerate(vs)}
    pinned = set()
    for m, v in inst.pinned:
        i, j = m_pos[m], v_pos[v]
        by_mentee[i] = (j, *pair_score(ms[i], vs[j], w))
        pinned.add(i)
    out = []
    total = 0
    for i in sorted(by_mentee):
        j, s, o = by_mentee[i]
        why = reasons(ms[i], vs[j], o)
        if i in pinned:
            why.append({"kind": "pinned"})
        out.append({"mentee": ms[i].id, "volunteer": vs[j].id, "score": s / 1000, "reasons": why})
        total += s
    return out, total


def solve(
    instance: Instance | Mapping[str, Any], weights: Weights | None = None, *, include_candidates: bool = False
) -> dict[str, Any]:
    """Match optimally and return the contract's result dict.

    ``instance`` is an :class:`Instance` or a JSON-like mapping (validated; may raise
    :class:`InvalidInstance`). ``candidates`` is included only if ``include_candidates``.
    """
    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    w = weights or Weights()
    ms, vs = inst.mentees, inst.volunteers

    t0 = time.perf_counter()
    pairs = _allowed_pairs(inst, w)
    t1 = time.perf_counter()

    m_pos = {m.id: i for i, m in enumerate(ms)}
    v_pos = {v.id: j for j, v in enumerate(vs)}
    capacity = np.array([v.capacity for v in vs], dtype=np.int64)
    pinned_rows = np.zeros(len(ms), dtype=bool)
    for m, v in inst.pinned:
        pinned_rows[m_pos[m]] = True
        capacity[v_pos[v]] -= 1
    chosen = _max_matching(len(ms), len(vs), pairs, capacity, ~pinned_rows)
    t2 = time.perf_counter()

    out_pairs, total = _result_pairs(inst, w, pairs, chosen)
    matched = {p["mentee"] for p in out_pairs}
    result: dict[str, Any] = {
        "pairs": out_pairs,
        "unmatched": [m.id for m in ms if m.id not in matched],
        "matched": len(out_pairs),
        "total_score": total / 1000,
        "allowed_pairs": len(pairs.mentee),
    }
    if include_candidates:
        pairs = _sorted(pairs)
        result["candidates"] = [
            {"mentee": ms[i].id, "volunteer": vs[j].id, "score": s / 1000}
            for i, j, s in zip(pairs.mentee.tolist(), pairs.volunteer.tolist(), pairs.score.tolist(), strict=True)
        ]
    result["timings"] = {
        "load_s": round(inst.load_s, 4),
        "candidates_s": round(t1 - t0, 4),
        "solve_s": round(t2 - t1, 4),
    }
    return result

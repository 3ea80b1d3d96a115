"""Candidate generation: every pair the hard rules allow, with its score (vectorised, blocked by language).

Never compares all pairs: only pairs sharing a language are compared (each pair once, under its
first shared language). Within a language block, mentees are grouped by (minor, has needs, has an
earlier language) so that the minor rule becomes a column slice (vetted volunteers first) and the
need and de-duplication tests run only where they can fail. A one-word summary of the availability
(3-hour blocks) filters the block densely, in chunks; the exact 11-word bitset overlap and the score
are computed only for the pairs left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from scheduling.matching.instance import (
    CELLS,
    COARSE_CELLS,
    GRAIN_MINUTES,
    WORDS,
    Candidate,
    Instance,
    Mentee,
    Volunteer,
    Weights,
)
from scheduling.matching.scoring import Array, Scorer, reasons, scorer


def _words(masks: Sequence[int], nwords: int) -> Array:
    """Python int bitsets -> (n, nwords) uint64 array, little-endian words."""
    nbytes = 8 * nwords
    buf = b"".join(x.to_bytes(nbytes, "little") for x in masks)
    return np.frombuffer(buf, dtype="<u8").reshape(len(masks), nwords).astype(np.uint64)


def _coarse(av: Array) -> Array:
    """(n, 11) cell words -> (n,) uint64 with bit k set if any cell of 3-hour block k is set."""
    bits = np.unpackbits(av.view(np.uint8), axis=1, bitorder="little")[:, :CELLS]
    blocks = bits.reshape(len(av), CELLS // COARSE_CELLS, COARSE_CELLS).any(axis=2)
    packed = np.packbits(blocks, axis=1, bitorder="little")
    packed = np.pad(packed, ((0, 0), (0, 8 - packed.shape[1])))
    return np.ascontiguousarray(packed).view("<u8").reshape(len(av)).astype(np.uint64)


@dataclass
class _Pairs:
    """Allowed pairs as parallel arrays (indices into instance.mentees / instance.volunteers)."""

    mentee: Array  # int32
    volunteer: Array  # int32
    score: Array  # int64 thousandths
    overlap: Array  # int32 minutes

    def take(self, index: Array) -> _Pairs:
        return _Pairs(self.mentee[index], self.volunteer[index], self.score[index], self.overlap[index])


@dataclass
class _Tables:
    """Everything about the people as arrays, built once per instance.

    Language, level, need and skill masks are word-major (words, people), so per-word gathers are
    plain 1-D takes; availabilities are row-major, so a pair's 11 words are contiguous.
    """

    langs: list[str]  # languages both sides speak (a volunteer with capacity left), bit i is langs[i]
    wl: int  # uint64 words per language mask
    ws: int  # uint64 words per need / skill mask
    m_lang: Array
    v_lang: Array
    m_level: dict[int, Array]  # level -> mask of the languages spoken at that level or better
    v_level: dict[int, Array]
    m_need: Array
    v_skill: Array
    m_av: Array
    v_av: Array
    m_coarse: Array
    v_coarse: Array
    n_needs: Array  # int64
    has_needs: Array
    minor: Array
    vetted: Array
    eligible: Array  # rule 5: capacity >= 1
    min_cells: int
    scorer: Scorer
    ok_buf: Array  # scratch space reused by every chunk
    tmp_buf: Array
    ones: Array


def _tables(inst: Instance, w: Weights, chunk: int) -> _Tables:
    ms, vs = inst.mentees, inst.volunteers
    langs = sorted({c for m in ms for c in m.languages} & {c for v in vs if v.capacity >= 1 for c in v.languages})
    skills = sorted({s for m in ms for s in m.needs} & {s for v in vs if v.capacity >= 1 for s in v.skills})
    lang_bit = {c: i for i, c in enumerate(langs)}
    skill_bit = {s: i for i, s in enumerate(skills)}
    wl, ws = max(1, -(-len(langs) // 64)), max(1, -(-len(skills) // 64))

    def lang_masks(people: Sequence[Mentee | Volunteer], at_least: int) -> Array:
        return _words(
            [
                sum(1 << lang_bit[c] for c, lv in p.languages.items() if lv >= at_least and c in lang_bit)
                for p in people
            ],
            wl,
        ).T.copy()

    def tag_masks(tags: Iterable[frozenset[str]]) -> Array:
        return _words([sum(1 << skill_bit[s] for s in t if s in skill_bit) for t in tags], ws).T.copy()

    m_av = _words([m.availability for m in ms], WORDS)
    v_av = _words([v.availability for v in vs], WORDS)
    n_needs = np.array([len(m.needs) for m in ms], dtype=np.int64)
    return _Tables(
        langs=langs,
        wl=wl,
        ws=ws,
        m_lang=lang_masks(ms, 1),
        v_lang=lang_masks(vs, 1),
        m_level={lv: lang_masks(ms, lv) for lv in (2, 3)},
        v_level={lv: lang_masks(vs, lv) for lv in (2, 3)},
        m_need=tag_masks(m.needs for m in ms),
        v_skill=tag_masks(v.skills for v in vs),
        m_av=m_av,
        v_av=v_av,
        m_coarse=_coarse(m_av),
        v_coarse=_coarse(v_av),
        n_needs=n_needs,
        has_needs=n_needs > 0,
        minor=np.array([m.minor for m in ms], dtype=bool),
        vetted=np.array([v.vetted for v in vs], dtype=bool),
        eligible=np.array([v.capacity >= 1 for v in vs], dtype=bool),
        min_cells=-(-inst.min_overlap_minutes // GRAIN_MINUTES),
        scorer=scorer(w, int(n_needs.max(initial=0))),
        ok_buf=np.empty(chunk + max(1, len(vs)), dtype=bool),
        tmp_buf=np.empty(chunk + max(1, len(vs)), dtype=np.uint64),
        ones=np.ones(WORDS, dtype=np.float32),
    )


@dataclass
class _Block:
    """The volunteers of one language block (vetted first) and their columns of the masks."""

    cols: Array
    n_vetted: int
    coarse: Array
    av: Array
    skill: list[Array]  # per word
    lang_below: list[Array]  # per word: languages before this block's


_Found = tuple[Array, Array, Array, Array]  # mentee, volunteer, score, overlap cells


def _and_intersects(ok: Array, tmp: Array, a: list[Array], b: list[Array], want: bool) -> None:
    """ok &= (bitsets a[r] and b[c] intersect) == want, for word lists a (rows) and b (columns)."""
    np.bitwise_and(a[0][:, None], b[0][None, :], out=tmp)
    for k in range(1, len(a)):
        tmp |= a[k][:, None] & b[k][None, :]
    if want:
        np.logical_and(ok, tmp, out=ok)
    else:
        ok &= tmp == 0


def _shared_level(t: _Tables, mi: Array, vj: Array) -> Array:
    """Best shared level (1 basic, 2 fluent, 3 native) of pairs already known to share a language."""
    level = np.ones(len(mi), dtype=np.int8)
    for lv in (2, 3):
        shared = np.zeros(len(mi), dtype=bool)
        for k in range(t.wl):
            shared |= (t.m_level[lv][k, mi] & t.v_level[lv][k, vj]) != 0
        level[shared] = lv
    return level


def _chunk_pairs(t: _Tables, b: _Block, r: Array, ncols: int, needs: bool, dedupe: bool) -> _Found | None:
    """Allowed pairs of mentees ``r`` with the block's first ``ncols`` volunteers."""
    ok = t.ok_buf[: len(r) * ncols].reshape(len(r), ncols)
    tmp = t.tmp_buf[: len(r) * ncols].reshape(len(r), ncols)
    if t.min_cells > 0:
        np.bitwise_and(t.m_coarse[r, None], b.coarse[None, :ncols], out=tmp)
        np.not_equal(tmp, 0, out=ok)
    else:
        ok.fill(True)
    if needs:
        _and_intersects(ok, tmp, [t.m_need[k, r] for k in range(t.ws)], [c[:ncols] for c in b.skill], want=True)
    if dedupe:
        _and_intersects(ok, tmp, [t.m_lang[k, r] for k in range(t.wl)], [c[:ncols] for c in b.lang_below], want=False)
    flat = np.flatnonzero(ok)
    if not len(flat):
        return None
    ii, jj = np.divmod(flat, ncols)
    # exact overlap: popcount of the 11-word AND, summed by a float32 matvec
    both = np.take(t.m_av[r], ii, axis=0)
    both &= np.take(b.av, jj, axis=0)
    cells = (np.bitwise_count(both).astype(np.float32) @ t.ones).astype(np.int16)
    keep = np.flatnonzero(cells >= t.min_cells)
    mi, vj, cells = r[ii[keep]], b.cols[jj[keep]], cells[keep]
    covered = np.bitwise_count(t.m_need[0, mi] & t.v_skill[0, vj])
    for k in range(1, t.ws):
        covered += np.bitwise_count(t.m_need[k, mi] & t.v_skill[k, vj])
    level = _shared_level(t, mi, vj)
    return mi.astype(np.int32), vj.astype(np.int32), t.scorer(t.n_needs[mi], covered, level, cells), cells


def _language_block(t: _Tables, li: int, chunk: int, out: list[_Found]) -> None:
    """Append the allowed pairs whose first shared language is ``t.langs[li]``."""
    word, bit = divmod(li, 64)
    bit_v = np.uint64(1 << bit)
    rows = np.flatnonzero(t.m_lang[word] & bit_v)
    cols = np.flatnonzero(((t.v_lang[word] & bit_v) != 0) & t.eligible)
    if not len(rows) or not len(cols):
        return
    cols = cols[np.argsort(~t.vetted[cols], kind="stable")]  # vetted first: minors take a prefix
    # a pair that also shares an earlier language was already handled in that language's block
    below = _words([(1 << li) - 1], t.wl)[0]
    earlier = np.zeros(len(rows), dtype=bool)
    for k in range(t.wl):
        earlier |= (t.m_lang[k, rows] & below[k]) != 0
    b = _Block(
        cols,
        int(t.vetted[cols].sum()),
        t.v_coarse[cols],
        t.v_av[cols],
        [t.v_skill[k, cols] for k in range(t.ws)],
        [t.v_lang[k, cols] & below[k] for k in range(t.wl)],
    )
    for is_minor in (False, True):
        ncols = b.n_vetted if is_minor else len(cols)
        if ncols == 0:
            continue
        sel_m = t.minor[rows] == is_minor
        for needs in (False, True):
            for dedupe in (False, True):
                group = rows[sel_m & (t.has_needs[rows] == needs) & (earlier == dedupe)]
                step = max(1, chunk // ncols)
                for s in range(0, len(group), step):
                    found = _chunk_pairs(t, b, group[s : s + step], ncols, needs, dedupe)
                    if found is not None:
                        out.append(found)


def _without_forbidden(inst: Instance, pairs: _Pairs) -> _Pairs:
    if not inst.forbidden or not len(pairs.mentee):
        return pairs
    n_v = len(inst.volunteers)
    m_pos = {m.id: i for i, m in enumerate(inst.mentees)}
    v_pos = {v.id: j for j, v in enumerate(inst.volunteers)}
    bad = np.array([m_pos[m] * n_v + v_pos[v] for m, v in inst.forbidden], dtype=np.int64)
    return pairs.take(~np.isin(pairs.mentee.astype(np.int64) * n_v + pairs.volunteer, bad))


def _allowed_pairs(inst: Instance, w: Weights, chunk: int = 1 << 17) -> _Pairs:
    """Every pair allowed by the hard rules (minus forbidden ones), with scores, in no set order."""
    t = _tables(inst, w, chunk)
    out: list[_Found] = []
    for li in range(len(t.langs)):
        _language_block(t, li, chunk, out)
    del t
    if out:
        mi, vj, score, cells = (np.concatenate(x) for x in zip(*out, strict=True))
    else:
        mi = vj = np.zeros(0, dtype=np.int32)
        score, cells = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16)
    del out
    return _without_forbidden(inst, _Pairs(mi, vj, score, cells.astype(np.int32) * GRAIN_MINUTES))


def _sorted(pairs: _Pairs) -> _Pairs:
    """Pairs by mentee, then volunteer (input order): deterministic output."""
    return pairs.take(np.lexsort((pairs.volunteer, pairs.mentee)))


def build_candidates(instance: Instance, weights: Weights | None = None) -> list[Candidate]:
    """Every allowed pair (hard rules, minus forbidden pairs) with its score and reasons."""
    pairs = _sorted(_allowed_pairs(instance, weights or Weights()))
    ms, vs = instance.mentees, instance.volunteers
    return [
        Candidate(ms[i].id, vs[j].id, s / 1000, tuple(reasons(ms[i], vs[j], o)), o)
        for i, j, s, o in zip(
            pairs.mentee.tolist(), pairs.volunteer.tolist(), pairs.score.tolist(), pairs.overlap.tolist(), strict=True
        )
    ]

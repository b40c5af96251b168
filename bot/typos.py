"""How far a typed word is from a known one, counting the slips people make at a keyboard.

A typo swaps two letters ("contianer"), drops one ("enviroment"), doubles one ("runnning") or
hits a key next to the right one ("containet"). Replacing a letter with one from across the
keyboard is rarely a slip: it is usually another English word ("saying" is not "saving", "slack"
is not "stack", "story" is not "store"), so such a replacement costs two, as much as dropping
the letter and typing another: more than the one edit allowed to a word under eight letters.
"""

from __future__ import annotations

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_POSITION = {key: (row, col) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)}

# A letter replaced by one from across the keyboard: a dropped letter plus an extra one.
FAR_KEY = 2


def adjacent(a: str, b: str) -> bool:
    """Whether two keys touch on a QWERTY keyboard (rows are staggered: "s" touches "w" and "e")."""
    if a not in _POSITION or b not in _POSITION:
        return False
    (row_a, col_a), (row_b, col_b) = _POSITION[a], _POSITION[b]
    if row_a == row_b:
        return abs(col_a - col_b) == 1
    if abs(row_a - row_b) != 1:
        return False
    upper, lower = (col_a, col_b) if row_a < row_b else (col_b, col_a)
    return upper in (lower, lower + 1)


def keyboard_distance(typed: str, known: str) -> int:
    """Edit distance where a swap, a dropped or an extra letter and a neighbouring key cost 1,
    and any other replaced letter costs FAR_KEY."""
    n, m = len(typed), len(known)
    previous2: list[int] = []
    previous = list(range(m + 1))
    for i in range(1, n + 1):
        current = [i] + [0] * m
        for j in range(1, m + 1):
            a, b = typed[i - 1], known[j - 1]
            replace = 0 if a == b else 1 if adjacent(a, b) else FAR_KEY
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + replace)
            if i > 1 and j > 1 and a == known[j - 2] and typed[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[m]

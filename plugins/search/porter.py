"""lunr.js's English stemmer (lunr 2.3.9, `lunr.stemmer`), ported line for line.

lunr.js's Porter stemmer is not the classic one that lunr.py and Snowball implement: it
treats `y` as a vowel in places (`day` stays `day`, not `dai`) and leaves words of fewer
than three letters alone. The build must stem English exactly as the browser does, so the
browser's own algorithm is reproduced here; `tests/test_search_analysis.py` compares the
two over thousands of words.
"""

from __future__ import annotations

import re

STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
STEP3 = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}
c = "[^aeiou]"  # consonant
v = "[aeiouy]"  # vowel
C = c + "[^aeiouy]*"  # consonant sequence
V = v + "[aeiou]*"  # vowel sequence

MGR0 = re.compile("^(" + C + ")?" + V + C)  # [C]VC... is m>0
MEQ1 = re.compile("^(" + C + ")?" + V + C + "(" + V + ")?$")  # [C]VC[V] is m=1
MGR1 = re.compile("^(" + C + ")?" + V + C + V + C)  # [C]VCVC... is m>1
S_V = re.compile("^(" + C + ")?" + v)  # vowel in stem

RE_1A = re.compile(r"^(.+?)(ss|i)es$")
RE2_1A = re.compile(r"^(.+?)([^s])s$")
RE_1B = re.compile(r"^(.+?)eed$")
RE2_1B = re.compile(r"^(.+?)(ed|ing)$")
RE_1B_2 = re.compile(r".$")
RE2_1B_2 = re.compile(r"(at|bl|iz)$")
RE3_1B_2 = re.compile(r"([^aeiouylsz])\1$")
RE4_1B_2 = re.compile("^" + C + v + "[^aeiouwxy]$")
RE_1C = re.compile(r"^(.+?[^aeiou])y$")
RE_2 = re.compile("^(.+?)(" + "|".join(STEP2) + ")$")
RE_3 = re.compile("^(.+?)(" + "|".join(STEP3) + ")$")
RE_4 = re.compile(
    r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$"
)
RE2_4 = re.compile(r"^(.+?)(s|t)(ion)$")
RE_5 = re.compile(r"^(.+?)e$")
RE_5_1 = re.compile(r"ll$")
RE3_5 = re.compile("^" + C + v + "[^aeiouwxy]$")


def stem(w: str) -> str:
    if len(w) < 3:
        return w
    first = w[0]
    if first == "y":
        w = first.upper() + w[1:]

    # Step 1a
    if RE_1A.search(w):
        w = RE_1A.sub(r"\1\2", w, count=1)
    elif RE2_1A.search(w):
        w = RE2_1A.sub(r"\1\2", w, count=1)

    # Step 1b
    if found := RE_1B.search(w):
        if MGR0.search(found.group(1)):
            w = RE_1B_2.sub("", w, count=1)
    elif found := RE2_1B.search(w):
        stem_ = found.group(1)
        if S_V.search(stem_):
            w = stem_
            if RE2_1B_2.search(w):
                w = w + "e"
            elif RE3_1B_2.search(w):
                w = RE_1B_2.sub("", w, count=1)
            elif RE4_1B_2.search(w):
                w = w + "e"

    # Step 1c: a final y after a consonant (not the first letter) becomes i
    if found := RE_1C.search(w):
        w = found.group(1) + "i"

    # Step 2
    if (found := RE_2.search(w)) and MGR0.search(found.group(1)):
        w = found.group(1) + STEP2[found.group(2)]

    # Step 3
    if (found := RE_3.search(w)) and MGR0.search(found.group(1)):
        w = found.group(1) + STEP3[found.group(2)]

    # Step 4
    if found := RE_4.search(w):
        if MGR1.search(found.group(1)):
            w = found.group(1)
    elif found := RE2_4.search(w):
        stem_ = found.group(1) + found.group(2)
        if MGR1.search(stem_):
            w = stem_

    # Step 5
    if found := RE_5.search(w):
        stem_ = found.group(1)
        if MGR1.search(stem_) or (MEQ1.search(stem_) and not RE3_5.search(stem_)):
            w = stem_
    if RE_5_1.search(w) and MGR1.search(w):
        w = RE_1B_2.sub("", w, count=1)

    # and turn an initial Y back to y
    if first == "y":
        w = first.lower() + w[1:]
    return w

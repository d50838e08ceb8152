"""Huabu's prompt tokenizer for Python trainers: the same rules as tokenizer.mjs (see there).

    sys.path.insert(0, "models/data/vocab"); from huabu_tokenizer import load
    tok = load()                      # reads vocab.json, zh.json, glove100.q8.bin next to this file
    tok.encode("画一只红色的狐狸", 16) -> [ids...]; tok.glove -> float32 (V, 100)
"""
import json
import os
import re
import unicodedata

PAD, UNK = 0, 1
CJK_START = 0x2E80
HERE = os.path.dirname(os.path.abspath(__file__))


def normalize(text):
    t = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in t if not unicodedata.category(ch).startswith("M")).lower()


def english_words(text):
    t = re.sub(r"['\u2019]s\b", "", normalize(text), flags=re.A)  # ASCII \b, as in JS
    t = re.sub(r"['\u2019]", "", t)
    return [w for w in re.split(r"[^a-z0-9]+", t) if w]


class Tokenizer:
    def __init__(self, words, zh):
        self.words = words
        self.ids = {w: i for i, w in enumerate(words)}
        self.zh = {normalize(k): v for k, v in zh.items()}
        self.max_key = max(len(k) for k in self.zh)
        self.glove = None

    def to_words(self, text):
        out, latin, cps, i = [], "", normalize(text), 0
        while i < len(cps):
            if ord(cps[i]) < CJK_START:
                latin += cps[i]
                i += 1
                continue
            out += english_words(latin)
            latin = " "
            n = min(self.max_key, len(cps) - i)
            while n > 0:
                en = self.zh.get(cps[i:i + n])
                if en is not None:
                    out += english_words(en)
                    break
                n -= 1
            i += max(n, 1)  # an unknown character is skipped
        return out + english_words(latin)

    def id(self, w):
        for c in (w, re.sub(r"ies$", "y", w), re.sub(r"es$", "", w), re.sub(r"s$", "", w)):
            if c in self.ids:
                return self.ids[c]
        return UNK

    def encode(self, text, max_len=16):
        ids = [self.id(w) for w in self.to_words(text)][:max_len]
        return ids + [PAD] * (max_len - len(ids))


def load(directory=HERE, with_glove=True):
    meta = json.load(open(os.path.join(directory, "vocab.json"), encoding="utf-8"))
    zh = json.load(open(os.path.join(directory, "zh.json"), encoding="utf-8"))
    tok = Tokenizer(meta["words"], zh)
    if with_glove:
        import numpy as np
        raw = open(os.path.join(directory, meta["glove"]["file"]), "rb").read()
        v, d = meta["size"], meta["glove"]["dims"]
        scale = np.frombuffer(raw, "<f4", v)
        q = np.frombuffer(raw, np.int8, v * d, offset=4 * v).reshape(v, d)
        tok.glove = q.astype(np.float32) * scale[:, None]
    return tok


if __name__ == "__main__":  # prints one JSON line of words per stdin line (parity test with tokenizer.mjs)
    import sys
    t = load(with_glove=False)
    for line in sys.stdin:
        print(json.dumps(t.to_words(line.rstrip("\n")), ensure_ascii=False))

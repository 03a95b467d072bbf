"""Why the archive does not ship a lunr index: size and build time of a prebuilt
lunr.py index of the same documents, with jieba's words as tokens (headline boost
10, filed-under 5).  lunr.js must read such an index whole before the first result.

    python benchmarks/lunr_compare.py CORPUS_DIR
"""
import gzip
import json
import sys
import time
from pathlib import Path

from lunr import lunr

from generator import build
from generator.context import BuildContext
from generator.search import index as search

ctx = BuildContext.load()
arch = build.collect(Path(sys.argv[1]), ctx)
docs = search.archive_docs(arch.articles, ctx)
tk = ctx.tokenizer


def seg(text: str) -> str:
    return " ".join(w for w in tk.cut(search.normalise(text), HMM=False) if w.strip())


rows = []
for n, d in enumerate(docs):
    rows.append({"id": str(n), "title": seg(d.headline), "filed": seg(d.filed), "text": seg(d.text)})
t = time.time()
idx = lunr(ref="id", fields=[dict(field_name="title", boost=10), dict(field_name="filed", boost=5), "text"], documents=rows)
built = time.time() - t
data = json.dumps(idx.serialize(), ensure_ascii=False, separators=(",", ":")).encode()
print(f"docs {len(rows)} lunr build {built:.1f}s index {len(data)/1e6:.2f} MB gzip {len(gzip.compress(data))/1e6:.2f} MB")

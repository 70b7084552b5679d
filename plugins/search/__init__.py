"""Search that works on 2G and from disk (in progress: issue 8).

For now: `search.analysis`, the analysis of words (trimming, stop words, stemming) that the
build's lunr index and lunr.js in the browser must share. The index, its shards and the
search page come next; until then this package is not in `PLUGINS`.
"""

//! Text canonicalisation: the keys that keyed digests of text are computed from.

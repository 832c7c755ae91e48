//! URL canonicalisation (Google Safe Browsing) and host-suffix x path-prefix expressions.

"""Open Badges 3.0 credentials as plain values: build, sign (VC-JWT and Data Integrity), bake, verify.

No models and no database: the badges app passes keys, identifiers and callbacks in and stores what comes
out. JSON-LD processing only ever sees the contexts bundled in `contexts/`.
"""

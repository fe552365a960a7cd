"""The evaluation engine: what the Tyk gateway does with one request (spec §3–§7).

Pipeline (each step a pure function over an immutable :class:`~oascompile.engine.request.Request`):
``request`` (parse) → ``extract`` (algorithm R) → ``decide`` (static mTLS, key lookup in
``sessions``/``hashing``, ``certs``, ``signature``, key expiry) → ``strip`` (algorithm S, the
upstream view) → ``render`` (eval JSON/text).  ``cases`` runs YAML request cases for
``oascompile test``.
"""

"""oascompile: lint, compile and evaluate Tyk API Gateway Auth Token configuration.

The package reads Tyk OAS API definitions (OpenAPI 3.0/3.1 with the ``x-tyk-api-gateway``
extension) and Tyk Classic API definitions, turns their authentication into one intermediate
representation (:mod:`oascompile.ir`), and from there lints, converts or evaluates requests.
"""

__version__ = "0.1.0"

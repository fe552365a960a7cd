"""Lint rules, one module per family (see :data:`oascompile.lint.registry.RULE_FAMILIES`)."""

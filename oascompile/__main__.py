"""``python -m oascompile``: the same entry point as the ``oascompile`` console script."""

from oascompile.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()

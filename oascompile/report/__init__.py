"""Reports: the migration report of `compile` and the output formats of `lint`."""

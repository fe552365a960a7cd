"""The linter: rule registry, runner, configuration, suppression, baselines; rules/ holds one module per rule family."""

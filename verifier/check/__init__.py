"""The checker: unfolding, the decision cascade, probing, diagnosis, budgets, cache and the runner."""

from verifier.check.runner import CheckOptions, check_all

__all__ = ["CheckOptions", "check_all"]

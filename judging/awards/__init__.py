"""The awards stage: award runs (load, compute, store, digest), the committee's overrides,
the fairness report, publication and the results exports.
Pure decisions in decide.py and fairness.py, fed by selectors.py and fairness_selectors.py.
"""

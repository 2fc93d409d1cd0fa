"""Helpers shared by the tests and the benchmarks (never imported by the course itself).

Why apart from ``widgets/``: the runtime package holds what a trainer runs; a simulated phone, a
throwaway PostgreSQL cluster and a server started for a test are tools of the people who check it.
``tests/`` is a package importable because the repository is on ``sys.path`` (the
``faire_avec.pth`` file written by ``make install``; the benchmarks add it themselves).
"""

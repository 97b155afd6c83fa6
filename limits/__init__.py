"""Shipped limit tables (TOML data files), installed as ``rfcheck.limit_tables``.

The format is documented in ``README.md`` next to this file; :mod:`rfcheck.limits` loads
and validates them.
"""

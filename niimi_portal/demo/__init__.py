"""Demo data: the facts and invented figures (`data`), the loader (`loader.load`) and its benchmark
scaler (`scaler`). Only `manage.py loaddemo`, `demo_logins`, the benchmarks and the tests use it; the
apps never import it (an import contract in pyproject.toml)."""

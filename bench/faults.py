"""Faults: the load test of bench/load.py with PostgreSQL restarted a third of the way in.

    .venv/bin/python bench/faults.py [--seconds 60]

Reports how requests failed while the database was away (status codes, the slowest answer:
an error page, not a hang), whether the same app servers answer normally again afterwards
(no restart of gunicorn), and checks that no acknowledged save was lost. PostgreSQL is
started again when the script exits, whatever happens.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(fault=True))

"""`make bench`: every benchmark in turn; each prints its own figures (docs/benchmarks.md).

The 200-phone load test and the board's lag after a sync take minutes of their own:
`make bench-load`, `make bench-board`.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ["sync_ingest", "coverage_refresh", "supervisor_api", "rollup", "pwa_budget"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== bench.{name} ===", flush=True)
        # One process each: a benchmark's database and memory never colour the next one.
        if subprocess.run([sys.executable, "-m", f"bench.{name}"]).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

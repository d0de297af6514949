"""python -m bench (make bench): see bench/runner.py and docs/bench.md."""

from bench.runner import main

raise SystemExit(main())

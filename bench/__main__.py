"""python -m bench (make bench): bench/runner.py and docs/bench.md; python -m bench selector: bench/selector.py."""

import sys

if sys.argv[1:2] == ["selector"]:
    from bench.selector import main as selector

    raise SystemExit(selector(sys.argv[2:]))

from bench.runner import main

raise SystemExit(main())

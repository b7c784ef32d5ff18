"""`make bench`: run every benchmark and print (and save to var/bench.md) their Markdown tables.

Each benchmark module exposes ``main() -> str`` returning its Markdown section. Pass names to run
a subset: ``python -m timeline.benchmarks dates pages``.
"""

import importlib
import sys
import time
from pathlib import Path

BENCHMARKS = ("dates", "suggest", "seed", "reimport", "pages", "fresh", "embed", "reading", "load")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    sections = []
    for name in names:
        try:
            module = importlib.import_module(f"timeline.benchmarks.{name}")
        except ModuleNotFoundError:
            print(f"(benchmark {name!r} does not exist yet; skipped)", file=sys.stderr)
            continue
        started = time.perf_counter()
        section = module.main()
        print(section, flush=True)
        print(f"_{name}: {time.perf_counter() - started:.1f} s_\n", flush=True)
        sections.append(section)
    out = Path(__file__).resolve().parents[2] / "var" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    print(f"Written to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

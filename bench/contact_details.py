"""Per-message time of the contact-detail detector, which runs on every message in a minor's chat.

    .venv/bin/python bench/contact_details.py [--messages 5000]

Message sets: ordinary talk (1 to 3 sentences of the test corpus of ordinary mentoring talk, which is
heavy on numbers, dates, platform names and other near misses), short plain chat (its sentences without
digits) and the generated disguised variants of the tests. Prints the best of five runs in microseconds
per message, and how many of each set were held.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chat.contact_details import find_contact_details  # noqa: E402
from tests.chat import test_contact_details as corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(1)
    sets = {
        "ordinary talk": [" ".join(rng.sample(corpus.ORDINARY, rng.randint(1, 3))) for _ in range(args.messages)],
        "plain chat": [
            rng.choice([s for s in corpus.ORDINARY if not any(c.isdigit() for c in s)]) for _ in range(args.messages)
        ],
        "disguised variants": [
            text
            for cases in (corpus.PHONE_CASES, corpus.EMAIL_CASES, corpus.LINK_CASES, corpus.HANDLE_CASES)
            for texts in cases.values()
            for text in texts
        ],
    }
    for name, messages in sets.items():
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            held = sum(bool(find_contact_details(message)) for message in messages)
            runs.append((time.perf_counter() - started) / len(messages) * 1e6)
        print(
            f"{name}: {len(messages)} messages of {statistics.mean(map(len, messages)):.0f} characters on average, "
            f"{min(runs):.0f} µs per message, {held} held"
        )


if __name__ == "__main__":
    main()

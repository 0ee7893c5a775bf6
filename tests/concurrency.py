"""Running actions at the same instant from several threads, for the race tests (PostgreSQL)."""

import threading

from django.db import connection, transaction


def race(actions, *, atomic: bool = False) -> list:
    """Run every action at once, one thread each, released together by a barrier; each thread
    closes its own database connection. `atomic` wraps each action in its own transaction.
    Returns what each action returned, or the exception it raised (for the test to assert on:
    never swallowed)."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=30)
            if atomic:
                with transaction.atomic():
                    results[index] = action()
            else:
                results[index] = action()
        except Exception as error:  # reported by the assertions in the test, not swallowed
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung: deadlock?"
    return results

"""The development key in instance/: workers starting together agree on one key."""

import stat
import threading

from champions.config import _development_secret

WORKERS = 8


def test_workers_starting_together_share_one_development_key(tmp_path):
    for attempt in range(5):
        instance = tmp_path / f"instance-{attempt}"
        barrier = threading.Barrier(WORKERS)
        keys = []

        def start_worker(instance=instance, barrier=barrier, keys=keys) -> None:
            barrier.wait(timeout=10)
            keys.append(_development_secret(instance))

        threads = [threading.Thread(target=start_worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert len(keys) == WORKERS
        assert set(keys) == {(instance / "secret_key").read_text()}
        assert len(keys[0]) == 64
        assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no drafts left behind
        assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600


def test_an_existing_development_key_is_kept(tmp_path):
    (tmp_path / "secret_key").write_text("an-existing-key-of-this-checkout\n")
    assert _development_secret(tmp_path) == "an-existing-key-of-this-checkout"

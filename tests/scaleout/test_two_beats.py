"""Two beats on one Redis, as on two machines (celery-redbeat): one sends, the
other waits for the lock, so each firing of the schedule goes out once; when
the one sending is killed, the other takes over and the schedule goes on.

The beats run a schedule of their own (tests/scaleout/settings.py): one entry
every second, sent to a queue nobody consumes, so the firings are the
messages in it. The lock lasts 5 s there (five loop intervals of 1 s).
"""

import signal
import time
import uuid

import pytest
import redis
from django.conf import settings

from tests.services import require_redis

from . import processes

pytestmark = pytest.mark.redis

EVERY_SECONDS = 1
BOTH_RUNNING_SECONDS = 6
AFTER_TAKEOVER_FIRINGS = 3
ACQUIRING = "beat: Acquiring lock"
ACQUIRED = "beat: Acquired lock"


def test_two_beats_send_each_firing_once_and_the_second_takes_over(tmp_path):
    require_redis()
    store = redis.Redis.from_url(settings.REDIS_URL)
    queue = f"peerpath-scaleout-beat-{uuid.uuid4().hex[:12]}"
    env = processes.environment("", tmp_path, PEERPATH_SCALEOUT_BEAT_QUEUE=queue)
    beats = [processes.start_beat(f"beat{n}", env, tmp_path) for n in (1, 2)]

    def firings() -> int:
        return store.llen(queue)

    try:
        for beat in beats:
            processes.wait_for(lambda beat=beat: ACQUIRING in beat.output(), beat.name, beats)
        (leader,) = processes.wait_for(
            lambda: [beat for beat in beats if ACQUIRED in beat.output()] or None,
            "a beat holding the lock",
            beats,
        )
        (standby,) = [beat for beat in beats if beat is not leader]
        processes.wait_for(firings, "a first firing", beats)
        first_seen = time.monotonic()

        # Both run; one sends, once a second, never twice.
        before, start = firings(), time.monotonic()
        time.sleep(BOTH_RUNNING_SECONDS)
        sent, elapsed = firings() - before, time.monotonic() - start
        assert ACQUIRED not in standby.output()
        assert 2 <= sent <= elapsed / EVERY_SECONDS + 1, (sent, elapsed)

        # The leader dies without releasing the lock: once it has timed out,
        # the other beat takes it and the schedule goes on from where it was.
        leader.popen.send_signal(signal.SIGKILL)
        leader.popen.wait(timeout=10)
        at_kill = firings()
        processes.wait_for(lambda: ACQUIRED in standby.output(), "a takeover", [standby], 60)
        processes.wait_for(
            lambda: firings() >= at_kill + AFTER_TAKEOVER_FIRINGS,
            "firings after the takeover",
            [standby],
            60,
        )
        # Over the whole run, never more than one firing a second.
        total, whole = firings(), time.monotonic() - first_seen
        assert total <= whole / EVERY_SECONDS + 2, (total, whole)
    finally:
        processes.stop(beats)
        for key in [*store.scan_iter(f"{queue}*"), *store.scan_iter(f"*{queue}")]:
            store.delete(key)

"""Wall-clock helpers the training recipes share (models/tiny, models/sketch, models/style):
when a chunk ends, and how its learning rate falls towards that end."""
import datetime
import time


def deadline_from(minutes, until=""):
    """Wall-clock end of a training chunk: now + minutes, or the UTC HH:MM `until` if sooner
    (the next such time: 01:20 asked at 23:50 is 90 minutes away)."""
    now_t = time.time()
    deadline = now_t + minutes * 60
    if until:
        now = datetime.datetime.utcnow()
        hh, mm = map(int, until.split(":"))
        end = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
        if end <= now:
            end += datetime.timedelta(days=1)
        deadline = min(deadline, now_t + (end - now).total_seconds())
    return deadline


def lr_decay_factor(deadline, decay_minutes):
    """1 until the last `decay_minutes` before `deadline`, then falling linearly to 0.1 at it
    (--decay-minutes; 0 = no decay)."""
    if not decay_minutes:
        return 1.0
    left = (deadline - time.time()) / (decay_minutes * 60)
    return 0.1 + 0.9 * max(0.0, min(1.0, left))

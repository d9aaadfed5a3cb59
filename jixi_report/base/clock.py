"""The one date a build takes from outside its content: the build date, which the cover of a
document without a date of its own prints (SOURCE_DATE_EPOCH makes it repeatable). Standard
library only: the up-to-date check reads it before anything heavy is imported."""

from __future__ import annotations

import datetime as dt
import os


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (repeatable builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()

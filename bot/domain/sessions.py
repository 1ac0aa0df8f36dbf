"""Facts about the NYSE session calendar that the use cases and the adapters share."""

from __future__ import annotations

from datetime import date

# exchange_calendars' pre-1970 NYSE holidays do not match the historical data (verified:
# the bundled GSPC closes have 416 sessions before 1970 that the XNYS calendar expects but
# the data lacks -- special closures it does not know about -- against 0 mismatches either
# way from 1970 to 2025), so gap checks only use sessions from 1970.
CALENDAR_RELIABLE_FROM = date(1970, 1, 1)
"""The first day from which the session calendar matches the data: earlier, no gap checks."""

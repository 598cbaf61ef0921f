"""The adapters by vendor name."""

from __future__ import annotations

from integrations.ats.base import AtsAdapter
from integrations.ats.greenhouse import GreenhouseAdapter
from integrations.ats.lever import LeverAdapter
from integrations.ats.teamtailor import TeamtailorAdapter
from integrations.ats.workable import WorkableAdapter

ADAPTERS: dict[str, AtsAdapter] = {
    adapter.vendor: adapter
    for adapter in (GreenhouseAdapter(), LeverAdapter(), TeamtailorAdapter(), WorkableAdapter())
}

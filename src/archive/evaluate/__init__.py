"""Measuring the extraction against hand-annotated gold sets.

- :mod:`archive.evaluate.gold`: the gold set folder, its articles run through the real
  extraction, precision/recall counts (shared);
- :mod:`archive.evaluate.entities`: persons, places and organisations (``archive eval
  entities``, the People's Daily layout);
- :mod:`archive.evaluate.meetings`: the meeting facts of meeting reports: dates, name,
  organizer, chair, persons with their titles, speakers, directives (``archive eval
  meetings``, the meeting-pages layout); :mod:`archive.evaluate.meeting_report`, its
  report for people.
"""

from archive.evaluate.gold import EvaluationError

__all__ = ["EvaluationError"]

"""Measuring the extraction against hand-annotated gold sets.

- :mod:`archive.evaluate.gold`: the gold set folder, its articles run through the real
  extraction, precision/recall counts and the report pieces every evaluation shares;
- :mod:`archive.evaluate.entities`: persons, places and organisations (``archive eval
  entities``, the People's Daily layout);
- :mod:`archive.evaluate.meeting_facts` and :mod:`archive.evaluate.meetings`: the meeting
  facts of meeting reports, the facts of each side and their scoring (``archive eval
  meetings``, the meeting-pages layout); :mod:`archive.evaluate.meeting_report`, their
  report for people.
"""

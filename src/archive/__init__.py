"""archive: turn a folder of Chinese meeting news into a searchable archive."""

import logging

# A library logs, an application decides where logs go: without this, Python's last-resort
# handler would print the pipeline's warnings to stderr beside the CLI's own lines.
logging.getLogger("archive").addHandler(logging.NullHandler())

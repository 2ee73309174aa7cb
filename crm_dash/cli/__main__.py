"""``python -m crm_dash.cli``: the same as the ``crm-dash`` console script."""

from __future__ import annotations

import sys

from crm_dash.cli import main

sys.exit(main())
